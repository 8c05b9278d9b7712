import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpConfigError');

export interface McpConfigErrorOptions extends McpErrorOptions {
  /** Dotted path of the offending option, e.g. `retryDelayMs` or `servers.db.command`. */
  field?: string;
  /** What the option should have been, in words. */
  expected?: string;
  /** What was received (already redacted when secret). */
  received?: unknown;
}

/** Options or configuration files that cannot be used as given. Never retryable. */
export class McpConfigError extends McpError {
  readonly field: string | undefined;
  readonly expected: string | undefined;
  readonly received: unknown;

  constructor(message: string, options: McpConfigErrorOptions = {}) {
    super('config', message, { ...options, retryable: false });
    this.field = options.field;
    this.expected = options.expected;
    this.received = options.received;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpConfigError {
    return hasErrorBrand(value, BRAND);
  }
}
