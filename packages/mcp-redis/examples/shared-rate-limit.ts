// RedisRateLimitStore: three stores (as three processes would have) on one bucket of 5, 20
// takes at once: exactly 5 granted, against a real redis-server started for the example.
/* eslint-disable @nx/enforce-module-boundaries -- the example imports the package by its name,
   as users do, and starts a real redis-server through the workspace's test services */
import { startRedis } from '@tframex/test-services';
import { RedisRateLimitStore } from '@tframex/mcp-redis';

export async function main(): Promise<{ granted: number; refused: number }> {
  const redis = await startRedis();
  const stores = [1, 2, 3].map(() => new RedisRateLimitStore({ url: redis.url }));
  try {
    // 5 calls at once, then one a minute
    const bucket = { capacity: 5, refillPerMs: 1 / 60_000 };
    const grants = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 3]!.take('server:weather', bucket)),
    );
    const granted = grants.filter((grant) => grant.granted).length;
    const result = { granted, refused: grants.length - granted };
    console.log(result);
    return result;
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await redis.stop();
  }
}
