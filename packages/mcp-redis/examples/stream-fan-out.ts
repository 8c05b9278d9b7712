// RedisStreamBus: publish to a topic, read it in two consumer groups (each entry once per
// group), against a real redis-server started for the example.
/* eslint-disable @nx/enforce-module-boundaries -- the example imports the package by its name,
   as users do, and starts a real redis-server through the workspace's test services */
import { startRedis } from '@tframex/test-services';
import { RedisStreamBus } from '@tframex/mcp-redis';

export async function main(): Promise<Record<string, number[]>> {
  const redis = await startRedis();
  const bus = new RedisStreamBus({ url: redis.url, maxLen: 100_000, blockMs: 200 });
  const seen: Record<string, number[]> = { 'billing-1': [], 'billing-2': [], 'audit-1': [] };
  try {
    const members = [
      ['billing', 'billing-1'],
      ['billing', 'billing-2'],
      ['audit', 'audit-1'],
    ] as const;
    for (const [group, consumer] of members) {
      await bus.consume('orders', { group, consumer }, async (entry) => {
        seen[consumer]!.push((entry.payload as { id: number }).id);
      });
    }
    for (let id = 1; id <= 10; id++) await bus.publish('orders', { type: 'order_placed', id });
    const billed = () => seen['billing-1']!.length + seen['billing-2']!.length;
    while (billed() < 10 || seen['audit-1']!.length < 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(seen);
    return seen;
  } finally {
    await bus.close();
    await redis.stop();
  }
}
