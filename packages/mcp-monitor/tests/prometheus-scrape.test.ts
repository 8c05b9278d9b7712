// A real Prometheus (Debian's 2.42) scrapes metricsHandler() while calls go through a real MCP
// server: the target is up (OpenMetrics accepted), histogram_quantile agrees with the monitor's
// own p95, every panel of the shipped Grafana board returns data, and promtool accepts the
// exposition.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fault, MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import {
  promtool,
  startPrometheus,
  type RunningPrometheus,
} from '../../../tools/test-services/index.mjs';
import { MCP_DURATION_BUCKETS_SECONDS, McpEventHub } from '@tframex/mcp-telemetry-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCPMonitor } from '../src/index.js';

interface GrafanaPanel {
  title: string;
  targets: Array<{ expr: string }>;
}

const dashboard = JSON.parse(
  readFileSync(new URL('../grafana/mcp-monitor-dashboard.json', import.meta.url), 'utf8'),
) as { panels: GrafanaPanel[] };

/** Grafana's variables as it would fill them: every server, a rate window of a few scrapes. */
function expand(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '15s')
    .replaceAll('$__range', '5m')
    .replaceAll('$mcp_server', '.+');
}

/** Index of the bucket holding `seconds` (le semantics), +Inf last. */
function bucketOf(seconds: number): number {
  const index = MCP_DURATION_BUCKETS_SECONDS.findIndex((bound) => seconds <= bound);
  return index < 0 ? MCP_DURATION_BUCKETS_SECONDS.length : index;
}

const stops: Array<() => Promise<void>> = [];
let server: MockMCPServer;
let client: MCPTestClient;
let monitor: MCPMonitor;
let prometheus: RunningPrometheus;
let traffic: Promise<void> | undefined;
let stopTraffic = false;
const scrapeAccepts: string[] = [];

beforeAll(async () => {
  server = new MockMCPServer({ name: 'database' });
  server.addTool(
    'query',
    async ({ ms }) => new Promise((resolve) => setTimeout(() => resolve('rows'), Number(ms))),
  );
  server.addTool('broken', () => {
    throw new Error('out of stock');
  });
  server.addTool(
    'slow',
    (_args, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'))),
  );
  await server.start();
  stops.push(() => server.stop());
  client = new MCPTestClient(server.url, { name: 'database' });
  stops.push(() => client.close());
  monitor = new MCPMonitor(client);
  stops.push(() => monitor.close());
  const handler = monitor.metricsHandler();
  const http: Server = createServer((request, response) => {
    scrapeAccepts.push(request.headers.accept ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => http.close(() => resolve())));
  const { port } = http.address() as AddressInfo;
  prometheus = await startPrometheus({
    targets: [{ job: 'mcp', address: `127.0.0.1:${port}` }],
    scrapeIntervalMs: 1000,
  });
  stops.push(() => prometheus.stop());

  // Calls keep coming while Prometheus scrapes, so rates have something to show.
  const durations = [5, 15, 30, 60, 120, 250];
  await client.callTool('slow', {}, { timeoutMs: 50 }).catch(() => undefined);
  server.faults.inject({ tool: 'query', fault: fault.jsonRpcError(-32603, 'db down'), times: 1 });
  traffic = (async () => {
    for (let call = 0; !stopTraffic; call++) {
      await client
        .callTool('query', { ms: durations[call % durations.length] })
        .catch(() => undefined);
      if (call % 10 === 3) await client.callTool('broken', {});
    }
  })();
}, 60_000);

afterAll(async () => {
  stopTraffic = true;
  await traffic;
  for (const stop of stops.splice(0).reverse()) await stop();
}, 60_000);

describe('a real Prometheus scraping metricsHandler()', () => {
  it('scrapes the target (OpenMetrics) and sees it up', async () => {
    // The first scrape lands some 8–10 s after Prometheus starts.
    await expect
      .poll(async () => (await prometheus.query('up{job="mcp"}'))[0]?.value[1], {
        timeout: 60_000,
        interval: 500,
      })
      .toBe('1');
    const [target] = await prometheus.targets();
    expect(target).toMatchObject({ health: 'up', lastError: '' });
    // Prometheus asked for OpenMetrics, so that is what it parsed (units and all).
    expect(scrapeAccepts[0]).toMatch(/^application\/openmetrics-text/);
    const [mcpUp] = await prometheus.query('mcp_client_up{mcp_server="database"}');
    expect(mcpUp?.value[1]).toBe('1');
  }, 90_000);

  it('returns data for every panel of the shipped Grafana board', async () => {
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const expr = expand(target.expr);
        await expect
          .poll(async () => (await prometheus.query(expr)).length, {
            timeout: 60_000,
            interval: 500,
            message: `panel "${panel.title}": ${expr}`,
          })
          .toBeGreaterThan(0);
      }
    }
  }, 180_000);

  it('agrees with the monitor on p95 within one bucket', async () => {
    stopTraffic = true;
    await traffic;
    const usage = await monitor.getToolUsage('mcp://database/query');
    const seen = 'sum(mcp_client_operation_duration_seconds_count{gen_ai_tool_name="query"})';
    // Wait until Prometheus has scraped every call the monitor saw.
    await expect
      .poll(async () => Number((await prometheus.query(seen))[0]?.value[1] ?? 0), {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(usage.totalCalls);
    const [p95] = await prometheus.query(
      'histogram_quantile(0.95, sum by (le) (mcp_client_operation_duration_seconds_bucket{gen_ai_tool_name="query"}))',
    );
    const prometheusP95 = Number(p95!.value[1]);
    const monitorP95 = usage.p95DurationMs / 1000;
    expect(Math.abs(bucketOf(prometheusP95) - bucketOf(monitorP95))).toBeLessThanOrEqual(1);
    // Same buckets, same interpolation: they should in fact be the same number.
    expect(prometheusP95).toBeCloseTo(monitorP95, 3);
  }, 90_000);

  it('passes promtool check metrics, which does reject a broken exposition', async () => {
    const text = await monitor.exportMetrics({ format: 'prometheus' });
    const checked = await promtool(['check', 'metrics'], text);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
    // Hostile names (quotes, backslashes, line feeds, non-ASCII) are escaped so the parser agrees.
    const feed = new McpEventHub();
    const hostile = new MCPMonitor(feed, { openTelemetry: false, includeResourceUri: true });
    const tool = 'drop "table"\\n\nnext ✓';
    feed.emit('request:end', {
      requestId: 1,
      callId: 1,
      server: 'db',
      method: 'tools/call',
      tool,
      target: tool,
      attempt: 1,
      startTime: performance.now(),
      durationMs: 12,
      outcome: 'ok',
    });
    const escaped = await promtool(['check', 'metrics'], await hostile.exportMetrics());
    await hostile.close();
    expect(escaped.output).toBe('');
    expect(escaped.code).toBe(0);
    const broken = await promtool(
      ['check', 'metrics'],
      '# HELP mcp_client_retries retries\n# TYPE mcp_client_retries counter\nmcp_client_retries 1\n',
    );
    expect(broken.code).not.toBe(0);
  });
});
