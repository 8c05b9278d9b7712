import { McpConfigError, McpConnectionError, McpSecurityError } from '@tframex/mcp-api';
import type { StoredTokens, TokenStore } from '@tframex/mcp-auth-api';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's test services (a private tool package) start a real redis-server
import { freePort, startRedis, type RunningService } from '@tframex/test-services';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../connection/redis-connection.js';
import { RedisTokenStore } from './redis-token-store.js';

let redis: RunningService;
let admin: RedisClient;
const stores: RedisTokenStore[] = [];
let keyCount = 0;
const freshKey = () => `oauth2|https://issuer.example|svc-${process.pid}-${keyCount++}`;
const reported: unknown[] = [];

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

function newStore(options: Partial<ConstructorParameters<typeof RedisTokenStore>[0]> = {}) {
  const store = new RedisTokenStore({
    url: redis.url,
    onError: (error) => reported.push(error),
    ...options,
  });
  stores.push(store);
  return store;
}

const tokens = (extra: Partial<StoredTokens> = {}): StoredTokens => ({
  accessToken: 'at-SECRET-access-token',
  tokenType: 'Bearer',
  expiresAt: Date.now() + 3_600_000,
  scope: 'mcp:basic',
  ...extra,
});

describe('RedisTokenStore', () => {
  it('keeps the TokenStore contract: get, set, delete by key, under the key prefix', async () => {
    const store: TokenStore = newStore({ keyPrefix: 'tok-test:' });
    const [a, b] = [freshKey(), freshKey()];
    expect(await store.get(a)).toBeUndefined();
    const stored = tokens({ refreshToken: 'rt-SECRET', client: { clientId: 'dyn', x: 1 } });
    await store.set(a, stored);
    await store.set(b, tokens({ accessToken: 'other' }));
    expect(await store.get(a)).toEqual(stored);
    expect((await store.get(b))?.accessToken).toBe('other');
    expect(await admin.exists(`tok-test:token:${a}`)).toBe(1);
    await store.delete(a);
    expect(await store.get(a)).toBeUndefined();
    expect((await store.get(b))?.accessToken).toBe('other');
  });

  it('puts a TTL on every entry: past the access token, or retained when it must outlive it', async () => {
    const now = 1_000_000;
    const store = newStore({ now: () => now, expiryGraceMs: 60_000, retainMs: 86_400_000 });
    const [accessOnly, withRefresh, noExpiry] = [freshKey(), freshKey(), freshKey()];
    await store.set(accessOnly, tokens({ expiresAt: now + 600_000 }));
    await store.set(withRefresh, tokens({ expiresAt: now + 600_000, refreshToken: 'rt' }));
    await store.set(noExpiry, { accessToken: 'a', tokenType: 'Bearer' });
    const ttl = (key: string) => admin.pTTL(store.keyOf(key));
    expect(await ttl(accessOnly)).toBeGreaterThan(600_000);
    expect(await ttl(accessOnly)).toBeLessThanOrEqual(660_000);
    expect(await ttl(withRefresh)).toBeGreaterThan(86_000_000);
    expect(await ttl(noExpiry)).toBeGreaterThan(86_000_000);
  });

  it('with an encryptionKey: no token text at rest, and only that key opens it', async () => {
    const encryptionKey = randomBytes(32);
    const store = newStore({ encryptionKey });
    const key = freshKey();
    const stored = tokens({ refreshToken: 'rt-SECRET-refresh' });
    await store.set(key, stored);
    const raw = (await admin.get(store.keyOf(key)))!;
    expect(raw).not.toContain('SECRET');
    expect(raw).not.toContain('mcp:basic');
    expect(await store.get(key)).toEqual(stored);
    expect(await newStore({ encryptionKey }).get(key)).toEqual(stored);

    const wrongKey = newStore({ encryptionKey: randomBytes(32) });
    const wrong = await wrongKey.get(key).catch((e: unknown) => e);
    expect(McpSecurityError.isInstance(wrong)).toBe(true);
    expect(String(wrong)).toContain('wrong encryptionKey');
    await expect(newStore().get(key)).rejects.toSatisfy(McpSecurityError.isInstance);

    // A sealed value moved under another key does not open (the key is authenticated data).
    const moved = freshKey();
    await admin.set(store.keyOf(moved), raw);
    await expect(store.get(moved)).rejects.toSatisfy(McpSecurityError.isInstance);
    // A planted plain value is refused by a store that requires encryption.
    const planted = freshKey();
    await admin.set(store.keyOf(planted), JSON.stringify(tokens()));
    await expect(store.get(planted)).rejects.toSatisfy(McpSecurityError.isInstance);
  });

  it('refuses a value that is not a token set', async () => {
    const store = newStore();
    const [notJson, wrongShape] = [freshKey(), freshKey()];
    await admin.set(store.keyOf(notJson), 'not json');
    await admin.set(store.keyOf(wrongShape), JSON.stringify({ accessToken: 1 }));
    await expect(store.get(notJson)).rejects.toSatisfy(McpSecurityError.isInstance);
    await expect(store.get(wrongShape)).rejects.toSatisfy(McpSecurityError.isInstance);
  });

  it('locks a key across connections; a waiter gets it on release; a late release frees nothing', async () => {
    const [one, two] = [newStore(), newStore()];
    const key = freshKey();
    const first = await one.lock(key, { ttlMs: 60_000 });
    expect(first).toBeDefined();
    expect(await two.lock(key, { ttlMs: 60_000 })).toBeUndefined();
    expect(await two.lock(freshKey(), { ttlMs: 60_000 })).toBeDefined();
    expect(await admin.pTTL(one.lockKeyOf(key))).toBeGreaterThan(0);
    const waiting = two.lock(key, { ttlMs: 60_000, waitMs: 60_000 });
    await first!.release();
    const second = await waiting;
    expect(second).toBeDefined();
    await first!.release(); // the old holder's token no longer matches
    expect(await one.lock(key, { ttlMs: 60_000 })).toBeUndefined();
    await second!.release();
    expect(await admin.exists(one.lockKeyOf(key))).toBe(0);
  });

  it('wakes a waiter when the holder releases (pub/sub), not at its next poll', async () => {
    const key = freshKey();
    const holder = newStore({ keyPrefix: 'wake-test:' });
    // A first poll 30-60 s away: only the announcement can hand the lock over within the test.
    const waiter = newStore({ keyPrefix: 'wake-test:', lockPollMs: 60_000 });
    const held = await holder.lock(key, { ttlMs: 60_000 });
    const waiting = waiter.lock(key, { ttlMs: 60_000, waitMs: 120_000 });
    await expect
      .poll(async () => (await admin.pubSubNumSub('wake-test:released'))['wake-test:released'], {
        timeout: 30_000,
      })
      .toBe(1);
    await held!.release();
    expect(await waiting).toBeDefined();
  }, 30_000);

  it('lets a lease lapse after its ttl (a holder that died), and gives one holder at a time', async () => {
    const key = freshKey();
    const holders = [newStore(), newStore(), newStore(), newStore()];
    await holders[0]!.lock(key, { ttlMs: 100 }); // never released
    let inside = 0;
    let most = 0;
    const acquired = await Promise.all(
      holders.map(async (store) => {
        const lock = await store.lock(key, { ttlMs: 60_000, waitMs: 60_000 });
        inside++;
        most = Math.max(most, inside);
        await store.get(key); // a round trip while holding it
        inside--;
        await lock!.release();
        return lock;
      }),
    );
    expect(acquired.every((lock) => lock !== undefined)).toBe(true);
    expect(most).toBe(1);
  });

  it('waits at most waitMs, and stops waiting when the signal aborts', async () => {
    const store = newStore();
    const key = freshKey();
    await store.lock(key, { ttlMs: 60_000 });
    expect(await store.lock(key, { ttlMs: 60_000, waitMs: 30 })).toBeUndefined();
    const controller = new AbortController();
    const waiting = store.lock(key, { ttlMs: 60_000, waitMs: 60_000, signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
  });

  it('fails at once with McpConnectionError, reported, when Redis is not there', async () => {
    const port = await freePort();
    const errors: unknown[] = [];
    const store = newStore({
      url: `redis://:pw-SECRET@127.0.0.1:${port}`,
      onError: (e) => errors.push(e),
    });
    for (const call of [
      () => store.get('k'),
      () => store.set('k', tokens()),
      () => store.lock('k', { ttlMs: 1000, waitMs: 60_000 }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(McpConnectionError.isInstance(error)).toBe(true);
      expect(String(error)).not.toContain('pw-SECRET');
    }
    expect(errors.some((e) => McpConnectionError.isInstance(e))).toBe(true);
  });

  it('fails with McpConnectionError when Redis goes away, and works again when it is back', async () => {
    const own = await startRedis();
    try {
      const store = newStore({ url: own.url });
      const key = freshKey();
      await store.set(key, tokens());
      await own.kill();
      await expect(store.get(key)).rejects.toSatisfy(McpConnectionError.isInstance);
      await own.restart();
      await expect
        .poll(
          () =>
            store.get(key).then(
              () => 'up',
              () => 'down',
            ),
          { timeout: 30_000 },
        )
        .toBe('up');
      await store.set(key, tokens({ accessToken: 'after' }));
      expect((await store.get(key))?.accessToken).toBe('after');
    } finally {
      await own.stop();
    }
  });

  it('never shows the encryption key; bad options are McpConfigError naming the field', () => {
    const encryptionKey = randomBytes(32);
    const store = newStore({ encryptionKey });
    for (const shown of [JSON.stringify(store), inspect(store), String(store)]) {
      expect(shown).not.toContain(encryptionKey.toString('hex'));
      expect(shown).not.toContain(encryptionKey.toString('base64'));
    }
    expect(JSON.stringify(store)).toContain('[redacted]');
    let short: unknown;
    try {
      newStore({ encryptionKey: randomBytes(16) });
    } catch (error) {
      short = error;
    }
    expect(McpConfigError.isInstance(short)).toBe(true);
    expect(short).toMatchObject({ field: 'encryptionKey' });
    expect(() => newStore({ retainMs: -1 })).toThrow(McpConfigError);
  });
});
