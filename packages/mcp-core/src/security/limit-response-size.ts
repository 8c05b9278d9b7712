// Caps how many bytes a response body may deliver, so a hostile or broken server cannot
// exhaust memory: a declared Content-Length over the cap fails at once, an undeclared one
// fails as soon as the count passes it.
import { McpSecurityError } from '@tframex/mcp-api';

function tooLarge(maxBytes: number, server?: string): McpSecurityError {
  return new McpSecurityError(`The response exceeds maxResponseBytes (${maxBytes} bytes)`, {
    rule: 'response-size',
    server,
  });
}

/** A pass-through stream that errors with McpSecurityError once more than `maxBytes` flowed. */
export function createByteLimitStream(
  maxBytes: number,
  server?: string,
): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(tooLarge(maxBytes, server));
      else controller.enqueue(chunk);
    },
  });
}

/**
 * The same response with its body capped at `maxBytes`. Throws McpSecurityError (rule
 * `response-size`) at once when Content-Length already says more; otherwise reading the body
 * fails when it passes the cap.
 */
export function limitResponseSize(response: Response, maxBytes: number, server?: string): Response {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, server);
  }
  if (!response.body) return response;
  const limited = new Response(response.body.pipeThrough(createByteLimitStream(maxBytes, server)), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // The copy cannot be constructed with these; callers (SDK transports) read them.
  Object.defineProperties(limited, {
    url: { value: response.url },
    redirected: { value: response.redirected },
  });
  return limited;
}
