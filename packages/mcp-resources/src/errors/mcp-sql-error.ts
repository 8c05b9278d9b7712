import {
  brandError,
  hasErrorBrand,
  McpToolError,
  type McpToolErrorOptions,
} from '@tframex/mcp-api';

const BRAND = Symbol.for('@tframex/mcp-resources.McpSqlError');

export interface McpSqlErrorOptions extends McpToolErrorOptions {
  /** The SQLSTATE code (`42P01` undefined table, `23505` unique violation, ...), where the server passed it on. */
  sqlState?: string;
  /** PostgreSQL's hint, where given. */
  hint?: string;
}

/** A SQL statement failed on the server: the database's message, and its SQLSTATE where present. */
export class McpSqlError extends McpToolError {
  readonly sqlState: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: McpSqlErrorOptions = {}) {
    super(message, options);
    this.sqlState = options.sqlState;
    this.hint = options.hint;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpSqlError {
    return hasErrorBrand(value, BRAND);
  }
}
