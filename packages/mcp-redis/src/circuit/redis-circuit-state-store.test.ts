import { McpConfigError, McpConnectionError, type McpCircuitStateStore } from '@tframex/mcp-api';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's test services (a private tool package) start a real redis-server
import { freePort, startRedis, type RunningService } from '@tframex/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circuitStoreContract } from '../test-support/circuit-store-contract.js';
import { RedisCircuitStateStore } from './redis-circuit-state-store.js';
import { withAdmin } from '../test-support/with-admin.js';

let redis: RunningService;
const stores: RedisCircuitStateStore[] = [];
let keyCount = 0;
const freshKey = () => `test-${process.pid}-${keyCount++}`;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await redis?.stop();
});

function newStore(options: Partial<ConstructorParameters<typeof RedisCircuitStateStore>[0]> = {}) {
  const store = new RedisCircuitStateStore({
    url: redis.url,
    onError: () => undefined,
    ...options,
  });
  stores.push(store);
  return store;
}

/** A second McpCircuitStateStore, as a plain object over a Map, for the contract. */
function plainStore(now: () => number): McpCircuitStateStore {
  const entries = new Map<
    string,
    {
      state: 'closed' | 'open' | 'half-open';
      failures: number;
      openedAtMs?: number;
      probe?: [string, number];
    }
  >();
  const entry = (key: string) => entries.get(key) ?? { state: 'closed' as const, failures: 0 };
  const record = ({ state, failures, openedAtMs }: ReturnType<typeof entry>) =>
    openedAtMs === undefined ? { state, failures } : { state, failures, openedAtMs };
  return {
    async read(key) {
      return record(entry(key));
    },
    async recordFailure(key, { threshold }) {
      const e = entry(key);
      e.failures += 1;
      if (e.state === 'half-open' || (e.state === 'closed' && e.failures >= threshold)) {
        Object.assign(e, { state: 'open', openedAtMs: now(), probe: undefined });
      }
      entries.set(key, e);
      return record(e);
    },
    async recordSuccess(key) {
      entries.delete(key);
      return { state: 'closed', failures: 0 };
    },
    async acquireProbe(key, { holder, recoveryMs, leaseMs }) {
      const e = entry(key);
      if (e.state === 'closed') return false;
      if (e.state === 'open' && now() - e.openedAtMs! < recoveryMs) return false;
      if (e.probe && e.probe[1] > now() && e.probe[0] !== holder) return false;
      Object.assign(e, { state: 'half-open', probe: [holder, now() + leaseMs] });
      entries.set(key, e);
      return true;
    },
    async releaseProbe(key, holder) {
      const e = entries.get(key);
      if (e?.probe?.[0] === holder) e.probe = undefined;
    },
  };
}

describe('McpCircuitStateStore contract: RedisCircuitStateStore (own clock)', () => {
  circuitStoreContract((now) => newStore({ now }), freshKey);
});

describe('McpCircuitStateStore contract: a plain object', () => {
  circuitStoreContract(plainStore, freshKey);
});

describe('RedisCircuitStateStore', () => {
  it('shares one circuit between stores, on the Redis server clock', async () => {
    const [a, b] = [newStore(), newStore()];
    const key = freshKey();
    await a.recordFailure(key, { threshold: 2 });
    const opened = await b.recordFailure(key, { threshold: 2 });
    expect(opened.state).toBe('open');
    expect(Math.abs(opened.openedAtMs! - Date.now())).toBeLessThan(60_000);
    expect(await a.read(key)).toEqual(opened);
    // recovery 0: a probe may go at once, to exactly one of the two
    const probe = { recoveryMs: 0, leaseMs: 60_000 };
    const taken = await Promise.all([
      a.acquireProbe(key, { holder: 'a', ...probe }),
      b.acquireProbe(key, { holder: 'b', ...probe }),
    ]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect((await b.recordSuccess(key)).state).toBe('closed');
    expect((await a.read(key)).state).toBe('closed');
  });

  it('writes one hash per circuit under the key prefix, with a TTL; a closed circuit is no key', async () => {
    const store = newStore({ keyPrefix: 'cb-test:', ttlMs: 20_000 });
    const key = freshKey();
    await store.recordFailure(key, { threshold: 1 });
    await withAdmin(redis.url, async (admin) => {
      expect(await admin.keys(`cb-test:${key}`)).toEqual([`cb-test:${key}`]);
      const ttl = await admin.pTTL(`cb-test:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(20_000);
    });
    await store.acquireProbe(key, { holder: 'x', recoveryMs: 0, leaseMs: 30_000 });
    await withAdmin(redis.url, async (admin) => {
      expect(await admin.pTTL(`cb-test:${key}`)).toBeGreaterThan(20_000); // covers the lease
    });
    await store.recordSuccess(key);
    await withAdmin(redis.url, async (admin) =>
      expect(await admin.exists(`cb-test:${key}`)).toBe(0),
    );
  });

  it('loads the script again after Redis lost it (SCRIPT FLUSH)', async () => {
    const store = newStore();
    const key = freshKey();
    await store.recordFailure(key, { threshold: 3 });
    await withAdmin(redis.url, (admin) => admin.scriptFlush());
    expect(await store.recordFailure(key, { threshold: 3 })).toMatchObject({ failures: 2 });
  });

  it('rejects bad input with McpConfigError naming the field', async () => {
    const store = newStore();
    await expect(store.recordFailure('k', { threshold: 0 })).rejects.toMatchObject({
      name: 'McpConfigError',
      field: 'threshold',
    });
    await expect(
      store.acquireProbe('k', { holder: '', recoveryMs: 1, leaseMs: 1 }),
    ).rejects.toMatchObject({ field: 'holder' });
    await expect(
      store.acquireProbe('k', { holder: 'h', recoveryMs: 1, leaseMs: 0 }),
    ).rejects.toMatchObject({ field: 'leaseMs' });
    await expect(store.read('')).rejects.toBeInstanceOf(McpConfigError);
    expect(() => new RedisCircuitStateStore({ url: 'http://x' })).toThrow(McpConfigError);
    expect(
      () => new RedisCircuitStateStore({ url: redis.url, fallback: {} as McpCircuitStateStore }),
    ).toThrow(McpConfigError);
    expect(() => new RedisCircuitStateStore({ url: redis.url, ttlMs: -1 })).toThrow(McpConfigError);
  });

  it('never prints the password of its URL', () => {
    const store = new RedisCircuitStateStore({ url: 'redis://user:s3cret@127.0.0.1:1' });
    expect(JSON.stringify(store)).not.toContain('s3cret');
  });
});

describe('RedisCircuitStateStore when Redis cannot be reached', () => {
  it('rejects at once with McpConnectionError (nothing waits)', async () => {
    const store = new RedisCircuitStateStore({
      url: `redis://user:s3cret@127.0.0.1:${await freePort()}`,
      onError: () => undefined,
    });
    const error = await store.read('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpConnectionError);
    expect(String((error as Error).message)).not.toContain('s3cret');
    await expect(store.recordFailure('k', { threshold: 1 })).rejects.toBeInstanceOf(
      McpConnectionError,
    );
    await expect(
      store.acquireProbe('k', { holder: 'h', recoveryMs: 0, leaseMs: 1 }),
    ).rejects.toBeInstanceOf(McpConnectionError);
    await store.close();
  });

  it('goes to the fallback store and says so; shared again once Redis is back', async () => {
    const fallback = plainStore(Date.now);
    const notices: unknown[] = [];
    const own = await startRedis();
    const store = new RedisCircuitStateStore({
      url: own.url,
      fallback,
      onError: (error) => notices.push(error),
    });
    try {
      expect(await store.recordFailure('k', { threshold: 5 })).toMatchObject({ failures: 1 });
      await own.kill();
      // the fallback counts on its own: a first failure there
      expect(await store.recordFailure('k', { threshold: 5 })).toMatchObject({ failures: 1 });
      expect(await fallback.read('k')).toMatchObject({ failures: 1 });
      expect(notices.some((n) => /local fallback/.test(String(n)))).toBe(true);
      await own.restart();
      // back on Redis (a fresh server: no record, where the fallback has one failure)
      await expect.poll(() => store.read('k').then((r) => r.failures), { timeout: 15_000 }).toBe(0);
      const before = await fallback.read('k');
      await store.recordFailure('k', { threshold: 5 });
      expect(await fallback.read('k')).toEqual(before);
    } finally {
      await store.close();
      await own.stop();
    }
  });
});
