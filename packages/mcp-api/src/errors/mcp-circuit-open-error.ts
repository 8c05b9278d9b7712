import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpCircuitOpenError');

export interface McpCircuitOpenErrorOptions extends McpErrorOptions {
  retryAfterMs?: number;
}

/** The circuit breaker is open: the server failed repeatedly and calls fail fast until it recovers. */
export class McpCircuitOpenError extends McpError {
  /** Time until the breaker lets a probe request through. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: McpCircuitOpenErrorOptions = {}) {
    super('circuit-open', message, options);
    this.retryAfterMs = options.retryAfterMs;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpCircuitOpenError {
    return hasErrorBrand(value, BRAND);
  }
}
