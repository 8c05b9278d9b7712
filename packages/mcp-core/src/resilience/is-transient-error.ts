// Which failures are worth another attempt. Recovery branches on error kinds, HTTP statuses
// and Node error codes; never on message text.
import { isMcpError, McpConnectionError, McpError } from '@tframex/mcp-api';
import { findErrorCode, TRANSIENT_NETWORK_CODES } from './network-error-code.js';

/** 408 Request Timeout, 429 Too Many Requests and 5xx, except 501/505 (they will not change). */
export function isTransientStatus(status: number): boolean {
  return (
    status === 408 ||
    status === 429 ||
    (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

const TRANSIENT_KINDS = new Set(['connection', 'timeout', 'rate-limited', 'session-expired']);

/**
 * Whether another attempt may succeed: connection failures (refused, reset, broken pipe,
 * HTTP 408/429/5xx), timeouts, rate limiting and expired sessions. Never cancellations,
 * configuration, auth, security, protocol or tool errors, nor an open circuit. An McpError
 * whose raiser set `retryable: false` is respected.
 */
export function isTransientError(error: unknown): boolean {
  if (McpError.isInstance(error)) {
    if (!TRANSIENT_KINDS.has(error.kind) || !error.retryable) return false;
    if (McpConnectionError.isInstance(error) && error.status !== undefined) {
      return isTransientStatus(error.status);
    }
    return true;
  }
  if (isAbort(error)) return false;
  return findErrorCode(error, TRANSIENT_NETWORK_CODES) !== undefined;
}

/** DOMException-style aborts (`AbortError`, `TimeoutError` from AbortSignal.timeout). */
export function isAbort(error: unknown): boolean {
  if (isMcpError(error, 'cancelled')) return true;
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** The wait the failure asks for (`retryAfterMs` of a 429, a 503 or an open circuit), if any. */
export function retryAfterMsOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
