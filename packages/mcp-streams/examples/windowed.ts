// processWindowed: summaries of every 100 events (or of each minute, whichever comes first),
// stored by a processor; the last, partial window is processed when the stream ends.
/* eslint-disable @nx/enforce-module-boundaries -- an example imports the package by its
   name, as users do, and runs against the testing kit's real MCP server */
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { MCPStream, type McpStreamEvent, type McpWindowedSummary } from '@tframex/mcp-streams';

export async function main(): Promise<{ summaries: unknown[]; summary: McpWindowedSummary }> {
  const server = new MockMCPServer({ name: 'stream' });
  server.addTool('emit', async ({ count }, context) => {
    for (let i = 1; i <= Number(count); i++) {
      await context.sdk.mcpReq.notify({
        method: 'notifications/metrics',
        params: { type: 'latency', data: { ms: i } },
      });
    }
    return 'sent';
  });
  const mcpClient = new MCPTestClient(server, { name: 'stream' });
  const summaries: { count: number; meanMs: number; partial: boolean }[] = [];
  const summarize = (events: McpStreamEvent[]) => ({
    count: events.length,
    meanMs: events.reduce((sum, e) => sum + (e.data as { ms: number }).ms, 0) / events.length,
  });
  const storeSummary = async (summary: { count: number; meanMs: number; partial: boolean }) => {
    summaries.push(summary);
  };
  try {
    const stream = new MCPStream({ client: mcpClient, uri: 'mcp://stream/notifications/metrics' });
    const running = stream.processWindowed({
      windowSize: 100,
      windowDurationMs: 60_000,
      processor: async (events, info) =>
        storeSummary({ ...summarize(events), partial: info.partial }),
    });
    while (!stream.listening) await new Promise((resolve) => setImmediate(resolve));
    await mcpClient.callTool('emit', { count: 250 });
    while (summaries.length < 2) await new Promise((resolve) => setImmediate(resolve));
    await mcpClient.close(); // the stream ends: the last 50 events make a partial window
    const summary = await running;
    console.log(summaries);
    if (summary.windows !== 3 || summaries[2]?.count !== 50 || !summaries[2].partial) {
      throw new Error(`unexpected windows: ${JSON.stringify(summaries)}`);
    }
    return { summaries, summary };
  } finally {
    await mcpClient.close();
    await server.stop();
  }
}
