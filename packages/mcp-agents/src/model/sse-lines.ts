// Server-sent events from a response body: the `data:` payload of each event, in order.
// Bounded: one event larger than `maxEventBytes` fails instead of growing without end.
import { ModelResponseError } from '../errors/model-response-error.js';

export async function* sseData(
  body: ReadableStream<Uint8Array>,
  maxEventBytes: number,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        // Comments (`: keep-alive`), `event:`, `id:` and `retry:` lines carry nothing we use.
      }
      if (buffer.length > maxEventBytes) {
        throw new ModelResponseError(
          `A server-sent event from the model exceeded ${maxEventBytes} bytes`,
          { excerpt: buffer },
        );
      }
      if (done) break;
    }
    if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
    if (data.length > 0) yield data.join('\n');
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
