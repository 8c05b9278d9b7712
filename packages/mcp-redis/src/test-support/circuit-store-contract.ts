// The McpCircuitStateStore contract as a reusable suite: every implementation (Redis, a plain
// object, the in-process default) must pass it. `make` gets a clock the suite moves.
import type { McpCircuitStateStore } from '@tframex/mcp-api';
import { expect, it } from 'vitest';

export type MakeCircuitStore = (now: () => number) => McpCircuitStateStore;

export function circuitStoreContract(make: MakeCircuitStore, freshKey: () => string): void {
  it('opens at the threshold, leases the half-open probe to one holder, closes on success', async () => {
    let nowMs = 5_000;
    const store = make(() => nowMs);
    const key = freshKey();
    expect(await store.read(key)).toEqual({ state: 'closed', failures: 0 });
    expect(await store.recordFailure(key, { threshold: 2 })).toMatchObject({
      state: 'closed',
      failures: 1,
    });
    expect(await store.recordFailure(key, { threshold: 2 })).toEqual({
      state: 'open',
      failures: 2,
      openedAtMs: 5_000,
    });
    const probe = { recoveryMs: 1_000, leaseMs: 500 };
    expect(await store.acquireProbe(key, { holder: 'p1', ...probe })).toBe(false);
    nowMs += 1_000;
    expect(await store.acquireProbe(key, { holder: 'p1', ...probe })).toBe(true);
    expect((await store.read(key)).state).toBe('half-open');
    expect(await store.acquireProbe(key, { holder: 'p2', ...probe })).toBe(false);
    expect(await store.acquireProbe(key, { holder: 'p1', ...probe })).toBe(true); // renews
    nowMs += 600; // p1's lease expired (it crashed): p2 may probe
    expect(await store.acquireProbe(key, { holder: 'p2', ...probe })).toBe(true);
    expect((await store.recordSuccess(key)).state).toBe('closed');
    expect(await store.read(key)).toEqual({ state: 'closed', failures: 0 });
    expect(await store.acquireProbe(key, { holder: 'p3', ...probe })).toBe(false);
  });

  it('reopens at once on a failure while half-open, and keeps circuits apart', async () => {
    let nowMs = 10_000;
    const store = make(() => nowMs);
    const [key, other] = [freshKey(), freshKey()];
    await store.recordFailure(key, { threshold: 1 });
    await store.recordFailure(other, { threshold: 3 });
    nowMs += 50;
    expect(await store.acquireProbe(key, { holder: 'a', recoveryMs: 50, leaseMs: 1_000 })).toBe(
      true,
    );
    nowMs += 10;
    expect(await store.recordFailure(key, { threshold: 5 })).toMatchObject({
      state: 'open',
      openedAtMs: 10_060,
    });
    // reopened: the probe is gone, and recovery counts from the new opening
    expect(await store.acquireProbe(key, { holder: 'b', recoveryMs: 50, leaseMs: 1_000 })).toBe(
      false,
    );
    nowMs += 50;
    expect(await store.acquireProbe(key, { holder: 'b', recoveryMs: 50, leaseMs: 1_000 })).toBe(
      true,
    );
    expect(await store.read(other)).toEqual({ state: 'closed', failures: 1 });
  });

  it('gives a probe back only for its holder (releaseProbe)', async () => {
    const nowMs = 30_000;
    const store = make(() => nowMs);
    const key = freshKey();
    await store.recordFailure(key, { threshold: 1 });
    const probe = { recoveryMs: 0, leaseMs: 60_000 };
    expect(await store.acquireProbe(key, { holder: 'p1', ...probe })).toBe(true);
    await store.releaseProbe!(key, 'p2'); // not its lease: nothing happens
    expect(await store.acquireProbe(key, { holder: 'p3', ...probe })).toBe(false);
    await store.releaseProbe!(key, 'p1');
    expect((await store.read(key)).state).toBe('half-open');
    expect(await store.acquireProbe(key, { holder: 'p3', ...probe })).toBe(true);
  });

  it('lets exactly one of many concurrent holders probe', async () => {
    let nowMs = 20_000;
    const store = make(() => nowMs);
    const key = freshKey();
    await store.recordFailure(key, { threshold: 1 });
    nowMs += 100;
    const taken = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.acquireProbe(key, { holder: `h${i}`, recoveryMs: 100, leaseMs: 10_000 }),
      ),
    );
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
}
