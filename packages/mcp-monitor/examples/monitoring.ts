// TFrameX's monitoring example: a monitor on an MCP client reports connection, latency and
// request rate, usage of the database's query tool, fires a high-latency alert, and exports
// Prometheus metrics.
import type { McpSession } from '@tframex/mcp-api';
import type { McpClientEvents, McpEventSource } from '@tframex/mcp-telemetry-api';
import { MCPMonitor, type McpMonitorStatus, type McpToolUsage } from '../src/index.js';

export interface MonitoringExampleOptions {
  /** A client of the `database` server (tool `query`): an MCPClient, or MCPTestClient in tests. */
  client: McpSession & McpEventSource<McpClientEvents>;
  /** Where alerts go (default: the console). */
  notifyOps?: (message: string) => void;
  /** Latency that counts as high, in ms (TFrameX's example says 1 000). */
  highLatencyMs?: number;
  log?: (line: string) => void;
}

export interface MonitoringExampleResult {
  status: McpMonitorStatus;
  usage: McpToolUsage;
  metrics: string;
  alertsFired: number;
}

export async function main({
  client,
  notifyOps = (message) => console.warn(message),
  highLatencyMs = 1000,
  log = console.log,
}: MonitoringExampleOptions): Promise<MonitoringExampleResult> {
  await using monitor = new MCPMonitor(client);
  let alertsFired = 0;
  const fired = new Promise<void>((resolve) =>
    monitor.addAlert({
      name: 'high_latency',
      condition: (s) => s.latencyMs > highLatencyMs,
      callback: () => {
        alertsFired++;
        notifyOps('High MCP latency detected');
        resolve();
      },
    }),
  );

  // The application at work.
  for (const sql of [
    'SELECT 1',
    "SELECT * FROM sales WHERE quarter = 'Q4'",
    'SELECT count(*) FROM users',
  ])
    await client.callTool('query', { sql });

  const status = await monitor.getStatus();
  log(
    `Connected: ${status.connected}  Latency: ${status.latencyMs}ms  Requests/min: ${status.rpm}`,
  );
  const usage = await monitor.getToolUsage('mcp://database/query');
  log(
    `query: ${usage.totalCalls} calls, avg ${usage.avgDurationMs} ms, p95 ${usage.p95DurationMs} ms, ${usage.errorRate}% errors`,
  );
  const metrics = await monitor.exportMetrics({ format: 'prometheus' });

  if (!status.connected) throw new Error('The monitor does not see the database connected');
  if (usage.totalCalls !== 3) throw new Error(`Expected 3 query calls, saw ${usage.totalCalls}`);
  if (!metrics.includes('mcp_client_operation_duration_seconds_bucket'))
    throw new Error('The Prometheus export lacks the operation duration histogram');
  // Slow calls fire the alert soon after they end (the monitor evaluates on events).
  if (status.latencyMs > highLatencyMs) await fired;
  return { status, usage, metrics, alertsFired };
}
