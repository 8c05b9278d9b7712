import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpSecurityError');

/** The security policy rules that can refuse an operation. */
export type McpSecurityRule =
  | 'allowed-servers'
  | 'encrypt-transport'
  | 'redirect'
  | 'schema-validation'
  | 'response-size'
  | 'schema-depth'
  | 'signature'
  | 'integrity';

export interface McpSecurityErrorOptions extends McpErrorOptions {
  rule?: McpSecurityRule;
}

/** A security policy refused the operation (server not allowed, plain HTTP, oversized response...). Never retried. */
export class McpSecurityError extends McpError {
  /** The policy rule that refused the operation. */
  readonly rule: McpSecurityRule;

  constructor(message: string, options: McpSecurityErrorOptions = {}) {
    super('security', message, options);
    this.rule = options.rule ?? 'allowed-servers';
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpSecurityError {
    return hasErrorBrand(value, BRAND);
  }
}
