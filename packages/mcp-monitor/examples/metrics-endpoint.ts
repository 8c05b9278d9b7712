// Serving what the monitor knows: /metrics for a Prometheus scraper and a live dashboard page,
// on one HTTP server, here on an ephemeral port of 127.0.0.1 (port 9464 in production).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpSession } from '@tframex/mcp-api';
import type { McpClientEvents, McpEventSource } from '@tframex/mcp-telemetry-api';
import { MCPMonitor } from '../src/index.js';

export interface MetricsEndpointOptions {
  /** A client of the `database` server (tool `query`). */
  client: McpSession & McpEventSource<McpClientEvents>;
  log?: (line: string) => void;
}

export async function main({ client, log = console.log }: MetricsEndpointOptions): Promise<{
  scraped: string;
  dashboard: string;
}> {
  await using monitor = new MCPMonitor(client);
  const metrics = monitor.metricsHandler();
  const dashboard = monitor.dashboardHandler({ title: 'Database MCP server' });
  const server = createServer((request, response) =>
    (request.url ?? '/').startsWith('/metrics')
      ? metrics(request, response)
      : dashboard(request, response),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    log(`metrics at ${base}/metrics, dashboard at ${base}/`);
    await client.callTool('query', { sql: 'SELECT 1' });
    const scraped = await (
      await fetch(`${base}/metrics`, {
        headers: { accept: 'application/openmetrics-text; version=1.0.0' },
      })
    ).text();
    const page = await (await fetch(`${base}/`)).text();
    if (!scraped.endsWith('# EOF\n')) throw new Error('The scrape is not OpenMetrics');
    if (!scraped.includes('gen_ai_tool_name="query"'))
      throw new Error('The scrape lacks the query tool');
    if (!page.includes('<title>Database MCP server</title>')) throw new Error('No dashboard page');
    return { scraped, dashboard: page };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
