// RedisCacheStore: two stores (as two processes would have) share one cache on a real
// redis-server: what one stored the other reads, and a group one drops is gone for both.
/* eslint-disable @nx/enforce-module-boundaries -- the example imports the package by its name,
   as users do, and starts a real redis-server through the workspace's test services */
import { startRedis } from '@tframex/test-services';
import { RedisCacheStore } from '@tframex/mcp-redis';

export async function main(): Promise<{ readByOther: string | undefined; afterDrop: unknown }> {
  const redis = await startRedis();
  const [first, second] = [1, 2].map(() => new RedisCacheStore({ url: redis.url }));
  try {
    // what cachingMiddleware of @tframex/mcp-core writes after a tools/list to "weather"
    const group = 'weather\u0000tools/list';
    await first!.set(
      `${group}\u0000{}`,
      { value: '{"tools":[{"name":"forecast"}]}', expiresAt: Date.now() + 60_000 },
      { group },
    );
    const readByOther = (await second!.get(`${group}\u0000{}`))?.value;
    // the server said its tool list changed: one process drops the group, for everyone
    await second!.deleteGroup(group);
    const afterDrop = await first!.get(`${group}\u0000{}`);
    const result = { readByOther, afterDrop };
    console.log(result);
    return result;
  } finally {
    await Promise.all([first!.close(), second!.close()]);
    await redis.stop();
  }
}
