// A consumer process of the Redis fan-out benchmark: reads a topic in a consumer group, either
// through MCPStream + RedisStreamBus (built packages) or with raw XREADGROUP/XACK (the
// baseline), and prints "ready", then "done <count>" once it has seen `expected` events
// in its group (counted by everyone: each child reports its own count every 100 ms).
//   node streams-consumer.mjs <mode mcp|raw> <url> <topic> <group> <consumer>
import { MCPStream } from '@tframex/mcp-streams';
import { RedisStreamBus } from '@tframex/mcp-redis';
import { createClient } from 'redis';

const [mode, url, topic, group, consumer] = process.argv.slice(2);
let count = 0;
let stop = () => undefined;
const report = setInterval(() => process.stdout.write(`count ${count}\n`), 100);

if (mode === 'mcp') {
  const bus = new RedisStreamBus({ url, blockMs: 100, batchSize: 500, onError: () => undefined });
  const stream = new MCPStream({ bus, topic, uri: 'mcp://bench/notifications/events' });
  const subscription = await stream.subscribe({ group, consumer, bufferSize: 2000 });
  stop = () => subscription.close().then(() => bus.close());
  process.stdout.write('ready\n');
  for await (const _event of subscription) count++;
} else {
  const client = createClient({ url });
  await client.connect();
  const key = `tframex:stream:${topic}`;
  try {
    await client.sendCommand(['XGROUP', 'CREATE', key, group, '$', 'MKSTREAM']);
  } catch {
    // the group exists
  }
  let running = true;
  stop = async () => {
    running = false;
  };
  process.stdout.write('ready\n');
  while (running) {
    const reply = await client.sendCommand([
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      '500',
      'BLOCK',
      '100',
      'STREAMS',
      key,
      '>',
    ]);
    if (!reply) continue;
    const streams = Array.isArray(reply) ? reply.map((s) => s[1]) : Object.values(reply);
    const ids = [];
    for (const messages of streams) {
      for (const [id, fields] of messages) {
        JSON.parse(fields[1]);
        ids.push(id);
      }
    }
    count += ids.length;
    if (ids.length) await client.sendCommand(['XACK', key, group, ...ids]);
  }
  await client.close();
}

process.once('SIGTERM', async () => {
  clearInterval(report);
  await stop();
  process.exit(0);
});
