// Remembers what the HTTP layer did during one client call: what it answered (status,
// Retry-After, the session the request carried — the SDK's HTTP errors keep only the status,
// and the error mapping needs the rest), the bytes that went each way, and which server
// requests arrived on the call's own response stream (legacy sessions send the sampling or
// elicitation a tool call needs there).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { SseRequestScanner } from './sse-request-scanner.js';

export interface HttpObservation {
  status?: number;
  retryAfterMs?: number;
  sessionId?: string;
  wwwAuthenticate?: string;
  /** Request body bytes sent, when counting was asked for. */
  bytesSent?: number;
  /** Response body bytes read so far, when counting was asked for. */
  bytesReceived?: number;
}

export interface ObserveOptions {
  /** Count request and response body bytes. */
  countBytes?: boolean;
  /** Told the JSON-RPC id of every server request that arrives on this call's response streams. */
  onServerRequest?: (id: string | number) => void;
}

interface Observed {
  readonly observation: HttpObservation;
  readonly options: ObserveOptions;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function bodyBytes(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}

/** One per client: the calls it observes and the fetch that fills their observations in. */
export class HttpObserver {
  readonly #current = new AsyncLocalStorage<Observed>();

  /** Runs `call` with a fresh observation that the observing fetch fills in. */
  observe<T>(
    call: () => Promise<T>,
    options: ObserveOptions = {},
  ): { observation: HttpObservation; result: Promise<T> } {
    const observation: HttpObservation = {};
    return { observation, result: this.#current.run({ observation, options }, call) };
  }

  /** Wraps fetch so that what it sends and answers is noted on the current call's observation. */
  fetch(inner: FetchFunction): FetchFunction {
    return async (input, init) => {
      const observed = this.#current.getStore();
      const observation = observed?.observation;
      const options = observed?.options ?? {};
      if (observation && options.countBytes && init?.body !== undefined && init.body !== null) {
        observation.bytesSent = (observation.bytesSent ?? 0) + bodyBytes(init.body);
      }
      const response = await inner(input, init);
      if (!observation) return response;
      if (!response.ok) {
        observation.status = response.status;
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        if (retryAfterMs !== undefined) observation.retryAfterMs = retryAfterMs;
        const challenge = response.headers.get('www-authenticate');
        if (challenge !== null) observation.wwwAuthenticate = challenge;
        const sessionId = new Headers(
          init?.headers ?? (input instanceof Request ? input.headers : undefined),
        ).get('mcp-session-id');
        if (sessionId !== null) observation.sessionId = sessionId;
      }
      return this.#watchBody(response, observation, options);
    };
  }

  #watchBody(response: Response, observation: HttpObservation, options: ObserveOptions): Response {
    const body = response.body;
    if (body === null) return response;
    const isEventStream = /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '');
    const scanner =
      isEventStream && options.onServerRequest
        ? new SseRequestScanner(options.onServerRequest)
        : undefined;
    const countBytes = options.countBytes === true;
    if (!scanner && !countBytes) return response;
    if (countBytes) observation.bytesReceived ??= 0;
    const watched = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (countBytes)
            observation.bytesReceived = (observation.bytesReceived ?? 0) + chunk.length;
          // Scanned before the transport reads the chunk, so the request is known first.
          scanner?.push(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(watched, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
}
