// The events an MCPClient emits (McpClientEvents) and where the errors of user callbacks go.
// Nothing is built for an event nobody listens to: telemetry costs nothing unobserved.
import { McpError, McpProtocolError, type McpResponse } from '@tframex/mcp-api';
import {
  McpEventHub,
  type McpClientEvents,
  type McpEndpointFields,
  type McpEventListener,
  type McpListenerErrorEvent,
  type McpRequestStartEvent,
} from '@tframex/mcp-telemetry-api';
import type { SdkRequestReport } from '../adapter/sdk-adapter.js';
import type { ClientRequest } from './client-request.js';

/** One attempt on its way: what request:end repeats, and when it started. */
export interface AttemptTrace {
  readonly start: McpRequestStartEvent | undefined;
}

/** A `tools/call` result with `isError: true`. */
function isToolError(method: string, result: unknown): boolean {
  return (
    method === 'tools/call' &&
    typeof result === 'object' &&
    result !== null &&
    (result as { isError?: unknown }).isError === true
  );
}

/** The bytes the adapter measured for an attempt, in request:end's fields. */
function bytesOf(report: SdkRequestReport | undefined): {
  bytesSent?: number;
  bytesReceived?: number;
} {
  if (report?.bytesSent === undefined) return {};
  return report.bytesReceived === undefined
    ? { bytesSent: report.bytesSent }
    : { bytesSent: report.bytesSent, bytesReceived: report.bytesReceived };
}

/** The tool, prompt or resource a request is about, in the field its method names. */
function subjectOf(method: string, target: string | undefined): Partial<McpRequestStartEvent> {
  if (target === undefined) return {};
  if (method === 'tools/call') return { target, tool: target };
  if (method === 'prompts/get') return { target, prompt: target };
  if (method.startsWith('resources/')) return { target, resourceUri: target };
  return { target };
}

export class ClientTelemetry {
  readonly hub = new McpEventHub<McpClientEvents>();
  readonly #server: string;
  #nextRequestId = 1;
  #nextCallId = 1;
  #lastSuccessAt: number | undefined;
  #lastError: { at: number; kind?: string; message: string } | undefined;

  constructor(server: string) {
    this.#server = server;
    this.hub.onListenerError = (error, event) =>
      this.listenerError('event-listener', String(event), error);
  }

  on<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): () => void {
    return this.hub.on(event, listener);
  }

  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.hub.off(event, listener);
  }

  /** A fresh id for one call, shared by all its attempts. */
  nextCallId(): number {
    return this.#nextCallId++;
  }

  /** `Date.now()` of the last request that succeeded. */
  get lastSuccessAt(): number | undefined {
    return this.#lastSuccessAt;
  }
  /** The last request that failed (tool errors included), with when. */
  get lastError(): { at: number; kind?: string; message: string } | undefined {
    return this.#lastError;
  }

  beginAttempt(
    request: ClientRequest<unknown>,
    callId: number,
    attempt: number,
    endpoint: McpEndpointFields,
    queuedMs?: number,
  ): AttemptTrace {
    const hub = this.hub;
    if (!hub.hasListeners('request:start') && !hub.hasListeners('request:end'))
      return { start: undefined };
    const start: McpRequestStartEvent = {
      ...endpoint,
      requestId: this.#nextRequestId++,
      callId,
      server: this.#server,
      method: request.method,
      ...subjectOf(request.method, request.target),
      attempt,
      startTime: performance.now(),
      ...(queuedMs !== undefined ? { queuedMs } : {}),
    };
    hub.emit('request:start', start);
    return { start };
  }

  endAttempt(
    trace: AttemptTrace,
    end: ({ error: unknown } | { result: unknown; cached?: boolean }) & {
      report?: SdkRequestReport | undefined;
    },
  ): void {
    this.#remember(end);
    const start = trace.start;
    if (!start || !this.hub.hasListeners('request:end')) return;
    const durationMs = performance.now() - start.startTime;
    const bytes = bytesOf(end.report);
    if (!('error' in end)) {
      const cached = end.cached ? { cached: true } : {};
      if (isToolError(start.method, end.result)) {
        // The server ran the tool and it failed: neither success nor a failed request.
        this.hub.emit('request:end', {
          ...start,
          durationMs,
          outcome: 'tool-error',
          errorKind: 'tool',
          ...cached,
          ...bytes,
        });
      } else
        this.hub.emit('request:end', { ...start, durationMs, outcome: 'ok', ...cached, ...bytes });
      return;
    }
    const error = end.error;
    const kind = McpError.isInstance(error) ? error.kind : undefined;
    this.hub.emit('request:end', {
      ...start,
      durationMs,
      outcome: kind === 'cancelled' ? 'cancelled' : kind === 'timeout' ? 'timeout' : 'error',
      ...(kind ? { errorKind: kind } : {}),
      ...(McpProtocolError.isInstance(error) ? { errorCode: error.code } : {}),
      ...bytes,
      error,
    });
  }

  /** What a snapshot reports: the last success, the last failure. */
  #remember(end: { error: unknown } | { result: unknown }): void {
    if ('error' in end) {
      const error = end.error;
      this.#lastError = {
        at: Date.now(),
        ...(McpError.isInstance(error) ? { kind: error.kind } : {}),
        message: error instanceof Error ? error.message : String(error),
      };
    } else if (isToolError('tools/call', end.result)) {
      this.#lastError = { at: Date.now(), kind: 'tool', message: 'the tool reported an error' };
    } else this.#lastSuccessAt = Date.now();
  }

  /** A middleware answered without the server (a cache hit): start and end at once. */
  answered(
    request: ClientRequest<unknown>,
    callId: number,
    attempt: number,
    response: McpResponse,
  ): void {
    const trace = this.beginAttempt(request, callId, attempt, {});
    this.endAttempt(trace, { result: response.result, cached: response.source === 'cache' });
  }

  retry(
    request: ClientRequest<unknown> | { method: string; target?: string },
    callId: number | undefined,
    info: { attempt: number; delayMs: number; error: unknown },
  ): void {
    if (!this.hub.hasListeners('retry')) return;
    this.hub.emit('retry', {
      server: this.#server,
      method: request.method,
      ...(request.target !== undefined ? { target: request.target } : {}),
      ...(callId !== undefined ? { callId } : {}),
      attempt: info.attempt,
      delayMs: info.delayMs,
      ...(McpError.isInstance(info.error) ? { errorKind: info.error.kind } : {}),
      error: info.error,
    });
  }

  notification(method: string, params: Record<string, unknown> | undefined): void {
    if (!this.hub.hasListeners('notification')) return;
    this.hub.emit('notification', { server: this.#server, method, ...(params ? { params } : {}) });
  }

  listChanged(list: 'tools' | 'resources' | 'prompts', count?: number): void {
    if (!this.hub.hasListeners('list:changed')) return;
    this.hub.emit('list:changed', {
      server: this.#server,
      list,
      ...(count !== undefined ? { count } : {}),
    });
  }

  /**
   * A user callback threw. Reported as `listener:error`; with nobody listening for that (or
   * when a `listener:error` listener throws itself), as a process warning, so it is never lost.
   */
  listenerError(source: McpListenerErrorEvent['source'], event: string, error: unknown): void {
    if (event !== 'listener:error' && this.hub.hasListeners('listener:error')) {
      this.hub.emit('listener:error', { server: this.#server, source, event, error });
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`A ${source} of MCPClient "${this.#server}" threw: ${reason}`, {
      type: 'MCPClientListenerError',
      detail: `while handling ${event}`,
    });
  }
}
