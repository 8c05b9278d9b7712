// ModelResponseError: a model provider answered 2xx with something that is not a chat
// completion (malformed JSON, a broken stream chunk, a tool call without a name).
const BRAND = Symbol.for('@tframex/mcp-agents.ModelResponseError');

export interface ModelResponseErrorOptions {
  /** The offending text, cut to a few hundred characters. */
  excerpt?: string;
  cause?: unknown;
}

export class ModelResponseError extends Error {
  readonly excerpt: string | undefined;

  constructor(message: string, options: ModelResponseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.excerpt = options.excerpt?.slice(0, 300);
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  static isInstance(value: unknown): value is ModelResponseError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}
