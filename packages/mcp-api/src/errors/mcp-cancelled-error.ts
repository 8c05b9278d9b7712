import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpCancelledError');

export interface McpCancelledErrorOptions extends McpErrorOptions {
  reason?: unknown;
}

/** The caller aborted the operation through its AbortSignal (or closed the client). Never retried. */
export class McpCancelledError extends McpError {
  /** The abort reason the caller gave, if any. */
  readonly reason: unknown;

  constructor(message: string, options: McpCancelledErrorOptions = {}) {
    super('cancelled', message, options);
    this.reason = options.reason;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpCancelledError {
    return hasErrorBrand(value, BRAND);
  }
}
