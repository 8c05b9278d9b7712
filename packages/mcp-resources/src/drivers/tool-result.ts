// Reading tool results: their text, their JSON, and tool errors as McpToolError.
import { McpProtocolError, McpToolError, type CallToolResult } from '@tframex/mcp-api';

/** Every text block of a result, in order. */
export function textsOf(result: CallToolResult): string[] {
  const texts: string[] = [];
  for (const block of result.content ?? []) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
  }
  return texts;
}

/** The text blocks joined with newlines. */
export function textOf(result: CallToolResult): string {
  return textsOf(result).join('\n');
}

/** Parses `text` as JSON; a malformed answer is an McpProtocolError naming the tool. */
export function parseJson(text: string, tool: string, server?: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new McpProtocolError(
      `Tool "${tool}" answered with text that is not the JSON it should be: ${JSON.stringify(text.slice(0, 120))}`,
      { method: 'tools/call', code: -32603, cause: error, ...(server ? { server } : {}) },
    );
  }
}

/** An McpToolError carrying the server's message. */
export function toolError(result: CallToolResult, tool: string, server?: string): McpToolError {
  const text = textOf(result).trim() || 'the tool reported an error without a message';
  return new McpToolError(`Tool "${tool}" failed: ${text}`, {
    toolName: tool,
    result,
    method: 'tools/call',
    ...(server ? { server } : {}),
  });
}
