// The telemetry events of an MCPTestClient (the McpClientEvents that MCPClient emits, with the
// same meaning), its snapshot, and where the errors of user callbacks are reported. Nothing is
// built for an event nobody listens to.
import { McpError, McpProtocolError, type CallToolResult } from '@tframex/mcp-api';
import {
  McpEventHub,
  type McpClientEvents,
  type McpConnectionState,
  type McpEndpointFields,
  type McpEventListener,
  type McpEventSource,
  type McpListenerErrorEvent,
  type McpRequestEndEvent,
  type McpRequestOutcome,
  type McpRequestStartEvent,
  type McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';

/** What a request is about: its tool, prompt or resource. */
export interface RequestSubject {
  tool?: string;
  prompt?: string;
  resourceUri?: string;
}

/** One request on its way: what request:end repeats, and when it started. */
export interface RequestTrace {
  readonly start: McpRequestStartEvent | undefined;
  readonly startTime: number;
}

export interface RequestEnd {
  /** The value the request resolved with, or the McpError it failed with. */
  readonly result?: unknown;
  readonly error?: unknown;
  readonly bytesSent?: number;
  readonly bytesReceived?: number;
}

export interface TelemetryView {
  /** Where requests go now: the current connection's endpoint fields. */
  endpoint(): McpEndpointFields;
  /** The connection state a snapshot reports. */
  connectionState(): McpConnectionState;
  /** `Date.now()` when the current connection opened, while connected. */
  connectedAt(): number | undefined;
}

function outcomeOf(error: unknown): McpRequestOutcome {
  if (!McpError.isInstance(error)) return 'error';
  if (error.kind === 'cancelled') return 'cancelled';
  if (error.kind === 'timeout') return 'timeout';
  return 'error';
}

function toolErrorText(result: CallToolResult): string {
  const text = result.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join(' ')
    .trim();
  return text || 'the tool reported an error';
}

function isToolError(result: unknown): result is CallToolResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    (result as CallToolResult).isError === true &&
    Array.isArray((result as CallToolResult).content)
  );
}

export class TestClientTelemetry implements McpEventSource<McpClientEvents> {
  readonly #hub = new McpEventHub<McpClientEvents>();
  readonly #server: string;
  readonly #view: TelemetryView;
  #nextRequestId = 1;
  #inFlight = 0;
  #lastSuccessAt: number | undefined;
  #lastError: { at: number; kind?: string; message: string } | undefined;

  constructor(server: string, view: TelemetryView) {
    this.#server = server;
    this.#view = view;
    this.#hub.onListenerError = (error, event) =>
      this.listenerError('event-listener', String(event), error);
  }

  on<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): () => void {
    return this.#hub.on(event, listener);
  }

  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.#hub.off(event, listener);
  }

  /** Whether someone listens for request:end (the only event that carries byte counts). */
  get countsBytes(): boolean {
    return this.#hub.hasListeners('request:end');
  }

  begin(method: string, subject: RequestSubject | undefined): RequestTrace {
    this.#inFlight++;
    const startTime = performance.now();
    const hub = this.#hub;
    if (!hub.hasListeners('request:start') && !hub.hasListeners('request:end'))
      return { start: undefined, startTime };
    const requestId = this.#nextRequestId++;
    const target = subject?.tool ?? subject?.prompt ?? subject?.resourceUri;
    const start: McpRequestStartEvent = {
      ...this.#view.endpoint(),
      // No retries here: every call is one attempt, so the call id is the request id.
      requestId,
      callId: requestId,
      server: this.#server,
      method,
      ...(target !== undefined ? { target } : {}),
      ...subject,
      attempt: 1,
      startTime,
    };
    hub.emit('request:start', start);
    return { start, startTime };
  }

  end(trace: RequestTrace, end: RequestEnd): void {
    this.#inFlight--;
    const failed = 'error' in end;
    const toolError = !failed && isToolError(end.result);
    if (failed) {
      const error = end.error;
      this.#lastError = {
        at: Date.now(),
        ...(McpError.isInstance(error) ? { kind: error.kind } : {}),
        message: error instanceof Error ? error.message : String(error),
      };
    } else if (toolError) {
      this.#lastError = {
        at: Date.now(),
        kind: 'tool',
        message: toolErrorText(end.result as CallToolResult),
      };
    } else this.#lastSuccessAt = Date.now();
    const start = trace.start;
    if (!start || !this.#hub.hasListeners('request:end')) return;
    const error = end.error;
    const event: McpRequestEndEvent = {
      ...start,
      ...this.#view.endpoint(),
      durationMs: performance.now() - trace.startTime,
      outcome: failed ? outcomeOf(error) : toolError ? 'tool-error' : 'ok',
      ...(failed && McpError.isInstance(error) ? { errorKind: error.kind } : {}),
      ...(toolError ? { errorKind: 'tool' } : {}),
      ...(failed && McpProtocolError.isInstance(error) ? { errorCode: error.code } : {}),
      ...(failed ? { error } : {}),
      ...(end.bytesSent !== undefined ? { bytesSent: end.bytesSent } : {}),
      ...(end.bytesReceived !== undefined ? { bytesReceived: end.bytesReceived } : {}),
    };
    this.#hub.emit('request:end', event);
  }

  connection(
    state: McpConnectionState,
    previous: McpConnectionState | undefined,
    details: { error?: unknown; sessionDurationMs?: number; endpoint?: McpEndpointFields } = {},
  ): void {
    if (!this.#hub.hasListeners('connection:state')) return;
    this.#hub.emit('connection:state', {
      ...(details.endpoint ?? this.#view.endpoint()),
      server: this.#server,
      state,
      ...(previous !== undefined ? { previous } : {}),
      ...(details.error !== undefined ? { error: details.error } : {}),
      ...(details.sessionDurationMs !== undefined
        ? { sessionDurationMs: details.sessionDurationMs }
        : {}),
    });
  }

  notification(method: string, params: Record<string, unknown> | undefined): void {
    if (!this.#hub.hasListeners('notification')) return;
    this.#hub.emit('notification', {
      server: this.#server,
      method,
      ...(params !== undefined ? { params } : {}),
    });
  }

  listChanged(list: 'tools' | 'resources' | 'prompts'): void {
    if (!this.#hub.hasListeners('list:changed')) return;
    this.#hub.emit('list:changed', { server: this.#server, list });
  }

  /**
   * A user callback threw. Reported as `listener:error`; with nobody listening for that (or
   * when a `listener:error` listener throws itself), as a process warning, so it is never lost.
   */
  listenerError(source: McpListenerErrorEvent['source'], event: string, error: unknown): void {
    if (event !== 'listener:error' && this.#hub.hasListeners('listener:error')) {
      this.#hub.emit('listener:error', { server: this.#server, source, event, error });
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`A ${source} of MCPTestClient "${this.#server}" threw: ${reason}`, {
      type: 'MCPTestClientListenerError',
      detail: `while handling ${event}`,
    });
  }

  snapshot(): McpTelemetrySnapshot {
    const endpoint = this.#view.endpoint();
    const state = this.#view.connectionState();
    const connectedAt = this.#view.connectedAt();
    return {
      takenAt: Date.now(),
      servers: [
        {
          ...endpoint,
          server: this.#server,
          state,
          connections: [
            {
              ...endpoint,
              state,
              inFlight: this.#inFlight,
              ...(connectedAt !== undefined ? { connectedAt } : {}),
            },
          ],
          inFlight: this.#inFlight,
          queued: 0,
          ...(this.#lastSuccessAt !== undefined ? { lastSuccessAt: this.#lastSuccessAt } : {}),
          ...(this.#lastError !== undefined ? { lastError: { ...this.#lastError } } : {}),
        },
      ],
    };
  }

  removeAllListeners(): void {
    this.#hub.removeAllListeners();
  }
}
