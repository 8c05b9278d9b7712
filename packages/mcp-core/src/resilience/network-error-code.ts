// Finds the Node/undici error code behind a failure. fetch() and the SDK wrap socket errors
// (TypeError("fetch failed") → cause → AggregateError → errors[]), so the code can sit
// anywhere in the cause chain; codes, never message text, say what happened.

/** Socket-level failures that a later attempt may not meet. */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Failures that prove the request never reached the server: no connection was ever made.
 * Replaying a non-idempotent request after one of these cannot run it twice.
 */
export const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const MAX_VISITED = 32;

/** Every `code` string in the error, its cause chain and aggregated errors, nearest first. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < MAX_VISITED) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors } = current as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors.slice(0, MAX_VISITED));
  }
  return codes;
}

/** The first code of `error`'s chain that is in `codes`, if any. */
export function findErrorCode(error: unknown, codes: ReadonlySet<string>): string | undefined {
  return errorCodes(error).find((code) => codes.has(code));
}
