// A middleware that logs every request, its outcome and duration, with secrets redacted
// from parameters, results and error messages.
import { McpError, type McpMiddleware, type McpRequest } from '@tframex/mcp-api';
import { redact, redactText } from './redact.js';

export interface McpLogEntry {
  phase: 'request' | 'response' | 'error';
  server: string;
  method: string;
  target?: string;
  durationMs?: number;
  /** Redacted request parameters (with `includeParams`). */
  params?: unknown;
  /** Redacted result (with `includeResults`). */
  result?: unknown;
  /** McpError kind, for failures. */
  errorKind?: string;
  /** Redacted error message, for failures. */
  error?: string;
}

export interface LoggingMiddlewareOptions {
  /** Where entries go: a function, or a console-like object (info for requests, error for failures). Default: console. */
  logger?: ((entry: McpLogEntry) => void) | Pick<Console, 'info' | 'error'>;
  /** Log request parameters (redacted). Default false. */
  includeParams?: boolean;
  /** Log results (redacted). Default false: results can be large. */
  includeResults?: boolean;
  /** Also log when a request starts, not only when it ends. Default false. */
  logStart?: boolean;
  /** More key names (or patterns) to redact, beyond the built-in secret-looking ones. */
  redactKeys?: (string | RegExp)[];
}

const STARTED = 'tframex.logging.startedAt';

export function loggingMiddleware(options: LoggingMiddlewareOptions = {}): McpMiddleware {
  const extra = options.redactKeys ?? [];
  const sink = options.logger ?? console;
  const write = (entry: McpLogEntry): void => {
    if (typeof sink === 'function') sink(entry);
    else if (entry.phase === 'error')
      sink.error(
        `[mcp] ${entry.server} ${entry.method}${entry.target ? ` ${entry.target}` : ''} failed (${entry.errorKind}): ${entry.error}`,
        entry,
      );
    else
      sink.info(
        `[mcp] ${entry.server} ${entry.method}${entry.target ? ` ${entry.target}` : ''}${entry.durationMs !== undefined ? ` ${entry.durationMs.toFixed(1)} ms` : ''}`,
        entry,
      );
  };
  const base = (request: McpRequest): McpLogEntry => ({
    phase: 'request',
    server: request.server,
    method: request.method,
    ...(request.target !== undefined ? { target: redactText(request.target) } : {}),
    ...(options.includeParams ? { params: redact(request.params, extra) } : {}),
  });
  const elapsed = (request: McpRequest): number =>
    performance.now() - ((request.context.get(STARTED) as number | undefined) ?? performance.now());

  return {
    name: 'logging',
    beforeRequest(request) {
      request.context.set(STARTED, performance.now());
      if (options.logStart) write(base(request));
      return request;
    },
    afterResponse(response) {
      write({
        ...base(response.request),
        phase: 'response',
        durationMs: elapsed(response.request),
        ...(options.includeResults ? { result: redact(response.result, extra) } : {}),
      });
      return response;
    },
    onError(error, request) {
      write({
        ...base(request),
        phase: 'error',
        durationMs: elapsed(request),
        errorKind: McpError.isInstance(error) ? error.kind : 'unknown',
        error: redactText(error instanceof Error ? error.message : String(error)),
      });
    },
  };
}
