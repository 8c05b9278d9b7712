import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';
import type { CallToolResult } from '../protocol/tool.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpToolError');

export interface McpToolErrorOptions extends McpErrorOptions {
  toolName?: string;
  result?: CallToolResult;
}

/** A tool reported failure (`isError: true`) or its arguments or result broke its schema. */
export class McpToolError extends McpError {
  /** Name of the tool, as the server knows it. */
  readonly toolName: string | undefined;
  /** The result the server sent (with `isError: true`), when there was one. */
  readonly result: CallToolResult | undefined;

  constructor(message: string, options: McpToolErrorOptions = {}) {
    super('tool', message, options);
    this.toolName = options.toolName;
    this.result = options.result;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpToolError {
    return hasErrorBrand(value, BRAND);
  }
}
