// Options every McpSession request accepts.

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
}
