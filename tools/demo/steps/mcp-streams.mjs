// Demo step of @tframex/mcp-streams: live events from an MCP server as an async iterable with
// a filter, and the same stream in windows, over one upstream subscription.
import { MCPClient } from '@tframex/mcp-core';
import { MCPStream } from '@tframex/mcp-streams';
import { MockMCPServer } from '@tframex/mcp-testing';

const SYMBOLS = ['ACME', 'GLOBEX', 'INITECH'];

export default {
  name: 'mcp-streams',
  async run(demo) {
    const { section, print, onStop, within, ui } = demo;
    section('Streams', 'MCPStream: live notifications, a filter and a window');

    const server = new MockMCPServer({ name: 'ticker' });
    server.addTool('trade', async ({ count }, context) => {
      for (let i = 0; i < Number(count); i++) {
        await context.sdk.mcpReq.notify({
          method: 'notifications/trades',
          params: {
            type: 'trade',
            data: { symbol: SYMBOLS[i % 3], price: 100 + ((i * 7) % 13), qty: 10 * (i + 1) },
          },
        });
      }
      return `${count} trades`;
    });
    const url = await server.start({ era: 'legacy' });
    onStop('server', () => server.stop());
    const client = new MCPClient({ serverUrl: url });
    onStop('client', () => client.close());
    await client.connect();

    const stream = new MCPStream({ client, uri: 'mcp://ticker/notifications/trades' });
    const acme = await stream.subscribe({ filters: { symbol: 'ACME' } });
    const windows = [];
    const windowed = stream.processWindowed({
      windowSize: 5,
      processor: (events, info) => {
        const mean = events.reduce((sum, e) => sum + e.data.price, 0) / events.length;
        windows.push(
          `window ${info.index}: ${events.length} trades, mean price ${mean.toFixed(1)}${info.partial ? ' (partial, at close)' : ''}`,
        );
      },
    });
    print(
      `  ${ui.pad('stream', ui.W)}${stream.uri}  ${ui.dim(`${stream.subscriberCount} subscribers, one upstream`)}`,
    );
    await client.callTool('trade', { count: 12 });

    for (let shown = 0; shown < 3; shown++) {
      const { value: event } = await within(acme.next(), 10_000, 'an ACME trade');
      print(
        `  ${ui.pad('ACME only', ui.W)}#${event.seq} ${event.type} ${event.data.symbol} @ ${event.data.price} × ${event.data.qty}`,
      );
    }
    while (windows.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await stream.close();
    const summary = await within(windowed, 10_000, 'the windows to finish');
    for (const line of windows) print(`  ${ui.pad('window', ui.W)}${line}`);
    print(
      `  ${ui.pad('summary', ui.W)}${ui.OK} ${summary.windows} windows, ${summary.events} events, ${summary.dropped} dropped, ended: ${summary.endReason}`,
    );
  },
};
