// What the monitor knows about one server: its operation series (server → method → target),
// connection and circuit state, last success and last error, and the counters operators ask
// for beyond the conventions (retries, rate-limited waits, circuit opens, sessions).
import type {
  McpCircuitState,
  McpConnectionState,
  McpEndpointFields,
} from '@tframex/mcp-telemetry-api';
import type { DurationBuckets } from './duration-buckets.js';
import { DurationHistogram } from './duration-histogram.js';
import type { OperationSeries } from './operation-series.js';

export interface RateLimitedTotals {
  waits: number;
  waitMs: number;
}

export class ServerMetrics {
  readonly name: string;
  /** method → target key ('' without a target) → series. */
  readonly methods = new Map<string, Map<string, OperationSeries>>();
  /** `tools/call` series by tool name: the common case, one lookup. */
  readonly toolCalls = new Map<string, OperationSeries>();
  /** The series the last call went to. */
  lastSeries: OperationSeries | undefined;
  /** Every series of the server, in creation order (for export). */
  readonly series: OperationSeries[] = [];
  /** Takes calls past the cardinality cap, once the first one arrives. */
  overflowSeries: OperationSeries | undefined;

  endpoint: McpEndpointFields = {};
  state: McpConnectionState | undefined;
  /** State per pooled connection, as `connection:state` events report them. */
  readonly connections = new Map<number, McpConnectionState>();
  circuit: McpCircuitState | undefined;
  circuitOpens = 0;
  retries = 0;
  /** Bytes of the requests sent and of the responses received, where the source measured them. */
  bytesSent = 0;
  bytesReceived = 0;
  readonly rateLimited: Record<'local' | 'server', RateLimitedTotals> = {
    local: { waits: 0, waitMs: 0 },
    server: { waits: 0, waitMs: 0 },
  };
  /** `performance.now()` time of the last success / failure, or -1. */
  lastSuccessAtMs = -1;
  lastErrorAtMs = -1;
  /** What the last failure said (the error itself is not kept). */
  lastErrorMessage: string | undefined;
  lastErrorType: string | undefined;
  /** Duration of the last timed request, or -1. */
  lastLatencyMs = -1;
  /** From the source's snapshot, when it has one. */
  inFlight = 0;
  queued = 0;
  /** `mcp.client.session.duration`: sessions that ended cleanly, and with an error. */
  readonly sessions: { ok: DurationHistogram; error: DurationHistogram };

  constructor(name: string, buckets: DurationBuckets) {
    this.name = name;
    this.sessions = { ok: new DurationHistogram(buckets), error: new DurationHistogram(buckets) };
  }

  /** Connections that are connected now: pooled ones by index, else the server's own state. */
  get activeSessions(): number {
    if (this.connections.size === 0) return this.state === 'connected' ? 1 : 0;
    let active = 0;
    for (const state of this.connections.values()) if (state === 'connected') active++;
    return active;
  }

  /** Every series including the overflow one. */
  *allSeries(): IterableIterator<OperationSeries> {
    yield* this.series;
    if (this.overflowSeries) yield this.overflowSeries;
  }
}
