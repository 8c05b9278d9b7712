import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpAuthError');

/** Machine-readable auth failure reasons; OAuth error codes keep their RFC 6749 spelling. */
export type McpAuthErrorReason =
  | 'unauthorized'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_token'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'access_denied'
  | 'expired'
  | 'insufficient_scope'
  | 'discovery-failed'
  | 'registration-failed'
  | 'issuer-mismatch'
  | 'retry-limit'
  | 'state-mismatch'
  | 'temporarily_unavailable'
  | 'tls';

export interface McpAuthErrorOptions extends McpErrorOptions {
  reason?: McpAuthErrorReason;
  status?: number;
}

/** Credentials were missing, refused or could not be obtained. Messages never contain secrets. */
export class McpAuthError extends McpError {
  /** Why authentication failed. */
  readonly reason: McpAuthErrorReason;
  /** HTTP status that carried the failure (401, 403, 400 from a token endpoint...). */
  readonly status: number | undefined;

  constructor(message: string, options: McpAuthErrorOptions = {}) {
    super('auth', message, options);
    this.reason = options.reason ?? 'unauthorized';
    this.status = options.status;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpAuthError {
    return hasErrorBrand(value, BRAND);
  }
}
