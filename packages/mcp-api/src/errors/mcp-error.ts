// The root of every error the @tframex/mcp-* packages raise. Recovery logic branches on
// `kind` (or the subclass `isInstance` checks), never on message text.

/** What went wrong, in the terms that recovery logic (retry, re-auth, back off) cares about. */
export type McpErrorKind =
  | 'config'
  | 'connection'
  | 'timeout'
  | 'cancelled'
  | 'protocol'
  | 'tool'
  | 'auth'
  | 'security'
  | 'rate-limited'
  | 'circuit-open'
  | 'session-expired';

export interface McpErrorOptions {
  /** The error this one wraps. */
  cause?: unknown;
  /** Alias of the server the failing operation talked to. */
  server?: string;
  /** MCP method of the failing request (`tools/call`, `resources/read`, ...). */
  method?: string;
  /**
   * Whether repeating the same operation may succeed. Each kind has a default;
   * a raiser that knows better overrides it.
   */
  retryable?: boolean;
}

const ERROR_BRAND = Symbol.for('@tframex/mcp-api.McpError');

/**
 * Stamps a class-specific brand on an instance. Brands are global symbols, so two copies of
 * this package (a nested node_modules, a bundled dependency) still recognise each other's
 * errors, where `instanceof` would not.
 */
export function brandError(target: object, brand: symbol): void {
  Object.defineProperty(target, brand, { value: true, enumerable: false });
}

/** True when `value` carries `brand`; the body of every subclass's `isInstance`. */
export function hasErrorBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<McpErrorKind> = new Set([
  'connection',
  'timeout',
  'rate-limited',
  'session-expired',
]);

export class McpError extends Error {
  readonly kind: McpErrorKind;
  readonly server: string | undefined;
  readonly method: string | undefined;
  readonly retryable: boolean;

  constructor(kind: McpErrorKind, message: string, options: McpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.server = options.server;
    this.method = options.method;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(kind);
    brandError(this, ERROR_BRAND);
  }

  /** Whether `value` is an McpError from any copy of this package. */
  static isInstance(value: unknown): value is McpError {
    return hasErrorBrand(value, ERROR_BRAND);
  }
}

/** Narrows `value` to an McpError, optionally of one kind. */
export function isMcpError<K extends McpErrorKind>(
  value: unknown,
  kind?: K,
): value is McpError & { kind: K } {
  return McpError.isInstance(value) && (kind === undefined || value.kind === kind);
}
