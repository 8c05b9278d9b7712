// RedisCircuitStateStore: three stores (as three processes would have) on one circuit. One
// records the failures that open it, another sees it open; after recovery all three ask for
// the half-open probe at once and exactly one gets it; its success closes the circuit for all.
/* eslint-disable @nx/enforce-module-boundaries -- the example imports the package by its name,
   as users do, and starts a real redis-server through the workspace's test services */
import { startRedis } from '@tframex/test-services';
import { RedisCircuitStateStore } from '@tframex/mcp-redis';

export async function main(): Promise<{ seenByOthers: string; probes: number; after: string }> {
  const redis = await startRedis();
  const stores = [1, 2, 3].map(() => new RedisCircuitStateStore({ url: redis.url }));
  const [a, b, c] = stores as [
    RedisCircuitStateStore,
    RedisCircuitStateStore,
    RedisCircuitStateStore,
  ];
  try {
    for (let i = 0; i < 3; i++) await a.recordFailure('server:weather', { threshold: 3 });
    const seenByOthers = (await b.read('server:weather')).state; // open
    // recoveryMs 0: the probe may go at once (a breaker passes its recoveryTimeoutMs)
    const taken = await Promise.all(
      stores.map((store, i) =>
        store.acquireProbe('server:weather', { holder: `p${i}`, recoveryMs: 0, leaseMs: 30_000 }),
      ),
    );
    const prober = stores[taken.indexOf(true)]!;
    await prober.recordSuccess('server:weather'); // the probe's call succeeded
    const result = {
      seenByOthers,
      probes: taken.filter(Boolean).length,
      after: (await c.read('server:weather')).state,
    };
    console.log(result);
    return result;
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await redis.stop();
  }
}
