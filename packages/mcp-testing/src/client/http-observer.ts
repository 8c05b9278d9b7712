// Remembers what the HTTP layer answered during one client call (status, Retry-After, the
// session the request carried), because the SDK's HTTP errors keep only the status: the
// error mapping needs the rest to tell a rate limit or an expired session apart.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchFunction } from '@tframex/mcp-auth-api';

export interface HttpObservation {
  status?: number;
  retryAfterMs?: number;
  sessionId?: string;
  wwwAuthenticate?: string;
}

const current = new AsyncLocalStorage<HttpObservation>();

/** Runs `call` with a fresh observation that the observing fetch fills in. */
export function observeHttp<T>(call: () => Promise<T>): {
  observation: HttpObservation;
  result: Promise<T>;
} {
  const observation: HttpObservation = {};
  return { observation, result: current.run(observation, call) };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Wraps fetch so that refused responses are noted on the current call's observation. */
export function observingFetch(inner: FetchFunction): FetchFunction {
  return async (input, init) => {
    const response = await inner(input, init);
    const observation = current.getStore();
    if (observation && !response.ok) {
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
    return response;
  };
}
