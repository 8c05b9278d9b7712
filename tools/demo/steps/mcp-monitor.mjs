// Demo step of @tframex/mcp-monitor: an MCPMonitor watches every client from the start, serves
// /metrics and a live dashboard while the demo runs (URL printed), scrapes itself once, and
// prints status and per-tool usage at the end.
import { createServer } from 'node:http';
import { MCPMonitor } from '@tframex/mcp-monitor';

function createStep() {
  /** @type {MCPMonitor | undefined} */
  let monitor;
  let base = '';
  let alertsFired = 0;

  return {
    name: 'mcp-monitor',

    async attach(demo) {
      monitor = new MCPMonitor(Object.values(demo.clients), { openTelemetry: false });
      demo.onStop('monitor', () => monitor.close());
      monitor.addAlert({
        name: 'server_down',
        server: 'everything',
        condition: (server) => server.state === 'failed',
        callback: () => void alertsFired++,
      });
      const metrics = monitor.metricsHandler();
      const dashboard = monitor.dashboardHandler({ title: 'TFrameX MCP demo' });
      const http = createServer((request, response) =>
        (request.url ?? '/').startsWith('/metrics')
          ? metrics(request, response)
          : dashboard(request, response),
      );
      const port = await demo.freePort();
      await new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, '127.0.0.1', resolve);
      });
      demo.onStop(
        'monitor endpoint',
        () =>
          new Promise((resolve) => {
            http.closeAllConnections();
            http.close(() => resolve());
          }),
      );
      base = `http://127.0.0.1:${port}`;
      demo.print(
        `  ${demo.ui.pad('monitor', demo.ui.W)}${demo.ui.pad('http', 17)}${base}/metrics  dashboard ${base}/`,
      );
    },

    /** The demo opens more clients after attach: the monitor watches each one too. */
    clientAdded(demo, client) {
      monitor?.watch(client);
    },

    async run(demo) {
      const { print, ui } = demo;
      demo.section('Monitor', `MCPMonitor over every client; Prometheus at ${base}/metrics`);
      const response = await demo.within(
        fetch(`${base}/metrics`, {
          headers: { accept: 'application/openmetrics-text; version=1.0.0' },
        }),
        5_000,
        'the monitor’s /metrics',
      );
      const text = await response.text();
      const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      if (!text.endsWith('# EOF\n')) throw new Error('the /metrics scrape is not OpenMetrics');
      print(
        `  ${ui.pad('scrape', 8)}${samples.length} samples, ${Math.round(text.length / 1024)} KiB of OpenMetrics  ${ui.dim(response.headers.get('content-type') ?? '')}`,
      );
      const status = await monitor.getStatus();
      print(
        `  ${ui.pad('status', 8)}Connected: ${status.connected}  Latency: ${status.latencyMs}ms  Requests/min: ${status.rpm}`,
      );
    },

    async summary(demo) {
      const { print, ui } = demo;
      const status = await monitor.getStatus();
      demo.section('Monitor summary', `dashboard was live at ${base}/`);
      print(
        ui.dim(
          `  ${ui.pad('server', ui.W)}${ui.pad('state', 11)}${ui.padLeft('requests', 9)}${ui.padLeft('errors', 8)}${ui.padLeft('retries', 9)}${ui.padLeft('latency', 11)}${ui.padLeft('p95', 11)}  last error`,
        ),
      );
      for (const server of status.servers) {
        print(
          `  ${ui.pad(server.server, ui.W)}${ui.pad(server.state, 11)}${ui.padLeft(server.totals.requests, 9)}${ui.padLeft(server.totals.errors, 8)}${ui.padLeft(server.totals.retries, 9)}${ui.padLeft(ui.ms(server.latencyMs), 11)}${ui.padLeft(ui.ms(server.p95LatencyMs), 11)}  ${ui.dim(server.lastError ? ui.clip(`${server.lastError.type}: ${server.lastError.message}`, 40) : '-')}`,
        );
      }
      const usages = await Promise.all(
        status.servers.map((server) => monitor.getToolUsage(`mcp://${server.server}/*`)),
      );
      const json = JSON.parse(await monitor.exportMetrics({ format: 'json' }));
      const names = [
        ...new Set(
          json.operations
            .filter((op) => op.targetKind === 'tool' && !op.overflow)
            .map((op) => `${op.server}/${op.target}`),
        ),
      ];
      const top = (await Promise.all(names.map((name) => monitor.getToolUsage(`mcp://${name}`))))
        .sort((a, b) => b.totalCalls - a.totalCalls)
        .slice(0, 5);
      print(
        ui.dim(
          `  ${ui.pad('tool', 44)}${ui.padLeft('calls', 6)}${ui.padLeft('avg', 10)}${ui.padLeft('p95', 10)}${ui.padLeft('errors', 8)}`,
        ),
      );
      for (const usage of top) {
        print(
          `  ${ui.pad(ui.clip(usage.uri, 43), 44)}${ui.padLeft(usage.totalCalls, 6)}${ui.padLeft(ui.ms(usage.avgDurationMs), 10)}${ui.padLeft(ui.ms(usage.p95DurationMs), 10)}${ui.padLeft(`${usage.errorRate}%`, 8)}`,
        );
      }
      const calls = usages.reduce((sum, usage) => sum + usage.totalCalls, 0);
      if (calls === 0) throw new Error('the monitor saw no tool calls');
      print(`  ${ui.dim(`${calls} tool calls seen; alerts fired: ${alertsFired}`)}`);
    },
  };
}

export default createStep();
