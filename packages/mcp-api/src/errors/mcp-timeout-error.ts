import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpTimeoutError');

export interface McpTimeoutErrorOptions extends McpErrorOptions {
  timeoutMs?: number;
  phase?: 'connect' | 'request';
}

/** A request or a connection attempt ran out of time. Distinct from McpCancelledError: nobody asked to stop. */
export class McpTimeoutError extends McpError {
  /** The budget that ran out. */
  readonly timeoutMs: number | undefined;
  /** Whether connecting or a request ran out of time. */
  readonly phase: 'connect' | 'request';

  constructor(message: string, options: McpTimeoutErrorOptions = {}) {
    super('timeout', message, options);
    this.timeoutMs = options.timeoutMs;
    this.phase = options.phase ?? 'request';
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpTimeoutError {
    return hasErrorBrand(value, BRAND);
  }
}
