// The fetch OAuth2Auth uses for authorization servers: every request has a deadline, and a
// response body larger than the cap errors instead of filling memory.
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { McpSecurityError, McpTimeoutError } from '@tframex/mcp-api';

export interface GuardOptions {
  timeoutMs: number;
  maxResponseBytes: number;
}

function capBody(response: Response, limit: number, url: string): Response {
  if (!response.body) return response;
  let seen = 0;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          controller.error(
            new McpSecurityError(`the response from ${url} is larger than ${limit} bytes`, {
              rule: 'response-size',
            }),
          );
        } else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

export function guardedFetch(base: FetchFunction, options: GuardOptions): FetchFunction {
  return async (input, init = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let response: Response;
    try {
      response = await base(input, { ...init, signal });
    } catch (cause) {
      if (deadline.aborted && !init.signal?.aborted) {
        throw new McpTimeoutError(
          `${new URL(url).origin} did not answer within ${options.timeoutMs} ms`,
          {
            timeoutMs: options.timeoutMs,
            cause,
          },
        );
      }
      throw cause;
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxResponseBytes) {
      response.body?.cancel().catch(() => undefined);
      throw new McpSecurityError(
        `the response from ${url} is larger than ${options.maxResponseBytes} bytes`,
        { rule: 'response-size' },
      );
    }
    return capBody(response, options.maxResponseBytes, url);
  };
}
