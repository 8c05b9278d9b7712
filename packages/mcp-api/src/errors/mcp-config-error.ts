import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpConfigError');

/** One thing wrong with a set of options. */
export interface McpConfigIssue {
  /** Dotted path of the option. */
  field: string;
  /** What it should have been, in words. */
  expected: string;
  /** What was received (redacted when secret). */
  received?: unknown;
  /** An extra sentence, e.g. a "did you mean" suggestion. */
  hint?: string;
}

export interface McpConfigErrorOptions extends McpErrorOptions {
  /** Dotted path of the offending option, e.g. `retryDelayMs` or `servers.db.command`. */
  field?: string;
  /** What the option should have been, in words. */
  expected?: string;
  /** What was received (already redacted when secret). */
  received?: unknown;
  /** Every problem, when several were found at once (default: the one described by field/expected/received). */
  issues?: McpConfigIssue[];
}

/** Options or configuration files that cannot be used as given. Never retryable. */
export class McpConfigError extends McpError {
  readonly field: string | undefined;
  readonly expected: string | undefined;
  readonly received: unknown;
  /** Every problem found, so tools can show them all (the message lists them too). */
  readonly issues: readonly McpConfigIssue[];

  constructor(message: string, options: McpConfigErrorOptions = {}) {
    super('config', message, { ...options, retryable: false });
    this.field = options.field;
    this.expected = options.expected;
    this.received = options.received;
    this.issues =
      options.issues ??
      (options.field !== undefined && options.expected !== undefined
        ? [
            {
              field: options.field,
              expected: options.expected,
              ...(options.received !== undefined ? { received: options.received } : {}),
            },
          ]
        : []);
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpConfigError {
    return hasErrorBrand(value, BRAND);
  }
}
