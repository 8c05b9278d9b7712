// Options every McpSession request accepts.
import type { McpServerRequestHandlers } from './server-requests.js';

/** A progress report from a long-running request (`notifications/progress`). */
export interface McpProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface McpRequestOptions {
  /** Aborting rejects the request with McpCancelledError and tells the server to stop. */
  signal?: AbortSignal;
  /**
   * Time budget for this request, in milliseconds. While the server keeps reporting
   * progress, the budget restarts with every report: long tools that show they are
   * alive do not time out.
   */
  timeoutMs?: number;
  /** Receives progress reports for this request. */
  onProgress?: (progress: McpProgress) => void;
  /** Extra `_meta` to send with the request. */
  meta?: Record<string, unknown>;
  /**
   * Handlers for server requests (sampling, elicitation) that belong to this request, used
   * before the session's own where the session can tell which request a server request
   * belongs to (see `McpServerRequestContext.relatedRequest`).
   */
  serverRequestHandlers?: McpServerRequestHandlers;
}
