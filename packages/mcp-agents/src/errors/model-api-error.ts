// ModelApiError: a model provider answered with an HTTP error (after any retries), or could
// not be reached. Branded like the McpError family, so two copies of this package agree.
const BRAND = Symbol.for('@tframex/mcp-agents.ModelApiError');

export interface ModelApiErrorOptions {
  /** HTTP status, when the provider answered. */
  status?: number;
  /** Whether the same request may succeed later (429, 5xx, network failures). */
  retryable?: boolean;
  /** What the provider asked us to wait, in ms (`Retry-After`). */
  retryAfterMs?: number;
  /** The provider's own error code or type, when it sent one (`rate_limit_exceeded`). */
  code?: string;
  /** Attempts made, retries included. */
  attempts?: number;
  cause?: unknown;
}

export class ModelApiError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly code: string | undefined;
  readonly attempts: number;

  constructor(message: string, options: ModelApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
    this.attempts = options.attempts ?? 1;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  static isInstance(value: unknown): value is ModelApiError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}
