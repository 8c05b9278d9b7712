import { McpConfigError, McpConnectionError, type McpRateLimitStore } from '@tframex/mcp-api';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's test services (a private tool package) start a real redis-server
import { freePort, startRedis, type RunningService } from '@tframex/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';
import { withAdmin } from '../test-support/with-admin.js';

let redis: RunningService;
const stores: RedisRateLimitStore[] = [];
let keyCount = 0;
const freshKey = () => `test-${process.pid}-${keyCount++}`;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await redis?.stop();
});

const reported: unknown[] = [];

function newStore(options: Partial<ConstructorParameters<typeof RedisRateLimitStore>[0]> = {}) {
  const store = new RedisRateLimitStore({
    url: redis.url,
    onError: (error) => reported.push(error),
    ...options,
  });
  stores.push(store);
  return store;
}

describe('RedisRateLimitStore', () => {
  it('keeps the McpRateLimitStore contract: burst, wait, refill, pause, keys apart', async () => {
    let nowMs = 1_000_000;
    const store: McpRateLimitStore = newStore({ now: () => nowMs });
    const [a, b] = [freshKey(), freshKey()];
    const take = { capacity: 2, refillPerMs: 2 / 60_000 };
    expect((await store.take(a, take)).granted).toBe(true);
    expect(await store.take(a, take)).toEqual({ granted: true, remaining: 0, retryAfterMs: 0 });
    const refused = await store.take(a, take);
    expect(refused.granted).toBe(false);
    expect(refused.retryAfterMs).toBe(30_000);
    expect((await store.take(b, take)).granted).toBe(true);
    nowMs += 60_000;
    expect((await store.take(a, take)).granted).toBe(true);
    await store.pause(b, 5_000);
    const paused = await store.take(b, take);
    expect(paused).toEqual({ granted: false, remaining: 0, retryAfterMs: 5_000 });
    nowMs += 5_000 + 30_000; // the pause is over; half a minute refills one token
    expect(await store.take(b, take)).toEqual({ granted: true, remaining: 0, retryAfterMs: 0 });
    expect((await store.take(b, take)).granted).toBe(false);
  });

  it('takes several tokens at once and refuses more than there are', async () => {
    const store = newStore({ now: () => 0 });
    const key = freshKey();
    const take = { capacity: 10, refillPerMs: 1 / 1000 };
    expect(await store.take(key, { ...take, tokens: 7 })).toMatchObject({ remaining: 3 });
    expect(await store.take(key, { ...take, tokens: 4 })).toEqual({
      granted: false,
      remaining: 3,
      retryAfterMs: 1000,
    });
  });

  it('never over-grants: many concurrent takes from several connections share one bucket', async () => {
    const key = freshKey();
    const many = [newStore(), newStore(), newStore(), newStore()];
    // The Redis server's clock; a refill of one token an hour adds nothing during the test.
    const take = { capacity: 50, refillPerMs: 1 / 3_600_000 };
    const grants = await Promise.all(
      Array.from({ length: 400 }, (_, i) => many[i % many.length]!.take(key, take)),
    );
    expect(grants.filter((grant) => grant.granted)).toHaveLength(50);
    const refused = grants.filter((grant) => !grant.granted);
    expect(refused).toHaveLength(350);
    for (const grant of refused) expect(grant.retryAfterMs).toBeGreaterThan(0);
    await many[0]!.pause(key, 1000);
    expect((await many[1]!.take(key, { capacity: 50, refillPerMs: 1 })).granted).toBe(false);
  });

  it('writes one hash per bucket under the key prefix, with a TTL on it', async () => {
    const store = newStore({ keyPrefix: 'rl-test:' });
    const [taken, paused] = [freshKey(), freshKey()];
    await store.take(taken, { capacity: 5, refillPerMs: 5 / 10_000 });
    await store.pause(paused, 20_000);
    await withAdmin(redis.url, async (admin) => {
      expect(await admin.keys(`rl-test:${taken}`)).toEqual([`rl-test:${taken}`]);
      const takenTtl = await admin.pTTL(`rl-test:${taken}`);
      expect(takenTtl).toBeGreaterThan(0);
      expect(takenTtl).toBeLessThanOrEqual(11_000); // a full refill, and a second
      const pausedTtl = await admin.pTTL(`rl-test:${paused}`);
      expect(pausedTtl).toBeGreaterThan(20_000);
    });
  });

  it('loads the script again after Redis lost it (SCRIPT FLUSH)', async () => {
    const store = newStore({ now: () => 0 });
    const key = freshKey();
    const take = { capacity: 2, refillPerMs: 1 / 1000 };
    await store.take(key, take);
    await withAdmin(redis.url, (admin) => admin.scriptFlush());
    expect(await store.take(key, take)).toMatchObject({ granted: true, remaining: 0 });
  });

  it('rejects bad takes with McpConfigError naming the field', async () => {
    const store = newStore();
    await expect(store.take('k', { capacity: 0, refillPerMs: 1 })).rejects.toMatchObject({
      name: 'McpConfigError',
      field: 'capacity',
    });
    await expect(store.take('k', { capacity: 1, refillPerMs: -1 })).rejects.toBeInstanceOf(
      McpConfigError,
    );
    await expect(store.pause('k', Number.NaN)).rejects.toBeInstanceOf(McpConfigError);
    expect(() => new RedisRateLimitStore({ url: 'http://x' })).toThrow(McpConfigError);
    expect(
      () => new RedisRateLimitStore({ url: redis.url, fallback: {} as McpRateLimitStore }),
    ).toThrow(McpConfigError);
  });

  it('never prints the password of its URL', () => {
    const store = new RedisRateLimitStore({ url: 'redis://user:s3cret@127.0.0.1:1' });
    expect(JSON.stringify(store)).not.toContain('s3cret');
  });
});

describe('RedisRateLimitStore when Redis cannot be reached', () => {
  it('rejects a take at once with McpConnectionError (nothing waits, nothing is granted)', async () => {
    const store = new RedisRateLimitStore({
      url: `redis://user:s3cret@127.0.0.1:${await freePort()}`,
      onError: (error) => reported.push(error),
    });
    const error = await store.take('k', { capacity: 5, refillPerMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpConnectionError);
    expect(String((error as Error).message)).not.toContain('s3cret');
    await expect(store.pause('k', 10)).rejects.toBeInstanceOf(McpConnectionError);
    await store.close();
  });

  it('goes to the fallback store and says so; shared again once Redis is back', async () => {
    const local = new Map<string, number>();
    const fallback: McpRateLimitStore = {
      // a second store, as a plain object: counts takes, grants up to capacity
      async take(key, request) {
        const used = (local.get(key) ?? 0) + 1;
        local.set(key, used);
        const granted = used <= request.capacity;
        return { granted, remaining: Math.max(request.capacity - used, 0), retryAfterMs: 0 };
      },
      async pause(key) {
        local.set(key, Infinity);
      },
    };
    const notices: unknown[] = [];
    const own = await startRedis();
    const store = new RedisRateLimitStore({
      url: own.url,
      fallback,
      onError: (error) => notices.push(error),
      now: () => 0,
    });
    try {
      const take = { capacity: 3, refillPerMs: 1 / 1000 };
      expect(await store.take('k', take)).toMatchObject({ granted: true, remaining: 2 });
      await own.kill();
      const during = await Promise.all([1, 2, 3, 4].map(() => store.take('k', take)));
      expect(during.map((grant) => grant.granted)).toEqual([true, true, true, false]);
      expect(local.get('k')).toBe(4);
      expect(notices.some((n) => /local fallback/.test(String(n)))).toBe(true);
      await own.restart();
      // back on Redis (a fresh server: a full bucket), the fallback no longer counts
      await expect
        .poll(() => store.take('k', take).then((grant) => grant.remaining), { timeout: 15_000 })
        .toBe(2);
      expect(local.get('k')).toBeGreaterThanOrEqual(4);
      const before = local.get('k');
      await store.take('k', take);
      expect(local.get('k')).toBe(before);
    } finally {
      await store.close();
      await own.stop();
    }
  });
});
