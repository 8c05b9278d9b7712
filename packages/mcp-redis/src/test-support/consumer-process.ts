// A consumer process for the fan-out tests: joins a group on a RedisStreamBus topic and
// prints one JSON line per entry it is handed ({ consumer, n, redelivered }), then
// acknowledges it after `delayMs`. Prints "ready" once it is a member; exits on SIGTERM.
//   node --import tsx consumer-process.ts <url> <topic> <group> <consumer> <delayMs> <claimIdleMs>
import { RedisStreamBus } from '../streams/redis-stream-bus.js';

const [url, topic, group, consumer, delayMs = '0', claimIdleMs = '30000'] = process.argv.slice(2);
const bus = new RedisStreamBus({
  url: url!,
  claimIdleMs: Number(claimIdleMs),
  blockMs: 200,
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
const delay = Number(delayMs);
await bus.consume(topic!, { group: group!, consumer: consumer!, maxInFlight: 5 }, async (entry) => {
  const { n } = entry.payload as { n: number };
  process.stdout.write(`${JSON.stringify({ consumer, n, redelivered: entry.redelivered })}\n`);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void bus.close().then(() => process.exit(0));
});
