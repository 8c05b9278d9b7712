// Whether a failed request provably never ran on the server, so that even a non-idempotent
// one (a tools/call without readOnlyHint/idempotentHint) may be sent again.
import {
  McpCircuitOpenError,
  McpConnectionError,
  McpRateLimitedError,
  McpSessionExpiredError,
  McpTimeoutError,
} from '@tframex/mcp-api';
import { findErrorCode, NOT_SENT_NETWORK_CODES } from './network-error-code.js';

/**
 * True when the request cannot have been processed: the connection was never made
 * (refused, DNS failure, unreachable, connect timeout), the local rate limiter held it back,
 * an open circuit refused it, the server refused it unprocessed (408, 429), the server did
 * not know the session (404 on a session), or connecting timed out. A reset or a timeout mid-request is not enough: the
 * server may have run it.
 */
export function isSafeToReplay(error: unknown): boolean {
  if (McpRateLimitedError.isInstance(error) || McpCircuitOpenError.isInstance(error)) return true;
  if (McpSessionExpiredError.isInstance(error)) return true;
  if (McpTimeoutError.isInstance(error)) return error.phase === 'connect';
  if (McpConnectionError.isInstance(error) && (error.status === 408 || error.status === 429)) {
    return true;
  }
  return findErrorCode(error, NOT_SENT_NETWORK_CODES) !== undefined;
}
