import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpConnectionError');

export interface McpConnectionErrorOptions extends McpErrorOptions {
  status?: number;
  transport?: string;
}

/** The server could not be reached, or the connection broke (refused, reset, process exited, 5xx). Retryable by default. */
export class McpConnectionError extends McpError {
  /** HTTP status of the failed exchange, when there was one. */
  readonly status: number | undefined;
  /** Transport that failed: `stdio`, `streamable-http`, `sse`, `memory`. */
  readonly transport: string | undefined;

  constructor(message: string, options: McpConnectionErrorOptions = {}) {
    super('connection', message, options);
    this.status = options.status;
    this.transport = options.transport;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpConnectionError {
    return hasErrorBrand(value, BRAND);
  }
}
