// Sends the monitor's measurements to an OpenTelemetry MeterProvider as well: the conventions'
// histograms (`mcp.client.operation.duration`, `mcp.client.session.duration`, seconds, the MCP
// buckets) and counters for what operators add. Attribute objects are built once per series
// and error type, never per call, so with the API's no-op meter a call costs next to nothing.
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROMPT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_MCP_RESOURCE_URI,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_TRANSPORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_MCP_CLIENT_OPERATION_DURATION,
  METRIC_MCP_CLIENT_SESSION_DURATION,
  type McpTransportKind,
} from '@tframex/mcp-telemetry-api';
import { ERROR_TYPE_OTHER } from '../metrics/error-type.js';
import type { OperationSeries } from '../metrics/operation-series.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type {
  McpMeterProvider,
  McpOtelAttributes,
  McpOtelCounter,
  McpOtelHistogram,
} from './meter-types.js';
import type { MetricSink } from './metric-sink.js';

/** The server's alias (`mcp_server` in Prometheus), beside the conventions' attributes. */
export const ATTR_MCP_SERVER = 'mcp.server';

const TARGET_ATTRIBUTE = {
  tool: ATTR_GEN_AI_TOOL_NAME,
  prompt: ATTR_GEN_AI_PROMPT_NAME,
  resource: ATTR_MCP_RESOURCE_URI,
};
const NETWORK_TRANSPORT: Partial<Record<McpTransportKind, string>> = {
  stdio: 'pipe',
  'streamable-http': 'tcp',
  sse: 'tcp',
};

function endpointAttributes(server: ServerMetrics): McpOtelAttributes {
  const { transport, protocolVersion, serverAddress, serverPort } = server.endpoint;
  const attributes: McpOtelAttributes = { [ATTR_MCP_SERVER]: server.name };
  if (protocolVersion !== undefined) attributes[ATTR_MCP_PROTOCOL_VERSION] = protocolVersion;
  const network = transport !== undefined ? NETWORK_TRANSPORT[transport] : undefined;
  if (network !== undefined) attributes[ATTR_NETWORK_TRANSPORT] = network;
  if (transport === 'streamable-http' || transport === 'sse')
    attributes[ATTR_NETWORK_PROTOCOL_NAME] = 'http';
  if (serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = serverAddress;
  if (serverPort !== undefined) attributes[ATTR_SERVER_PORT] = serverPort;
  return attributes;
}

export class OpenTelemetryBridge implements MetricSink {
  readonly #operation: McpOtelHistogram;
  readonly #session: McpOtelHistogram;
  readonly #retries: McpOtelCounter;
  readonly #rateLimitedWaits: McpOtelCounter;
  readonly #circuitOpens: McpOtelCounter;
  readonly #cacheHits: McpOtelCounter;
  // Attribute objects, built on first use (per series on the series itself: no lookup per call).
  readonly #serverAttributes = new WeakMap<ServerMetrics, McpOtelAttributes>();

  constructor(provider: McpMeterProvider, bucketsSeconds: readonly number[]) {
    const meter = provider.getMeter('@tframex/mcp-monitor');
    const advice = { explicitBucketBoundaries: [...bucketsSeconds] };
    this.#operation = meter.createHistogram(METRIC_MCP_CLIENT_OPERATION_DURATION, {
      description: 'Duration of MCP requests as observed by the client.',
      unit: 's',
      advice,
    });
    this.#session = meter.createHistogram(METRIC_MCP_CLIENT_SESSION_DURATION, {
      description: 'Duration of MCP client sessions.',
      unit: 's',
      advice,
    });
    this.#retries = meter.createCounter('mcp.client.retries', {
      description: 'Requests retried after a failed attempt.',
      unit: '{request}',
    });
    this.#rateLimitedWaits = meter.createCounter('mcp.client.rate_limited.waits', {
      description: 'Requests that waited for a rate limit.',
      unit: '{request}',
    });
    this.#circuitOpens = meter.createCounter('mcp.client.circuit.opens', {
      description: 'Times the circuit breaker opened.',
      unit: '{open}',
    });
    this.#cacheHits = meter.createCounter('mcp.client.cache.hits', {
      description: 'Calls answered from the response cache.',
      unit: '{call}',
    });
  }

  operation(series: OperationSeries, histogramIndex: number, ms: number): void {
    const cached = (series.otelAttributes ??= []);
    const attributes = (cached[histogramIndex] ??= this.#attributesOf(series, histogramIndex));
    this.#operation.record(ms / 1000, attributes);
  }

  cacheHit(series: OperationSeries): void {
    this.#cacheHits.add(1, this.#attributesOf(series, 0));
  }

  session(server: ServerMetrics, failed: boolean, ms: number): void {
    const attributes = endpointAttributes(server);
    if (failed) attributes[ATTR_ERROR_TYPE] = ERROR_TYPE_OTHER;
    this.#session.record(ms / 1000, attributes);
  }

  retry(server: ServerMetrics): void {
    this.#retries.add(1, this.#serverOnly(server));
  }

  rateLimited(server: ServerMetrics, source: 'local' | 'server'): void {
    this.#rateLimitedWaits.add(1, { ...this.#serverOnly(server), 'mcp.rate_limit.source': source });
  }

  circuitOpened(server: ServerMetrics): void {
    this.#circuitOpens.add(1, this.#serverOnly(server));
  }

  #serverOnly(server: ServerMetrics): McpOtelAttributes {
    let attributes = this.#serverAttributes.get(server);
    if (attributes === undefined) {
      attributes = { [ATTR_MCP_SERVER]: server.name };
      this.#serverAttributes.set(server, attributes);
    }
    return attributes;
  }

  #attributesOf(series: OperationSeries, histogramIndex: number): McpOtelAttributes {
    const attributes: McpOtelAttributes = {
      ...endpointAttributes(series.serverMetrics),
      [ATTR_MCP_METHOD_NAME]: series.method,
    };
    if (series.targetKind !== undefined && series.target !== undefined)
      attributes[TARGET_ATTRIBUTE[series.targetKind]] = series.target;
    if (series.method === 'tools/call') attributes[ATTR_GEN_AI_OPERATION_NAME] = 'execute_tool';
    if (series.overflow) attributes['otel.metric.overflow'] = true;
    const errorType = series.errorTypes[histogramIndex];
    if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
    return Object.freeze(attributes);
  }
}
