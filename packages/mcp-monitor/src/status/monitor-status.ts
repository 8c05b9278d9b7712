// What getStatus() and getToolUsage() answer: plain data, ready to print, to serialize and to
// test in alert conditions. Times are `Date.now()` milliseconds; rates are percentages.
import type {
  McpCircuitState,
  McpConnectionState,
  McpTransportKind,
} from '@tframex/mcp-telemetry-api';

/** Calls over the monitor's recent window (default the last 60 s). */
export interface McpRecentActivity {
  /** Length of the window, in ms. */
  windowMs: number;
  /** Timed calls that ended inside the window. */
  calls: number;
  /** Calls per minute over the window. */
  rpm: number;
  /** Failed calls (tool errors included, cancellations not), percent of `calls`; 0 with none. */
  errorRate: number;
  /** Mean duration, ms; 0 with no calls. */
  avgDurationMs: number;
  /** Estimated from the histogram buckets, as Prometheus's histogram_quantile does; 0 with none. */
  p50DurationMs: number;
  p95DurationMs: number;
  p99DurationMs: number;
}

/** Totals since the monitor attached. */
export interface McpServerTotals {
  /** Timed requests (every attempt counts). */
  requests: number;
  /** Failed requests, tool errors included (not cancellations). */
  errors: number;
  toolErrors: number;
  timeouts: number;
  retries: number;
  /** Requests that had to wait for a rate limit (the client's own, or a server's 429). */
  rateLimitedWaits: number;
  rateLimitedWaitMs: number;
  /** Times the circuit breaker opened. */
  circuitOpens: number;
  /** Calls answered from the response cache. */
  cacheHits: number;
  /** Bytes of the requests sent and the responses received, where the source measured them. */
  bytesSent: number;
  bytesReceived: number;
}

export interface McpServerLastError {
  /** `Date.now()` when it happened. */
  at: number;
  /** `error.type`: `tool_error`, `timeout`, `connection`, ... */
  type: string;
  message: string;
}

export interface McpServerStatus {
  server: string;
  /** `unknown` until the source reports a state. */
  state: McpConnectionState | 'unknown';
  connected: boolean;
  /** Mean request duration over the window; the last request's when the window is empty; 0 before any. */
  latencyMs: number;
  p95LatencyMs: number;
  /** Requests per minute over the window. */
  rpm: number;
  /** Percent of requests in the window that failed. */
  errorRate: number;
  inFlight: number;
  queued: number;
  /** Connected sessions (pooled connections count one each). */
  activeSessions: number;
  circuit?: McpCircuitState;
  /** `Date.now()` of the last request that succeeded. */
  lastSuccessAt?: number;
  lastError?: McpServerLastError;
  protocolVersion?: string;
  transport?: McpTransportKind;
  serverAddress?: string;
  serverPort?: number;
  recent: McpRecentActivity;
  totals: McpServerTotals;
}

/** Every server at once; the top-level numbers cover them all. */
export interface McpMonitorStatus {
  /** `Date.now()` when it was taken. */
  takenAt: number;
  /** Whether every monitored server is connected (false with none). */
  connected: boolean;
  /** Mean request duration over the window, over all servers (see McpServerStatus.latencyMs). */
  latencyMs: number;
  p95LatencyMs: number;
  rpm: number;
  errorRate: number;
  inFlight: number;
  activeSessions: number;
  servers: McpServerStatus[];
  /** The monitor itself: series held, their cap, calls sent to overflow series past it, events dropped as malformed. */
  monitor: { series: number; maxSeries: number; overflowCalls: number; invalidEvents: number };
}

/** One tool (or all tools of a server, for `mcp://server/*`) since the monitor attached. */
export interface McpToolUsage {
  uri: string;
  server: string;
  tool: string;
  /** Calls answered: timed calls plus cache hits. */
  totalCalls: number;
  errors: number;
  /** Percent of timed calls that failed (tool errors included); 0 with none. */
  errorRate: number;
  toolErrors: number;
  timeouts: number;
  cacheHits: number;
  avgDurationMs: number;
  p50DurationMs: number;
  p95DurationMs: number;
  p99DurationMs: number;
  /** `Date.now()` of the last call, if any. */
  lastCalledAt?: number;
  recent: McpRecentActivity;
}
