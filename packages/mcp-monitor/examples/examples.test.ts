// Runs the TFrameX monitoring examples against a real MCP server (MockMCPServer over HTTP).
import { fault, MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { main as metricsEndpoint } from './metrics-endpoint.js';
import { main as monitoring } from './monitoring.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function database(): Promise<{ server: MockMCPServer; client: MCPTestClient }> {
  const server = new MockMCPServer({ name: 'database' });
  server.addTool('query', ({ sql }) => [{ sql, rows: 1 }], {
    inputSchema: z.object({ sql: z.string() }),
  });
  await server.start();
  const client = new MCPTestClient(server.url, { name: 'database' });
  stops.push(async () => {
    await client.close();
    await server.stop();
  });
  return { server, client };
}

describe('TFrameX monitoring examples', () => {
  it('monitoring: status, usage and metrics of a healthy server; no alert', async () => {
    const { client } = await database();
    const lines: string[] = [];
    const alerts: string[] = [];
    const result = await monitoring({
      client,
      // Far above what a healthy call takes, even its first one (which connects) on a busy machine.
      highLatencyMs: 60_000,
      log: (line) => lines.push(line),
      notifyOps: (message) => alerts.push(message),
    });
    expect(lines[0]).toMatch(/^Connected: true {2}Latency: [\d.]+ms {2}Requests\/min: 3$/);
    expect(result.usage).toMatchObject({ totalCalls: 3, errorRate: 0 });
    expect(alerts).toEqual([]);
  });

  it('monitoring: a slow database fires the high-latency alert', async () => {
    const { server, client } = await database();
    server.faults.inject({ tool: 'query', fault: fault.latency(150) });
    const alerts: string[] = [];
    const result = await monitoring({
      client,
      highLatencyMs: 100,
      log: () => undefined,
      notifyOps: (message) => alerts.push(message),
    });
    expect(result.status.latencyMs).toBeGreaterThan(100);
    expect(alerts).toEqual(['High MCP latency detected']);
    expect(result.alertsFired).toBe(1);
  });

  it('metrics-endpoint: serves /metrics and the dashboard', async () => {
    const { client } = await database();
    const result = await metricsEndpoint({ client, log: () => undefined });
    expect(result.scraped).toContain('mcp_client_up{mcp_server="database"} 1');
  });
});
