import {
  McpConfigError,
  McpConnectionError,
  McpSecurityError,
  type McpCacheStore,
} from '@tframex/mcp-api';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's test services (a private tool package) start a real redis-server
import { freePort, startRedis, type RunningService } from '@tframex/test-services';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../connection/redis-connection.js';
import { RedisCacheStore, type RedisCacheStoreOptions } from './redis-cache-store.js';

let redis: RunningService;
let admin: RedisClient;
const stores: RedisCacheStore[] = [];
let prefixCount = 0;
const freshPrefix = () => `cache-test-${process.pid}-${prefixCount++}:`;
const inAMinute = () => Date.now() + 60_000;

beforeAll(async () => {
  redis = await startRedis();
  admin = createClient({ url: redis.url }) as RedisClient;
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await admin?.close();
  await redis?.stop();
});

function newStore(options: Partial<RedisCacheStoreOptions> = {}) {
  const reported: unknown[] = [];
  const store = new RedisCacheStore({
    url: redis.url,
    keyPrefix: freshPrefix(),
    onError: (error) => reported.push(error),
    ...options,
  });
  stores.push(store);
  return { store, reported };
}

const keysUnder = async (prefix: string) => (await admin.keys(`${prefix}*`)).sort();

describe('RedisCacheStore', () => {
  it('keeps the McpCacheStore contract: values as given, expiry kept, delete, miss', async () => {
    const { store, reported } = newStore();
    const cache: McpCacheStore = store;
    const expiresAt = inAMinute();
    await cache.set('a', { value: '{"tools":[]}', expiresAt });
    await cache.set('b', { value: 'ciphertext \u00e9\u0000', expiresAt });
    expect(await cache.get('a')).toEqual({ value: '{"tools":[]}', expiresAt });
    expect(await cache.get('b')).toEqual({ value: 'ciphertext \u00e9\u0000', expiresAt });
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('never')).toBeUndefined();
    await cache.set('stale', { value: 'x', expiresAt: Date.now() - 1 });
    expect(await cache.get('stale')).toBeUndefined();
    expect(reported).toEqual([]);
  });

  it('writes hashed keys under its prefix, each with a TTL: entries at their expiry, groups at their last', async () => {
    const prefix = freshPrefix();
    const { store } = newStore({ keyPrefix: prefix });
    const soon = Date.now() + 20_000;
    const later = Date.now() + 40_000;
    await store.set('shop\u0000resources/read\u0000{"uri":"secret://x"}', {
      value: 'v1',
      expiresAt: soon,
    });
    await store.set('k2', { value: 'v2', expiresAt: later }, { group: 'shop tools/list' });
    await store.set('k3', { value: 'v3', expiresAt: soon }, { group: 'shop tools/list' });
    const keys = await keysUnder(prefix);
    expect(keys).toHaveLength(4);
    expect(keys.join()).not.toContain('secret');
    for (const key of keys) expect(key).toMatch(/:(entry|group):[0-9a-f]{64}$/);
    for (const key of keys) expect(await admin.pTTL(key)).toBeGreaterThan(0);
    const group = store.groupKeyOf('shop tools/list');
    expect(await admin.pExpireTime(group)).toBe(later);
    expect(await admin.pExpireTime(store.entryKeyOf('k3'))).toBe(soon);
    expect(await admin.zRange(group, 0, -1)).toEqual([
      store.entryKeyOf('k3'),
      store.entryKeyOf('k2'),
    ]);
  });

  it('prunes group members Redis has expired, so a group holds only live entries', async () => {
    const { store } = newStore();
    const group = store.groupKeyOf('g');
    await store.set('short', { value: 'x', expiresAt: Date.now() + 30 }, { group: 'g' });
    await expect.poll(() => admin.exists(store.entryKeyOf('short'))).toBe(0);
    await store.set('long', { value: 'y', expiresAt: inAMinute() }, { group: 'g' });
    expect(await admin.zRange(group, 0, -1)).toEqual([store.entryKeyOf('long')]);
  });

  it('drops a group for every store sharing Redis, and nothing else', async () => {
    const prefix = freshPrefix();
    const { store: first } = newStore({ keyPrefix: prefix });
    const { store: second } = newStore({ keyPrefix: prefix });
    const expiresAt = inAMinute();
    await first.set('a/tools', { value: '1', expiresAt }, { group: 'a tools/list' });
    await second.set('a/tools?page=2', { value: '2', expiresAt }, { group: 'a tools/list' });
    await first.set('b/tools', { value: '3', expiresAt }, { group: 'b tools/list' });
    await first.set('loose', { value: '4', expiresAt });
    await second.deleteGroup('a tools/list');
    expect(await first.get('a/tools')).toBeUndefined();
    expect(await first.get('a/tools?page=2')).toBeUndefined();
    expect(await first.get('b/tools')).toMatchObject({ value: '3' });
    expect(await second.get('loose')).toMatchObject({ value: '4' });
    expect(await admin.exists(first.groupKeyOf('a tools/list'))).toBe(0);
    await second.deleteGroup('never filled');
  });

  it('refuses writes to a group just dropped for groupDropGuardMs (an answer from before the change)', async () => {
    const prefix = freshPrefix();
    const { store: guarded } = newStore({ keyPrefix: prefix, groupDropGuardMs: 60_000 });
    const expiresAt = inAMinute();
    await guarded.set('old list', { value: 'v1', expiresAt }, { group: 'g' });
    await guarded.deleteGroup('g');
    // the answer fetched before the change arrives after the drop: not written
    await guarded.set('old list', { value: 'v1', expiresAt }, { group: 'g' });
    expect(await guarded.get('old list')).toBeUndefined();
    await guarded.set('other', { value: 'v2', expiresAt }, { group: 'h' });
    await guarded.set('loose', { value: 'v3', expiresAt });
    expect(await guarded.get('other')).toMatchObject({ value: 'v2' });
    expect(await guarded.get('loose')).toMatchObject({ value: 'v3' });
    const [guardKey] = await admin.keys(`${prefix}dropped:*`);
    expect(await admin.pTTL(guardKey!)).toBeGreaterThan(0);
    expect(await admin.pTTL(guardKey!)).toBeLessThanOrEqual(60_000);

    // a short guard lapses; no guard at all writes at once
    const { store: brief } = newStore({ groupDropGuardMs: 50 });
    await brief.deleteGroup('g');
    await expect
      .poll(async () => {
        await brief.set('k', { value: 'new', expiresAt }, { group: 'g' });
        return (await brief.get('k'))?.value;
      })
      .toBe('new');
    const { store: unguarded } = newStore({ groupDropGuardMs: 0 });
    await unguarded.deleteGroup('g');
    await unguarded.set('k', { value: 'new', expiresAt }, { group: 'g' });
    expect(await unguarded.get('k')).toMatchObject({ value: 'new' });
  });

  it('clears only its own prefix (glob characters in it are literal), past many SCAN batches', async () => {
    const prefix = `cache-test-${process.pid}-[x]*?:`;
    const { store } = newStore({ keyPrefix: prefix });
    const { store: neighbour } = newStore({ keyPrefix: `cache-test-${process.pid}-x-:` });
    const expiresAt = inAMinute();
    await Promise.all(
      Array.from({ length: 1200 }, (_, i) =>
        store.set(`k${i}`, { value: String(i), expiresAt }, { group: `g${i % 7}` }),
      ),
    );
    await neighbour.set('kept', { value: 'mine', expiresAt });
    await admin.set('unrelated', 'stays');
    expect((await keysUnder(prefix.replace(/[[\]*?]/g, '\\$&'))).length).toBe(1207);
    await store.clear();
    expect(await admin.keys(`${prefix.replace(/[[\]*?]/g, '\\$&')}*`)).toEqual([]);
    expect(await neighbour.get('kept')).toMatchObject({ value: 'mine' });
    expect(await admin.get('unrelated')).toBe('stays');
  });

  it('skips a value over maxValueBytes and says so with an McpSecurityError', async () => {
    const { store, reported } = newStore({ maxValueBytes: 10 });
    await store.set('big', { value: '\u00e9'.repeat(6), expiresAt: inAMinute() }); // 12 bytes
    await store.set('fits', { value: '1234567890', expiresAt: inAMinute() });
    expect(await store.get('big')).toBeUndefined();
    expect(await store.get('fits')).toMatchObject({ value: '1234567890' });
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(McpSecurityError);
    expect(reported[0]).toMatchObject({ rule: 'response-size' });
  });

  it('loads its scripts again after Redis lost them (SCRIPT FLUSH)', async () => {
    const { store, reported } = newStore();
    await store.set('a', { value: '1', expiresAt: inAMinute() }, { group: 'g' });
    await admin.scriptFlush();
    await store.set('b', { value: '2', expiresAt: inAMinute() }, { group: 'g' });
    await admin.scriptFlush();
    await store.deleteGroup('g');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeUndefined();
    expect(reported).toEqual([]);
  });

  it('works on a client the application made, and leaves it open when closed', async () => {
    const own = createClient({ url: redis.url }) as RedisClient;
    await own.connect();
    try {
      const store = new RedisCacheStore({ client: own, keyPrefix: freshPrefix() });
      await store.set('k', { value: 'v', expiresAt: inAMinute() }, { group: 'g' });
      expect(await store.get('k')).toMatchObject({ value: 'v' });
      await store.close();
      expect(own.isOpen).toBe(true);
      expect(await own.ping()).toBe('PONG');
    } finally {
      await own.close();
    }
  });

  it('once closed, misses and drops quietly, and opens no connection', async () => {
    const { store, reported } = newStore();
    await store.set('k', { value: 'v', expiresAt: inAMinute() });
    const clients = async () => (await admin.clientList()).length;
    const before = await clients();
    await store.close();
    await expect.poll(clients).toBe(before - 1);
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', { value: 'w', expiresAt: inAMinute() });
    await store.deleteGroup('g');
    expect(await clients()).toBe(before - 1);
    expect(reported).toEqual([]);
  });

  it('rejects bad options with McpConfigError naming the field, and never prints its password', () => {
    expect(() => new RedisCacheStore({ url: 'http://x' })).toThrow(McpConfigError);
    expect(() => new RedisCacheStore({})).toThrow(McpConfigError);
    expect(() => new RedisCacheStore({ url: redis.url, maxValueBytes: 0 })).toThrow(
      expect.objectContaining({ field: 'maxValueBytes' }),
    );
    const store = new RedisCacheStore({ url: 'redis://user:s3cret@127.0.0.1:1' });
    expect(JSON.stringify(store)).not.toContain('s3cret');
  });
});

describe('RedisCacheStore when Redis cannot be reached', () => {
  it('misses, drops writes and reports each, never throws, never shows the password', async () => {
    const reported: unknown[] = [];
    const store = new RedisCacheStore({
      url: `redis://user:s3cret@127.0.0.1:${await freePort()}`,
      recheckAfterMs: 0,
      onError: (error) => reported.push(error),
    });
    try {
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', { value: 'v', expiresAt: inAMinute() }, { group: 'g' });
      await store.delete('k');
      await store.deleteGroup('g');
      await store.clear();
      const messages = reported.map((error) => (error as Error).message);
      expect(messages.map((message) => message.split(' ').slice(0, 4).join(' '))).toEqual([
        'RedisCacheStore: get was a',
        'RedisCacheStore: set was dropped;',
        'RedisCacheStore: delete was dropped;',
        'RedisCacheStore: deleteGroup was dropped',
        'RedisCacheStore: clear was dropped;',
      ]);
      for (const error of reported) expect(error).toBeInstanceOf(McpConnectionError);
      expect(messages.join()).not.toContain('s3cret');
    } finally {
      await store.close();
    }
  });

  it('treats Redis as away for recheckAfterMs: one report, then quiet misses', async () => {
    const reported: unknown[] = [];
    const store = new RedisCacheStore({
      url: `redis://127.0.0.1:${await freePort()}`,
      recheckAfterMs: 60_000,
      onError: (error) => reported.push(error),
    });
    try {
      for (let i = 0; i < 5; i++) expect(await store.get('k')).toBeUndefined();
      await store.set('k', { value: 'v', expiresAt: inAMinute() });
      expect(reported).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('killed mid-run: misses meanwhile, shared again once Redis is back', async () => {
    const own = await startRedis();
    const reported: unknown[] = [];
    const store = new RedisCacheStore({
      url: own.url,
      recheckAfterMs: 50,
      onError: (error) => reported.push(error),
    });
    try {
      await store.set('k', { value: 'before', expiresAt: inAMinute() });
      expect(await store.get('k')).toMatchObject({ value: 'before' });
      await own.kill();
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', { value: 'during', expiresAt: inAMinute() });
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every((error) => McpConnectionError.isInstance(error))).toBe(true);
      await own.restart();
      // a fresh server (no persistence): written again once the client has reconnected
      await expect
        .poll(
          async () => {
            await store.set('k', { value: 'after', expiresAt: inAMinute() });
            return (await store.get('k'))?.value;
          },
          { timeout: 15_000 },
        )
        .toBe('after');
    } finally {
      await store.close();
      await own.stop();
    }
  });
});
