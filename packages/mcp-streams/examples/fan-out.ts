// Fan-out: one relay holds the MCP subscription and puts events on a StreamBus; readers in
// consumer groups share them (each event once per group). InProcessStreamBus here; the same
// code runs across processes with RedisStreamBus from @tframex/mcp-redis.
/* eslint-disable @nx/enforce-module-boundaries -- an example imports the package by its
   name, as users do, and runs against the testing kit's real MCP server */
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { InProcessStreamBus, MCPStream } from '@tframex/mcp-streams';

export async function main(): Promise<Record<string, number[]>> {
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('place-orders', async ({ count }, context) => {
    for (let id = 1; id <= Number(count); id++) {
      await context.sdk.mcpReq.notify({
        method: 'notifications/orders',
        params: { type: 'order_placed', data: { id } },
      });
    }
    return 'placed';
  });
  const client = new MCPTestClient(server, { name: 'shop' });
  const bus = new InProcessStreamBus();
  try {
    const relay = await new MCPStream({
      client,
      bus,
      uri: 'mcp://shop/notifications/orders',
    }).relay();
    const readers = new MCPStream({ bus, uri: 'mcp://shop/notifications/orders' });
    const seen: Record<string, number[]> = { 'billing-1': [], 'billing-2': [], 'audit-1': [] };
    const read = async (group: string, consumer: string) => {
      for await (const event of await readers.subscribe({ group, consumer })) {
        seen[consumer]!.push((event.data as { id: number }).id);
      }
    };
    const loops = [
      read('billing', 'billing-1'),
      read('billing', 'billing-2'),
      read('audit', 'audit-1'),
    ];
    await client.callTool('place-orders', { count: 10 });
    while (
      seen['audit-1']!.length < 10 ||
      seen['billing-1']!.length + seen['billing-2']!.length < 10
    ) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await readers.close();
    await Promise.all(loops);
    await relay.stop();
    console.log(seen);
    return seen;
  } finally {
    await bus.close();
    await client.close();
    await server.stop();
  }
}
