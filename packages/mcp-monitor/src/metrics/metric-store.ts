// Everything the monitor has measured, fed by telemetry events. The hot path (`recordEnd`)
// resolves the series through nested maps keyed by the strings already on the event (never a
// key built per event), then increments fixed arrays. Cardinality is capped: past `maxSeries`
// series (or `maxServers` servers) calls go to one overflow series per server, and are counted.
import type {
  McpCircuitStateEvent,
  McpConnectionState,
  McpConnectionStateEvent,
  McpEndpointFields,
  McpRateLimitedEvent,
  McpRequestEndEvent,
  McpRetryEvent,
  McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';
import { ERROR_TYPE_TOOL_ERROR } from '@tframex/mcp-telemetry-api';
import { DurationBuckets } from './duration-buckets.js';
import { errorMessage } from './error-message.js';
import { errorTypeOf } from './error-type.js';
import { OperationSeries, type TargetKind } from './operation-series.js';
import type { WindowShape } from './rolling-window.js';
import { ServerMetrics } from './server-metrics.js';
import type { MetricSink } from '../otel/metric-sink.js';

export interface MetricStoreSettings {
  bucketsSeconds: readonly number[];
  window: WindowShape;
  maxSeries: number;
  maxServers: number;
  includeResourceUri: boolean;
}

/** Server alias and method of the series that take what the caps turn away. */
export const OVERFLOW_NAME = '_OTHER';

const TARGET_KIND_BY_METHOD: Readonly<Record<string, TargetKind>> = {
  'tools/call': 'tool',
  'prompts/get': 'prompt',
  'resources/read': 'resource',
  'resources/subscribe': 'resource',
  'resources/unsubscribe': 'resource',
};

const STATE_RANK: Record<McpConnectionState, number> = {
  connected: 5,
  reconnecting: 4,
  connecting: 3,
  disconnected: 2,
  failed: 1,
  closed: 0,
};

const ENDPOINT_KEYS = [
  'transport',
  'protocolVersion',
  'serverAddress',
  'serverPort',
  'sessionId',
] as const satisfies ReadonlyArray<keyof McpEndpointFields>;

function mergeEndpoint(into: McpEndpointFields, from: McpEndpointFields): McpEndpointFields {
  let changed = false;
  for (const key of ENDPOINT_KEYS) {
    if (from[key] !== undefined && from[key] !== into[key]) changed = true;
  }
  if (!changed) return into;
  const next: Record<string, unknown> = { ...into };
  for (const key of ENDPOINT_KEYS) if (from[key] !== undefined) next[key] = from[key];
  return next as McpEndpointFields;
}

/** `Date.now()` milliseconds → `performance.now()` milliseconds. */
export function epochToPerf(epochMs: number): number {
  return epochMs - performance.timeOrigin;
}

export class MetricStore {
  readonly buckets: DurationBuckets;
  readonly window: WindowShape;
  readonly servers = new Map<string, ServerMetrics>();
  /** Series created so far (overflow series excluded). */
  seriesCount = 0;
  /** Calls that landed in an overflow series because a cap was reached. */
  overflowCalls = 0;
  /** Events dropped because they did not hold a server, a method and a duration. */
  invalidEvents = 0;
  /** Also gets every measurement, when set (the OpenTelemetry bridge). */
  sink: MetricSink | undefined;
  readonly #settings: MetricStoreSettings;
  // One-entry cache: consecutive events of the same server skip the map lookup.
  #lastServer: ServerMetrics | undefined;

  constructor(settings: MetricStoreSettings) {
    this.#settings = settings;
    this.buckets = new DurationBuckets(settings.bucketsSeconds);
    this.window = settings.window;
  }

  get maxSeries(): number {
    return this.#settings.maxSeries;
  }

  /** The metrics of `name`, created on first sight (the overflow server past `maxServers`). */
  server(name: string): ServerMetrics {
    const last = this.#lastServer;
    if (last !== undefined && last.name === name) return last;
    let server = this.servers.get(name);
    if (server === undefined) {
      if (this.servers.size >= this.#settings.maxServers) {
        server = this.servers.get(OVERFLOW_NAME);
        if (server === undefined) {
          server = new ServerMetrics(OVERFLOW_NAME, this.buckets);
          this.servers.set(OVERFLOW_NAME, server);
        }
        return server;
      }
      server = new ServerMetrics(name, this.buckets);
      this.servers.set(name, server);
    }
    this.#lastServer = server;
    return server;
  }

  recordEnd(event: McpRequestEndEvent): void {
    const ms = event.durationMs;
    // A hand-made source may send nonsense; it is counted, never recorded as a measurement.
    if (!(ms >= 0) || typeof event.server !== 'string' || typeof event.method !== 'string') {
      this.invalidEvents++;
      return;
    }
    const server = this.server(event.server);
    let target: string | undefined;
    let kind: TargetKind | undefined;
    if (event.tool !== undefined) {
      target = event.tool;
      kind = 'tool';
    } else if (event.prompt !== undefined) {
      target = event.prompt;
      kind = 'prompt';
    } else if (event.resourceUri !== undefined) {
      if (this.#settings.includeResourceUri) {
        target = event.resourceUri;
        kind = 'resource';
      }
    } else if (event.target !== undefined) {
      // An emitter that names only the target: the method says what it is.
      kind = TARGET_KIND_BY_METHOD[event.method];
      if (kind === 'resource' && !this.#settings.includeResourceUri) kind = undefined;
      if (kind !== undefined) target = event.target;
    }
    if (server.endpoint.transport === undefined && event.transport !== undefined)
      server.endpoint = mergeEndpoint(server.endpoint, event);
    const series = this.#seriesOf(server, event.method, target, kind);
    if (event.bytesSent !== undefined) server.bytesSent += event.bytesSent;
    if (event.bytesReceived !== undefined) server.bytesReceived += event.bytesReceived;
    const endedAtMs = event.startTime + ms;
    const sink = this.sink;
    if (event.cached === true) {
      series.cacheHits++;
      series.lastAtMs = endedAtMs;
      if (sink !== undefined) sink.cacheHit(series);
      return;
    }
    const errorType = errorTypeOf(event);
    const histogramIndex = series.observe(ms, endedAtMs, errorType);
    if (sink !== undefined) sink.operation(series, histogramIndex, ms);
    server.lastLatencyMs = ms;
    if (errorType === undefined) server.lastSuccessAtMs = endedAtMs;
    else if (errorType !== 'cancelled') {
      server.lastErrorAtMs = endedAtMs;
      server.lastErrorMessage = errorMessage(event.error);
      server.lastErrorType = errorType;
    }
  }

  recordConnection(event: McpConnectionStateEvent): void {
    const server = this.server(event.server);
    server.endpoint = mergeEndpoint(server.endpoint, event);
    if (event.connection !== undefined) {
      server.connections.set(event.connection, event.state);
      server.state = bestState(server.connections.values());
    } else server.state = event.state;
    if (event.sessionDurationMs !== undefined) {
      const failed = event.error !== undefined;
      const histogram = failed ? server.sessions.error : server.sessions.ok;
      histogram.add(this.buckets.indexOf(event.sessionDurationMs), event.sessionDurationMs);
      this.sink?.session(server, failed, event.sessionDurationMs);
    }
    if (event.error !== undefined) {
      server.lastErrorAtMs = performance.now();
      server.lastErrorMessage = errorMessage(event.error);
      server.lastErrorType = 'connection';
    }
  }

  recordRetry(event: McpRetryEvent): void {
    const server = this.server(event.server);
    server.retries++;
    this.sink?.retry(server);
  }

  recordCircuit(event: McpCircuitStateEvent): void {
    const server = this.server(event.server);
    server.circuit = event.to;
    if (event.to === 'open' && event.from !== 'open') {
      server.circuitOpens++;
      this.sink?.circuitOpened(server);
    }
  }

  recordRateLimited(event: McpRateLimitedEvent): void {
    const server = this.server(event.server);
    const totals = server.rateLimited[event.source];
    totals.waits++;
    totals.waitMs += event.waitMs;
    this.sink?.rateLimited(server, event.source, event.waitMs);
  }

  /** Takes the source's own view (state, in-flight, circuit, last success and error) as truth. */
  applySnapshot(snapshot: McpTelemetrySnapshot): void {
    for (const view of snapshot.servers) {
      const server = this.server(view.server);
      server.endpoint = mergeEndpoint(server.endpoint, view);
      server.state = view.state;
      server.inFlight = view.inFlight;
      server.queued = view.queued;
      if (view.circuit !== undefined) server.circuit = view.circuit;
      view.connections.forEach((connection, index) =>
        server.connections.set(connection.connection ?? index, connection.state),
      );
      if (view.lastSuccessAt !== undefined) {
        server.lastSuccessAtMs = Math.max(server.lastSuccessAtMs, epochToPerf(view.lastSuccessAt));
      }
      const lastError = view.lastError;
      // The source's record names tool errors by their text, so it wins unless ours is newer.
      if (lastError !== undefined && epochToPerf(lastError.at) >= server.lastErrorAtMs - 50) {
        server.lastErrorAtMs = Math.max(server.lastErrorAtMs, epochToPerf(lastError.at));
        server.lastErrorMessage = errorMessage(lastError);
        server.lastErrorType =
          lastError.kind === 'tool' ? ERROR_TYPE_TOOL_ERROR : (lastError.kind ?? 'error');
      }
    }
  }

  #seriesOf(
    server: ServerMetrics,
    method: string,
    target: string | undefined,
    kind: TargetKind | undefined,
  ): OperationSeries {
    // Consecutive calls of one tool skip the maps; tool calls skip the method level.
    const last = server.lastSeries;
    if (last !== undefined && last.target === target && last.method === method) return last;
    const toolCall = kind === 'tool' && method === 'tools/call';
    let byTarget: Map<string, OperationSeries> | undefined;
    const found = toolCall
      ? server.toolCalls.get(target!)
      : (byTarget = server.methods.get(method))?.get(target ?? '');
    if (found !== undefined) {
      server.lastSeries = found;
      return found;
    }
    byTarget ??= server.methods.get(method);
    if (this.seriesCount >= this.#settings.maxSeries || server.name === OVERFLOW_NAME) {
      this.overflowCalls++;
      server.overflowSeries ??= new OperationSeries(
        server,
        {
          method: OVERFLOW_NAME,
          target: undefined,
          targetKind: undefined,
          overflow: true,
        },
        this.buckets,
        this.window,
      );
      return server.overflowSeries;
    }
    const series = new OperationSeries(
      server,
      { method, target, targetKind: kind, overflow: false },
      this.buckets,
      this.window,
    );
    if (byTarget === undefined) {
      byTarget = new Map();
      server.methods.set(method, byTarget);
    }
    byTarget.set(target ?? '', series);
    if (toolCall) server.toolCalls.set(target!, series);
    server.series.push(series);
    this.seriesCount++;
    return series;
  }
}

function bestState(states: Iterable<McpConnectionState>): McpConnectionState {
  let best: McpConnectionState = 'closed';
  for (const state of states) if (STATE_RANK[state] > STATE_RANK[best]) best = state;
  return best;
}
