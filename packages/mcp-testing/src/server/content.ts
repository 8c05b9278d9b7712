// Turns what mock handlers return into MCP results: resource contents and prompt messages.
// (Tool results use toCallToolResult from @tframex/mcp-api, the house rule for plain values.)
import type { GetPromptResult, PromptMessage, ReadResourceResult } from '@tframex/mcp-api';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isReadResourceResult(value: unknown): value is ReadResourceResult {
  return (
    isRecord(value) &&
    Array.isArray(value['contents']) &&
    value['contents'].every((entry) => isRecord(entry) && typeof entry['uri'] === 'string')
  );
}

/**
 * A resource read's value as MCP contents: a full `{ contents: [...] }` result passes through,
 * a string is text, bytes are a base64 blob, `undefined` is empty, anything else is JSON text
 * (`application/json`).
 */
export function toReadResourceResult(
  uri: string,
  value: unknown,
  mimeType?: string,
): ReadResourceResult {
  if (isReadResourceResult(value)) return value;
  if (value === undefined) return { contents: [] };
  if (typeof value === 'string')
    return { contents: [{ uri, mimeType: mimeType ?? 'text/plain', text: value }] };
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
    return {
      contents: [
        {
          uri,
          mimeType: mimeType ?? 'application/octet-stream',
          blob: Buffer.from(bytes).toString('base64'),
        },
      ],
    };
  }
  return {
    contents: [{ uri, mimeType: mimeType ?? 'application/json', text: JSON.stringify(value) }],
  };
}

function isPromptMessage(value: unknown): value is PromptMessage {
  return (
    isRecord(value) &&
    (value['role'] === 'user' || value['role'] === 'assistant') &&
    isRecord(value['content'])
  );
}

/**
 * A prompt handler's value as a GetPromptResult: a result with `messages` passes through, a
 * string becomes one user message, a message or an array of messages is used as is.
 */
export function toGetPromptResult(value: unknown, description?: string): GetPromptResult {
  const withDescription = (messages: PromptMessage[]): GetPromptResult =>
    description === undefined ? { messages } : { description, messages };
  if (isRecord(value) && Array.isArray(value['messages'])) return value as GetPromptResult;
  if (typeof value === 'string')
    return withDescription([{ role: 'user', content: { type: 'text', text: value } }]);
  if (isPromptMessage(value)) return withDescription([value]);
  if (Array.isArray(value) && value.every(isPromptMessage)) return withDescription(value);
  return withDescription([
    { role: 'user', content: { type: 'text', text: JSON.stringify(value) } },
  ]);
}
