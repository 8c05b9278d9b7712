import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpRateLimitedError');

export interface McpRateLimitedErrorOptions extends McpErrorOptions {
  retryAfterMs?: number;
  source?: 'local' | 'server';
}

/** Too many requests: the local rate limiter or the server (429) refused. Retryable after `retryAfterMs`. */
export class McpRateLimitedError extends McpError {
  /** How long to wait before trying again, when known. */
  readonly retryAfterMs: number | undefined;
  /** Whether the local limiter or the server (HTTP 429) refused. */
  readonly source: 'local' | 'server';

  constructor(message: string, options: McpRateLimitedErrorOptions = {}) {
    super('rate-limited', message, options);
    this.retryAfterMs = options.retryAfterMs;
    this.source = options.source ?? 'server';
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpRateLimitedError {
    return hasErrorBrand(value, BRAND);
  }
}
