// Renders the metric store as Prometheus text or OpenMetrics. Names follow the OpenTelemetry
// MCP conventions translated as Prometheus does (dots to underscores, the unit as a suffix,
// `_total` on counters); the server's alias is the `mcp_server` label.
import type { McpConnectionState, McpTransportKind } from '@tframex/mcp-telemetry-api';
import type { DurationBuckets } from '../metrics/duration-buckets.js';
import type { DurationHistogram } from '../metrics/duration-histogram.js';
import type { MetricStore } from '../metrics/metric-store.js';
import { ERROR_TYPE_OTHER } from '../metrics/error-type.js';
import type { OperationSeries } from '../metrics/operation-series.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { ExpositionWriter, labelPairs, type ExpositionFormat } from './exposition-writer.js';

export const OPERATION_DURATION = 'mcp_client_operation_duration_seconds';
export const SESSION_DURATION = 'mcp_client_session_duration_seconds';

const TARGET_LABEL = {
  tool: 'gen_ai_tool_name',
  prompt: 'gen_ai_prompt_name',
  resource: 'mcp_resource_uri',
};
const NETWORK_TRANSPORT: Partial<Record<McpTransportKind, string>> = {
  stdio: 'pipe',
  'streamable-http': 'tcp',
  sse: 'tcp',
};
const CONNECTION_STATES: McpConnectionState[] = [
  'connecting',
  'connected',
  'reconnecting',
  'disconnected',
  'closed',
  'failed',
];
const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;

function seriesLabels(series: OperationSeries): string {
  series.labelText ??= labelPairs({
    mcp_server: series.server,
    mcp_method_name: series.method,
    ...(series.targetKind !== undefined
      ? { [TARGET_LABEL[series.targetKind]]: series.target }
      : {}),
    ...(series.overflow ? { otel_metric_overflow: 'true' } : {}),
  });
  return series.labelText;
}

/** The recommended endpoint attributes, from what the server reported last. */
function endpointLabels(server: ServerMetrics): string {
  const { transport, protocolVersion, serverAddress, serverPort } = server.endpoint;
  return labelPairs({
    mcp_protocol_version: protocolVersion,
    network_transport: transport !== undefined ? NETWORK_TRANSPORT[transport] : undefined,
    network_protocol_name:
      transport === 'streamable-http' || transport === 'sse' ? 'http' : undefined,
    server_address: serverAddress,
    server_port: serverPort,
  });
}

const join = (...parts: string[]): string => parts.filter((part) => part !== '').join(',');

function histogramSamples(
  writer: ExpositionWriter,
  name: string,
  labels: string,
  histogram: DurationHistogram,
  buckets: DurationBuckets,
): void {
  let cumulative = 0;
  const prefix = labels === '' ? '' : `${labels},`;
  for (let index = 0; index < buckets.size; index++) {
    cumulative += histogram.counts[index]!;
    writer.sample(`${name}_bucket`, `${prefix}le="${buckets.leLabels[index]!}"`, cumulative);
  }
  writer.sample(`${name}_sum`, labels, histogram.sumMs / 1000);
  writer.sample(`${name}_count`, labels, histogram.count);
}

export function renderExposition(store: MetricStore, format: ExpositionFormat): string {
  const writer = new ExpositionWriter(format);
  const servers = [...store.servers.values()];
  const serverLabel = new Map(
    servers.map((server) => [server, labelPairs({ mcp_server: server.name })]),
  );

  writer.family(
    OPERATION_DURATION,
    'histogram',
    'Duration of MCP requests as observed by the client (mcp.client.operation.duration).',
    'seconds',
  );
  for (const server of servers) {
    const endpoint = endpointLabels(server);
    for (const series of server.allSeries()) {
      const labels = join(seriesLabels(series), endpoint);
      series.histograms.forEach((histogram, index) => {
        const type = series.errorTypes[index];
        const withType =
          type === undefined ? labels : join(labels, labelPairs({ error_type: type }));
        histogramSamples(writer, OPERATION_DURATION, withType, histogram, store.buckets);
      });
    }
  }

  const sessionServers = servers.filter(
    (server) => server.sessions.ok.count > 0 || server.sessions.error.count > 0,
  );
  if (sessionServers.length > 0) {
    writer.family(
      SESSION_DURATION,
      'histogram',
      'Duration of MCP client sessions (mcp.client.session.duration).',
      'seconds',
    );
    for (const server of sessionServers) {
      const labels = join(serverLabel.get(server)!, endpointLabels(server));
      if (server.sessions.ok.count > 0)
        histogramSamples(writer, SESSION_DURATION, labels, server.sessions.ok, store.buckets);
      if (server.sessions.error.count > 0) {
        const withType = join(labels, labelPairs({ error_type: ERROR_TYPE_OTHER }));
        histogramSamples(writer, SESSION_DURATION, withType, server.sessions.error, store.buckets);
      }
    }
  }

  const gauge = (
    name: string,
    help: string,
    value: (server: ServerMetrics) => number | undefined,
    unit?: string,
  ) => {
    const rows = servers
      .map((server) => [server, value(server)] as const)
      .filter((row): row is readonly [ServerMetrics, number] => row[1] !== undefined);
    if (rows.length === 0) return;
    writer.family(name, 'gauge', help, unit);
    for (const [server, amount] of rows) writer.sample(name, serverLabel.get(server)!, amount);
  };
  const counter = (
    name: string,
    help: string,
    value: (server: ServerMetrics) => number,
    unit?: string,
  ) => {
    writer.family(name, 'counter', help, unit);
    for (const server of servers)
      writer.sample(`${name}_total`, serverLabel.get(server)!, value(server));
  };

  gauge('mcp_client_up', 'Whether the server is connected (1) or not (0).', (server) =>
    server.state === 'connected' ? 1 : 0,
  );
  writer.family(
    'mcp_client_connection_state',
    'gauge',
    'Connection state of the server: 1 for the current state.',
  );
  for (const server of servers) {
    for (const state of CONNECTION_STATES) {
      writer.sample(
        'mcp_client_connection_state',
        join(serverLabel.get(server)!, labelPairs({ state })),
        server.state === state ? 1 : 0,
      );
    }
  }
  gauge(
    'mcp_client_active_sessions',
    'Connected sessions to the server.',
    (server) => server.activeSessions,
  );
  gauge(
    'mcp_client_requests_in_flight',
    'Requests waiting for their answer.',
    (server) => server.inFlight,
  );
  gauge(
    'mcp_client_requests_queued',
    'Requests waiting for a place (in-flight cap or rate limit).',
    (server) => server.queued,
  );
  const withCircuit = servers.filter((server) => server.circuit !== undefined);
  if (withCircuit.length > 0) {
    writer.family(
      'mcp_client_circuit_state',
      'gauge',
      'Circuit breaker state of the server: 1 for the current state.',
    );
    for (const server of withCircuit) {
      for (const state of CIRCUIT_STATES) {
        writer.sample(
          'mcp_client_circuit_state',
          join(serverLabel.get(server)!, labelPairs({ state })),
          server.circuit === state ? 1 : 0,
        );
      }
    }
  }
  counter(
    'mcp_client_circuit_opens',
    'Times the circuit breaker opened.',
    (server) => server.circuitOpens,
  );
  counter(
    'mcp_client_retries',
    'Requests retried after a failed attempt.',
    (server) => server.retries,
  );
  writer.family(
    'mcp_client_rate_limited_waits',
    'counter',
    'Requests that waited for a rate limit (local limiter or a server 429).',
  );
  for (const server of servers) {
    for (const source of ['local', 'server'] as const) {
      writer.sample(
        'mcp_client_rate_limited_waits_total',
        join(serverLabel.get(server)!, labelPairs({ source })),
        server.rateLimited[source].waits,
      );
    }
  }
  writer.family(
    'mcp_client_rate_limited_wait_seconds',
    'counter',
    'Time requests spent waiting for a rate limit.',
    'seconds',
  );
  for (const server of servers) {
    for (const source of ['local', 'server'] as const) {
      writer.sample(
        'mcp_client_rate_limited_wait_seconds_total',
        join(serverLabel.get(server)!, labelPairs({ source })),
        server.rateLimited[source].waitMs / 1000,
      );
    }
  }
  counter(
    'mcp_client_sent_bytes',
    'Bytes of the requests sent (serialized JSON-RPC), where the client measured them.',
    (server) => server.bytesSent,
    'bytes',
  );
  counter(
    'mcp_client_received_bytes',
    'Bytes of the responses received (serialized JSON-RPC), where the client measured them.',
    (server) => server.bytesReceived,
    'bytes',
  );
  counter('mcp_client_cache_hits', 'Calls answered from the response cache.', (server) => {
    let hits = 0;
    for (const series of server.allSeries()) hits += series.cacheHits;
    return hits;
  });
  gauge(
    'mcp_client_last_success_timestamp_seconds',
    'Unix time of the last request that succeeded.',
    (server) =>
      server.lastSuccessAtMs < 0
        ? undefined
        : (performance.timeOrigin + server.lastSuccessAtMs) / 1000,
    'seconds',
  );
  const withError = servers.filter((server) => server.lastErrorAtMs >= 0);
  if (withError.length > 0) {
    writer.family(
      'mcp_client_last_error_timestamp_seconds',
      'gauge',
      'Unix time of the last failed request, by its error type.',
      'seconds',
    );
    for (const server of withError) {
      writer.sample(
        'mcp_client_last_error_timestamp_seconds',
        join(
          serverLabel.get(server)!,
          labelPairs({ error_type: server.lastErrorType ?? ERROR_TYPE_OTHER }),
        ),
        (performance.timeOrigin + server.lastErrorAtMs) / 1000,
      );
    }
  }

  writer.family(
    'mcp_monitor_series',
    'gauge',
    'Operation series the monitor holds (the cardinality cap applies to them).',
  );
  writer.sample('mcp_monitor_series', '', store.seriesCount);
  writer.family(
    'mcp_monitor_series_limit',
    'gauge',
    'The cardinality cap: series beyond it go to an overflow series.',
  );
  writer.sample('mcp_monitor_series_limit', '', store.maxSeries);
  writer.family(
    'mcp_monitor_overflow_calls',
    'counter',
    'Calls recorded in an overflow series because the cap was reached.',
  );
  writer.sample('mcp_monitor_overflow_calls_total', '', store.overflowCalls);
  writer.family(
    'mcp_monitor_invalid_events',
    'counter',
    'Events dropped because they lacked a server, a method or a duration.',
  );
  writer.sample('mcp_monitor_invalid_events_total', '', store.invalidEvents);
  return writer.finish();
}
