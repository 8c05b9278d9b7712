// Abortable waiting: backoff and queues must stop the moment their caller gives up.
import { McpCancelledError } from '@tframex/mcp-api';
import { type Clock, systemClock } from './clock.js';

/** The error an aborted wait rejects with. */
export function cancelledError(signal: AbortSignal, cause?: unknown): McpCancelledError {
  return new McpCancelledError('The operation was cancelled', {
    reason: signal.reason,
    cause: cause ?? signal.reason,
  });
}

/** Waits `delayMs`; aborting `signal` rejects at once with McpCancelledError. */
export function sleep(
  delayMs: number,
  signal?: AbortSignal,
  clock: Clock = systemClock,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelledError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(cancelledError(signal as AbortSignal));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
