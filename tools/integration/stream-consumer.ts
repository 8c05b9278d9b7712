// A consumer process: reads an MCP stream from Redis as a member of a consumer group
// (MCPStream + RedisStreamBus, no MCP session of its own) and prints one JSON line per event,
// taking `delayMs` over each. Prints "ready" once it is a member.
//   node --import tsx stream-consumer.ts <redis url> <group> <consumer> <delayMs>
import { RedisStreamBus } from '@tframex/mcp-redis';
import { MCPStream } from '@tframex/mcp-streams';

const [url, group, consumer, delayMs = '0'] = process.argv.slice(2);
const bus = new RedisStreamBus({
  url: url!,
  blockMs: 200,
  claimIdleMs: 2000,
  onError: () => undefined,
});
const stream = new MCPStream({ bus, uri: 'mcp://shop/notifications/orders' });
const subscription = await stream.subscribe({ group: group!, consumer: consumer!, bufferSize: 5 });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void subscription
    .close()
    .then(() => bus.close())
    .then(() => process.exit(0));
});
for await (const event of subscription) {
  const { id } = event.data as { id: number };
  process.stdout.write(`${JSON.stringify({ consumer, id, type: event.type })}\n`);
  if (Number(delayMs) > 0) await new Promise((resolve) => setTimeout(resolve, Number(delayMs)));
}
