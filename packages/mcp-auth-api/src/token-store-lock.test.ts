import { describe, expect, it } from 'vitest';
import { InMemoryTokenStore, type TokenStore } from './index.js';

describe('InMemoryTokenStore lock', () => {
  it('gives a key to one holder at a time; a waiter gets it when the holder releases', async () => {
    const store: TokenStore = new InMemoryTokenStore();
    const first = await store.lock!('k', { ttlMs: 60_000 });
    expect(first).toBeDefined();
    expect(await store.lock!('k', { ttlMs: 60_000 })).toBeUndefined();
    expect(await store.lock!('other', { ttlMs: 60_000 })).toBeDefined();
    const order: string[] = [];
    const waiter = store.lock!('k', { ttlMs: 60_000, waitMs: 60_000 }).then((lock) => {
      order.push('acquired');
      return lock;
    });
    order.push('releasing');
    await first!.release();
    const second = await waiter;
    expect(second).toBeDefined();
    expect(order).toEqual(['releasing', 'acquired']);
    // A late release of an old lease does not free the new holder's.
    await first!.release();
    expect(await store.lock!('k', { ttlMs: 60_000 })).toBeUndefined();
    await second!.release();
  });

  it('ends a lease that is never released after its ttl (a holder that died)', async () => {
    const store = new InMemoryTokenStore();
    await store.lock('k', { ttlMs: 50 });
    const next = await store.lock('k', { ttlMs: 60_000, waitMs: 60_000 });
    expect(next).toBeDefined();
  });

  it('waits at most waitMs, and stops waiting when the signal aborts', async () => {
    const store = new InMemoryTokenStore();
    await store.lock('k', { ttlMs: 60_000 });
    expect(await store.lock('k', { ttlMs: 60_000, waitMs: 20 })).toBeUndefined();
    const controller = new AbortController();
    const waiting = store.lock('k', { ttlMs: 60_000, waitMs: 60_000, signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    await expect(
      store.lock('k', { ttlMs: 1, signal: AbortSignal.abort(new Error('already')) }),
    ).rejects.toThrow('already');
  });

  it('wakes exactly one of many waiters per release', async () => {
    const store = new InMemoryTokenStore();
    let held = await store.lock('k', { ttlMs: 60_000 });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const lock = await store.lock('k', { ttlMs: 60_000, waitMs: 60_000 });
        expect(lock).toBeDefined();
        inside++;
        most = Math.max(most, inside);
        await Promise.resolve();
        inside--;
        await lock!.release();
      }).concat([held!.release().then(() => (held = undefined))]),
    );
    expect(most).toBe(1);
  });
});
