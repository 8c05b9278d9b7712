// A subscription with overflow policy `fail` whose consumer fell `bufferSize` events behind.
import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from '@tframex/mcp-api';

const BRAND = Symbol.for('@tframex/mcp-streams.McpStreamOverflowError');

export interface McpStreamOverflowErrorOptions extends McpErrorOptions {
  bufferSize: number;
}

/**
 * The consumer did not keep up: `bufferSize` events were waiting when one more arrived, and
 * the subscription's overflow policy is `fail`. Kind `rate-limited`: slow down or buffer more.
 */
export class McpStreamOverflowError extends McpError {
  readonly bufferSize: number;

  constructor(message: string, options: McpStreamOverflowErrorOptions) {
    super('rate-limited', message, { retryable: false, ...options });
    this.bufferSize = options.bufferSize;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpStreamOverflowError {
    return hasErrorBrand(value, BRAND);
  }
}
