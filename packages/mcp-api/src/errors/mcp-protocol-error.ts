import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpProtocolError');

export interface McpProtocolErrorOptions extends McpErrorOptions {
  code?: number;
  data?: unknown;
}

/** The server answered with a JSON-RPC error, or with something that is not valid MCP. */
export class McpProtocolError extends McpError {
  /** JSON-RPC error code (`-32602` invalid params, `-32601` method not found, ...). */
  readonly code: number;
  /** The `data` member of the JSON-RPC error, if any. */
  readonly data: unknown;

  constructor(message: string, options: McpProtocolErrorOptions = {}) {
    super('protocol', message, options);
    this.code = options.code ?? -32603;
    this.data = options.data;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpProtocolError {
    return hasErrorBrand(value, BRAND);
  }
}
