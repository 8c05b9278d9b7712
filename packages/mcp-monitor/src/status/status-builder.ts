// Turns the metric store into the plain status and usage objects users read. Runs on demand,
// never per event: totals and windows are summed over series here.
import { parseMcpUri } from '@tframex/mcp-api';
import { ERROR_TYPE_TOOL_ERROR } from '@tframex/mcp-telemetry-api';
import { bucketQuantileMs } from '../metrics/bucket-quantile.js';
import { DurationHistogram } from '../metrics/duration-histogram.js';
import { countsAsError } from '../metrics/error-type.js';
import type { MetricStore } from '../metrics/metric-store.js';
import type { OperationSeries } from '../metrics/operation-series.js';
import { WindowTotals } from '../metrics/rolling-window.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { redactMessage } from './redact-message.js';
import type {
  McpMonitorStatus,
  McpRecentActivity,
  McpServerLastError,
  McpServerStatus,
  McpServerTotals,
  McpToolUsage,
} from './monitor-status.js';

const round = (value: number): number => Math.round(value * 1000) / 1000;
const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : round((part / whole) * 100);
const toEpoch = (perfMs: number): number => Math.round(performance.timeOrigin + perfMs);

function recentOf(store: MetricStore, series: Iterable<OperationSeries>): McpRecentActivity {
  const totals = new WindowTotals(store.buckets);
  const now = performance.now();
  for (const one of series) one.window.readInto(now, totals);
  const windowMs = store.window.slotMs * store.window.slots;
  const quantile = (q: number) =>
    round(bucketQuantileMs(q, totals.counts, store.buckets.boundsMs) ?? 0);
  return {
    windowMs,
    calls: totals.count,
    rpm: round((totals.count * 60_000) / windowMs),
    errorRate: percent(totals.errors, totals.count),
    avgDurationMs: totals.count === 0 ? 0 : round(totals.sumMs / totals.count),
    p50DurationMs: quantile(0.5),
    p95DurationMs: quantile(0.95),
    p99DurationMs: quantile(0.99),
  };
}

function totalsOf(server: ServerMetrics): McpServerTotals {
  let requests = 0;
  let errors = 0;
  let toolErrors = 0;
  let timeouts = 0;
  let cacheHits = 0;
  for (const series of server.allSeries()) {
    cacheHits += series.cacheHits;
    series.histograms.forEach((histogram, index) => {
      requests += histogram.count;
      const type = series.errorTypes[index];
      if (type === undefined) return;
      if (countsAsError(type)) errors += histogram.count;
      if (type === ERROR_TYPE_TOOL_ERROR) toolErrors += histogram.count;
      if (type === 'timeout') timeouts += histogram.count;
    });
  }
  const { local, server: remote } = server.rateLimited;
  return {
    requests,
    errors,
    toolErrors,
    timeouts,
    retries: server.retries,
    rateLimitedWaits: local.waits + remote.waits,
    rateLimitedWaitMs: round(local.waitMs + remote.waitMs),
    circuitOpens: server.circuitOpens,
    cacheHits,
    bytesSent: server.bytesSent,
    bytesReceived: server.bytesReceived,
  };
}

function lastErrorOf(server: ServerMetrics): McpServerLastError | undefined {
  if (server.lastErrorAtMs < 0) return undefined;
  const type = server.lastErrorType ?? 'error';
  // Messages are cut short: a status is for reading, not for carrying payloads.
  return {
    at: toEpoch(server.lastErrorAtMs),
    type,
    message: redactMessage(server.lastErrorMessage ?? type),
  };
}

export function serverStatus(store: MetricStore, server: ServerMetrics): McpServerStatus {
  const recent = recentOf(store, server.allSeries());
  const lastError = lastErrorOf(server);
  const { transport, protocolVersion, serverAddress, serverPort } = server.endpoint;
  return {
    server: server.name,
    state: server.state ?? 'unknown',
    connected: server.state === 'connected',
    latencyMs: recent.calls > 0 ? recent.avgDurationMs : round(Math.max(server.lastLatencyMs, 0)),
    p95LatencyMs: recent.p95DurationMs,
    rpm: recent.rpm,
    errorRate: recent.errorRate,
    inFlight: server.inFlight,
    queued: server.queued,
    activeSessions: server.activeSessions,
    ...(server.circuit !== undefined ? { circuit: server.circuit } : {}),
    ...(server.lastSuccessAtMs >= 0 ? { lastSuccessAt: toEpoch(server.lastSuccessAtMs) } : {}),
    ...(lastError !== undefined ? { lastError } : {}),
    ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    ...(transport !== undefined ? { transport } : {}),
    ...(serverAddress !== undefined ? { serverAddress } : {}),
    ...(serverPort !== undefined ? { serverPort } : {}),
    recent,
    totals: totalsOf(server),
  };
}

export function monitorStatus(store: MetricStore): McpMonitorStatus {
  const servers = [...store.servers.values()];
  const statuses = servers.map((server) => serverStatus(store, server));
  const recent = recentOf(
    store,
    servers.flatMap((server) => [...server.allSeries()]),
  );
  const lastLatency = statuses.reduce((latest, status) => Math.max(latest, status.latencyMs), 0);
  return {
    takenAt: Date.now(),
    connected: statuses.length > 0 && statuses.every((status) => status.connected),
    latencyMs: recent.calls > 0 ? recent.avgDurationMs : lastLatency,
    p95LatencyMs: recent.p95DurationMs,
    rpm: recent.rpm,
    errorRate: recent.errorRate,
    inFlight: statuses.reduce((sum, status) => sum + status.inFlight, 0),
    activeSessions: statuses.reduce((sum, status) => sum + status.activeSessions, 0),
    servers: statuses,
    monitor: {
      series: store.seriesCount,
      maxSeries: store.maxSeries,
      overflowCalls: store.overflowCalls,
      invalidEvents: store.invalidEvents,
    },
  };
}

/**
 * Usage of `mcp://server/tool` (all tools of the server for `mcp://server/*`); a bare tool
 * name matches that tool on every server.
 */
export function toolUsage(store: MetricStore, uri: string): McpToolUsage {
  const parsed = uri.startsWith('mcp://')
    ? parseMcpUri(uri)
    : { server: '*', name: uri, wildcard: false };
  const { server: serverName, name: tool, wildcard } = parsed;
  const matches: OperationSeries[] = [];
  for (const server of store.servers.values()) {
    if (serverName !== '*' && server.name !== serverName) continue;
    for (const series of server.series) {
      if (series.targetKind === 'tool' && (wildcard || series.target === tool))
        matches.push(series);
    }
  }
  const all = new DurationHistogram(store.buckets);
  let errors = 0;
  let toolErrors = 0;
  let timeouts = 0;
  let cacheHits = 0;
  let lastAtMs = -1;
  for (const series of matches) {
    cacheHits += series.cacheHits;
    lastAtMs = Math.max(lastAtMs, series.lastAtMs);
    series.histograms.forEach((histogram, index) => {
      all.merge(histogram);
      const type = series.errorTypes[index];
      if (type === undefined) return;
      if (countsAsError(type)) errors += histogram.count;
      if (type === ERROR_TYPE_TOOL_ERROR) toolErrors += histogram.count;
      if (type === 'timeout') timeouts += histogram.count;
    });
  }
  const quantile = (q: number) =>
    round(bucketQuantileMs(q, all.counts, store.buckets.boundsMs) ?? 0);
  return {
    uri,
    server: serverName,
    tool,
    totalCalls: all.count + cacheHits,
    errors,
    errorRate: percent(errors, all.count),
    toolErrors,
    timeouts,
    cacheHits,
    avgDurationMs: all.count === 0 ? 0 : round(all.sumMs / all.count),
    p50DurationMs: quantile(0.5),
    p95DurationMs: quantile(0.95),
    p99DurationMs: quantile(0.99),
    ...(lastAtMs >= 0 ? { lastCalledAt: toEpoch(lastAtMs) } : {}),
    recent: recentOf(store, matches),
  };
}
