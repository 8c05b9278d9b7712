// One renewal of a key's tokens at a time across every process that shares the TokenStore:
// the store's lock (when it has one) is held around reading, refreshing and saving them.
import { McpAuthError, McpCancelledError } from '@tframex/mcp-api';
import type { TokenStore } from '@tframex/mcp-auth-api';

/**
 * Runs `renew` holding the store's lease on `key`. A holder that died lets go when its lease
 * ends, so waiting for one is bounded by the lease (plus a margin for the store's polling).
 * Without a `lock` on the store, `renew` simply runs.
 */
export async function underRenewalLock<T>(
  store: TokenStore,
  key: string,
  leaseMs: number,
  renew: () => Promise<T>,
): Promise<T> {
  if (typeof store.lock !== 'function') return renew();
  const waitMs = leaseMs + Math.min(leaseMs, 5000);
  const lock = await store.lock(key, { ttlMs: leaseMs, waitMs });
  if (!lock) {
    // Renewing anyway could spend a rotating refresh token twice: report, let the caller retry.
    throw new McpAuthError(
      `another holder of the token store kept renewing these tokens for more than ${waitMs} ms`,
      { reason: 'temporarily_unavailable', retryable: true },
    );
  }
  try {
    return await renew();
  } finally {
    // A release that fails (the store went away) ends with the lease anyway.
    await lock.release().catch(() => undefined);
  }
}

/** `work`, unless `signal` aborts first: then an McpCancelledError (the work goes on for others). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  const cancelled = () =>
    new McpCancelledError('the request was aborted while credentials were being obtained', {
      reason: signal.reason,
    });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
