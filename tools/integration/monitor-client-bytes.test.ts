// MCPMonitor over a real MCPClient: the bytes the client measures on each request reach the
// monitor's counters and status, for a server over HTTP on 127.0.0.1.
import { MCPClient } from '@tframex/mcp-core';
import { MCPMonitor } from '@tframex/mcp-monitor';
import { MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, expect, it } from 'vitest';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

it('fills the monitor bytes metrics from MCPClient', async () => {
  const server = new MockMCPServer({ name: 'echo' });
  server.addTool('echo', ({ text }) => String(text));
  const url = await server.start();
  stops.push(() => server.stop());
  const client = new MCPClient({ name: 'echo', serverUrl: url });
  stops.push(() => client.close());
  const monitor = new MCPMonitor(client);
  stops.push(() => monitor.close());

  await client.callTool('echo', { text: 'x'.repeat(10_000) });

  const totals = (await monitor.getStatus()).servers[0]!.totals;
  expect(totals.bytesSent).toBeGreaterThan(10_000);
  expect(totals.bytesReceived).toBeGreaterThan(10_000);
  const text = await monitor.exportMetrics({ format: 'prometheus' });
  const sent = /^mcp_client_sent_bytes_total\{mcp_server="echo"\} (\d+)$/m.exec(text);
  expect(Number(sent?.[1])).toBe(totals.bytesSent);
});
