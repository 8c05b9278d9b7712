// The value a tool call produced, for executeTool: structured content, else the text parsed as
// JSON, else the text.
import { isDeepStrictEqual } from 'node:util';
import type { CallToolResult } from '@tframex/mcp-api';

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function toolValue(result: CallToolResult): unknown {
  const texts = result.content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
  const structured = result.structuredContent;
  if (structured !== undefined) {
    // SEP-2106: on 2025-11-25 connections a non-object value travels as `{ result: value }`,
    // next to a text block holding the value's JSON. That text tells the wrap from an object
    // that merely has a `result` field, whose text would be the whole object.
    if (typeof structured === 'object' && structured !== null && !Array.isArray(structured)) {
      const keys = Object.keys(structured);
      const inner = (structured as Record<string, unknown>)['result'];
      if (keys.length === 1 && keys[0] === 'result') {
        const unwrapped = texts.some((text) => {
          const value = parsed(text);
          return value.ok && isDeepStrictEqual(value.value, inner);
        });
        if (unwrapped) return inner;
      }
    }
    return structured;
  }
  if (texts.length === 1) {
    const value = parsed(texts[0]!);
    return value.ok ? value.value : texts[0];
  }
  if (texts.length > 1) return texts.join('\n');
  return result.content.length > 0 ? result.content : undefined;
}

/** The text of a tool error result, for the McpToolError message. */
export function toolErrorText(result: CallToolResult): string {
  return result.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
}
