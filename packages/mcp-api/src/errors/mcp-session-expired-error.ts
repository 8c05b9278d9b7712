import { brandError, hasErrorBrand, McpError, type McpErrorOptions } from './mcp-error.js';

const BRAND = Symbol.for('@tframex/mcp-api.McpSessionExpiredError');

export interface McpSessionExpiredErrorOptions extends McpErrorOptions {
  sessionId?: string;
}

/** The server forgot the session (HTTP 404 on a session request, e.g. after a restart). Retryable after re-initialising. */
export class McpSessionExpiredError extends McpError {
  /** The session that the server no longer knows. */
  readonly sessionId: string | undefined;

  constructor(message: string, options: McpSessionExpiredErrorOptions = {}) {
    super('session-expired', message, options);
    this.sessionId = options.sessionId;
    brandError(this, BRAND);
  }

  static override isInstance(value: unknown): value is McpSessionExpiredError {
    return hasErrorBrand(value, BRAND);
  }
}
