import {
  brandError,
  hasErrorBrand,
  McpToolError,
  type McpToolErrorOptions,
} from '@tframex/mcp-api';

const BRAND = Symbol.for('@tframex/mcp-resources.McpRestError');

export interface McpRestErrorOptions extends McpToolErrorOptions {
  /** The HTTP status the API answered with, where the server passed it on. */
  status?: number;
}

/** A REST call failed: the API answered with an error status, or the server could not reach it. */
export class McpRestError extends McpToolError {
  readonly status: number | undefined;

  constructor(message: string, options: McpRestErrorOptions = {}) {
    super(message, {
      retryable: options.status !== undefined && options.status >= 500,
      ...options,
    });
    this.status = options.status;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpRestError {
    return hasErrorBrand(value, BRAND);
  }
}
