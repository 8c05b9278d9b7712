// What the model is told about a tool result: every content block (not just the first),
// structuredContent when the text does not already carry it, and images as attachments for
// models that take them (a placeholder line for those that do not).
import type { CallToolResult, ContentBlock } from '@tframex/mcp-api';
import type { ChatContentPart } from '../model/chat-model.js';

export interface ModelToolResult {
  /** The text of the `tool` message. */
  text: string;
  /** Images to attach in a following user message (only when the model takes images). */
  attachments: ChatContentPart[];
}

function blockText(block: ContentBlock, acceptsImages: boolean, attachments: ChatContentPart[]) {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
      if (acceptsImages) {
        attachments.push({ type: 'image', data: block.data, mimeType: block.mimeType });
        return `[image ${attachments.length}: ${block.mimeType}, attached below]`;
      }
      return `[image: ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes, not shown]`;
    case 'audio':
      return `[audio: ${block.mimeType}, not shown]`;
    case 'resource_link':
      return `[resource: ${block.uri}${block.name ? ` (${block.name})` : ''}${block.description ? ` — ${block.description}` : ''}]`;
    case 'resource': {
      const resource = block.resource;
      return 'text' in resource
        ? `[resource ${resource.uri}]\n${resource.text}`
        : `[resource ${resource.uri}: ${resource.mimeType ?? 'binary'}, not shown]`;
    }
    default:
      return JSON.stringify(block);
  }
}

/** Cuts `text` to `maxChars`, saying how much was left out. */
export function limitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[… ${text.length - maxChars} more characters cut: the result exceeded ${maxChars}]`;
}

export function toModelToolResult(
  result: CallToolResult,
  acceptsImages: boolean,
  maxChars = Number.POSITIVE_INFINITY,
): ModelToolResult {
  const attachments: ChatContentPart[] = [];
  const parts = (Array.isArray(result.content) ? result.content : []).map((block) =>
    blockText(block, acceptsImages, attachments),
  );
  if (result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent);
    if (!parts.some((part) => part.trim() === json)) parts.push(json);
  }
  let text = parts.join('\n');
  if (text === '') text = result.isError ? 'The tool failed without saying why.' : '(no output)';
  return { text: limitText(result.isError ? `Error: ${text}` : text, maxChars), attachments };
}
