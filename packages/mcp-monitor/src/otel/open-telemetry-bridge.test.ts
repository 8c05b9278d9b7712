// The OpenTelemetry bridge against the real SDK (sdk-metrics 2.12, the line for Node 20): the
// conventions' histogram with its attributes and buckets, the operators' counters, the global
// MeterProvider picked up by default, and nothing sent when turned off.
import { metrics } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type HistogramMetricData,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { MCP_DURATION_BUCKETS_SECONDS } from '@tframex/mcp-telemetry-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPMonitor } from '../index.js';
import { EventFeed } from '../test-support/event-feed.js';

/** A reader that collects on demand. */
class CollectingReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  async metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics
      .filter((scope) => scope.scope.name === '@tframex/mcp-monitor')
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === name);
  }
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  metrics.disable();
});

function sdk(): { provider: MeterProvider; reader: CollectingReader } {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  stops.push(() => provider.shutdown());
  return { provider, reader };
}

describe('MCPMonitor → OpenTelemetry', () => {
  it('records mcp.client.operation.duration with the conventions’ attributes and buckets', async () => {
    const { provider, reader } = sdk();
    const server = new MockMCPServer({ name: 'database' });
    server.addTool('query', () => 'rows');
    server.addTool('broken', () => {
      throw new Error('out of stock');
    });
    await server.start();
    stops.push(() => server.stop());
    const client = new MCPTestClient(server.url, { name: 'database' });
    stops.push(() => client.close());
    const monitor = new MCPMonitor(client, { openTelemetry: { meterProvider: provider } });
    stops.push(() => monitor.close());
    expect(await monitor.openTelemetry).toBe('bridged');
    for (let call = 0; call < 3; call++) await client.callTool('query', {});
    await client.callTool('broken', {});

    const metric = (await reader.metric('mcp.client.operation.duration')) as HistogramMetricData;
    expect(metric.descriptor.unit).toBe('s');
    expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
    const query = metric.dataPoints.find(
      (point) => point.attributes['gen_ai.tool.name'] === 'query',
    )!;
    expect(query.attributes).toMatchObject({
      'mcp.server': 'database',
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'server.address': '127.0.0.1',
      'server.port': new URL(server.url).port === '' ? 80 : Number(new URL(server.url).port),
    });
    expect(query.attributes['error.type']).toBeUndefined();
    expect(query.value.count).toBe(3);
    expect(query.value.buckets.boundaries).toEqual([...MCP_DURATION_BUCKETS_SECONDS]);
    const usage = await monitor.getToolUsage('mcp://database/query');
    expect(query.value.sum).toBeCloseTo((usage.avgDurationMs * 3) / 1000, 5);
    const broken = metric.dataPoints.find(
      (point) => point.attributes['gen_ai.tool.name'] === 'broken',
    )!;
    expect(broken.attributes['error.type']).toBe('tool_error');
    expect(broken.value.count).toBe(1);
  });

  it('counts retries, rate-limited waits, circuit opens and cache hits', async () => {
    const { provider, reader } = sdk();
    const feed = new EventFeed();
    const monitor = new MCPMonitor(feed, { openTelemetry: { meterProvider: provider } });
    stops.push(() => monitor.close());
    await monitor.openTelemetry;
    feed.emit('retry', { server: 'db', method: 'tools/call', attempt: 2, delayMs: 5 });
    feed.emit('retry', { server: 'db', method: 'tools/call', attempt: 3, delayMs: 5 });
    feed.emit('rate-limited', { server: 'db', method: 'tools/call', waitMs: 9, source: 'server' });
    feed.emit('circuit:state', { server: 'db', from: 'closed', to: 'open' });
    feed.tool('query', 1, { cached: true });
    feed.emit('connection:state', {
      server: 'db',
      state: 'closed',
      previous: 'connected',
      sessionDurationMs: 2_500,
    });
    const sumOf = async (name: string) =>
      (await reader.metric(name))?.dataPoints.reduce(
        (total, point) => total + (point.value as number),
        0,
      );
    expect(await sumOf('mcp.client.retries')).toBe(2);
    expect(await sumOf('mcp.client.rate_limited.waits')).toBe(1);
    expect(await sumOf('mcp.client.circuit.opens')).toBe(1);
    expect(await sumOf('mcp.client.cache.hits')).toBe(1);
    const sessions = (await reader.metric('mcp.client.session.duration')) as HistogramMetricData;
    expect(sessions.dataPoints[0]!.value.sum).toBe(2.5);
  });

  it('uses the global MeterProvider by default, and none when turned off', async () => {
    const { provider, reader } = sdk();
    metrics.setGlobalMeterProvider(provider);
    const feed = new EventFeed();
    const auto = new MCPMonitor(feed);
    const off = new MCPMonitor(feed, { openTelemetry: false });
    stops.push(
      () => auto.close(),
      () => off.close(),
    );
    expect(await auto.openTelemetry).toBe('bridged');
    expect(await off.openTelemetry).toBe('off');
    feed.tool('query', 12);
    const metric = (await reader.metric('mcp.client.operation.duration')) as HistogramMetricData;
    // One monitor bridged, so one observation (the other kept it to itself).
    expect(metric.dataPoints.reduce((total, point) => total + point.value.count, 0)).toBe(1);
    await auto.close();
    feed.tool('query', 12);
    const after = (await reader.metric('mcp.client.operation.duration')) as HistogramMetricData;
    expect(after.dataPoints.reduce((total, point) => total + point.value.count, 0)).toBe(1);
  });

  it('rejects a meterProvider that is not one', () => {
    expect(
      () => new MCPMonitor(new EventFeed(), { openTelemetry: { meterProvider: {} as never } }),
    ).toThrow(/openTelemetry/);
  });
});
