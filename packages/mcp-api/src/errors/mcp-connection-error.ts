import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpConnectionError');

export interface McpConnectionErrorOptions extends McpErrorOptions {
  status?: number;
  transport?: string;
  retryAfterMs?: number;
}

/** The server could not be reached, or the connection broke (refused, reset, process exited, 5xx). Retryable by default. */
export class McpConnectionError extends McpError {
  /** HTTP status of the failed exchange, when there was one. */
  readonly status: number | undefined;
  /** Transport that failed: `stdio`, `streamable-http`, `sse`, `memory`. */
  readonly transport: string | undefined;
  /** How long the server asked the client to wait (`Retry-After` on a 503), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: McpConnectionErrorOptions = {}) {
    super('connection', message, options);
    this.status = options.status;
    this.transport = options.transport;
    this.retryAfterMs = options.retryAfterMs;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpConnectionError {
    return hasErrorBrand(value, BRAND);
  }
}
