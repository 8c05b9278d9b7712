// The shared-state store contracts, run against the in-process defaults and against a
// second implementation (a plain object over a Map, as a Redis one would be over keys), so
// the interfaces are not shaped after one implementation.
import { describe, expect, it } from 'vitest';
import type { McpCircuitStateStore, McpRateLimitStore } from '@tframex/mcp-api';
import { MemoryCircuitStateStore } from './memory-circuit-state-store.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';

/** A second McpRateLimitStore: a fixed window per key, as a plain object. */
function fixedWindowStore(now: () => number): McpRateLimitStore {
  const used = new Map<string, { windowStart: number; count: number; pausedUntil: number }>();
  return {
    async take(key, request) {
      const windowMs = request.capacity / request.refillPerMs;
      const entry = used.get(key) ?? { windowStart: now(), count: 0, pausedUntil: 0 };
      if (now() < entry.pausedUntil)
        return { granted: false, remaining: 0, retryAfterMs: entry.pausedUntil - now() };
      if (now() - entry.windowStart >= windowMs)
        Object.assign(entry, { windowStart: now(), count: 0 });
      used.set(key, entry);
      if (entry.count + (request.tokens ?? 1) > request.capacity)
        return { granted: false, remaining: 0, retryAfterMs: entry.windowStart + windowMs - now() };
      entry.count += request.tokens ?? 1;
      return { granted: true, remaining: request.capacity - entry.count, retryAfterMs: 0 };
    },
    async pause(key, forMs) {
      const entry = used.get(key) ?? { windowStart: now(), count: 0, pausedUntil: 0 };
      entry.pausedUntil = now() + forMs;
      used.set(key, entry);
    },
  };
}

describe.each([
  ['MemoryRateLimitStore', (now: () => number) => new MemoryRateLimitStore({ now })],
  ['a fixed-window plain object', fixedWindowStore],
])('McpRateLimitStore contract: %s', (_name, make) => {
  it('grants a burst, refuses past it with a wait, honours pauses, keeps keys apart', async () => {
    let nowMs = 1_000_000;
    const store = make(() => nowMs);
    const take = { capacity: 2, refillPerMs: 2 / 60_000 };
    expect((await store.take('a', take)).granted).toBe(true);
    expect((await store.take('a', take)).granted).toBe(true);
    const refused = await store.take('a', take);
    expect(refused.granted).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect((await store.take('b', take)).granted).toBe(true);
    nowMs += 60_000;
    expect((await store.take('a', take)).granted).toBe(true);
    await store.pause('b', 5_000);
    const paused = await store.take('b', take);
    expect(paused).toMatchObject({ granted: false });
    expect(paused.retryAfterMs).toBeLessThanOrEqual(5_000);
  });
});

describe('McpCircuitStateStore contract: MemoryCircuitStateStore', () => {
  it('opens at the threshold, leases the half-open probe to one holder, closes on success', async () => {
    let nowMs = 5_000;
    const store: McpCircuitStateStore = new MemoryCircuitStateStore({ now: () => nowMs });
    expect(await store.read('s')).toEqual({ state: 'closed', failures: 0 });
    await store.recordFailure('s', { threshold: 2 });
    expect((await store.recordFailure('s', { threshold: 2 })).state).toBe('open');
    const probe = { recoveryMs: 1_000, leaseMs: 500 };
    expect(await store.acquireProbe('s', { holder: 'p1', ...probe })).toBe(false);
    nowMs += 1_000;
    expect(await store.acquireProbe('s', { holder: 'p1', ...probe })).toBe(true);
    expect(await store.acquireProbe('s', { holder: 'p2', ...probe })).toBe(false);
    nowMs += 600; // p1's lease expired (it crashed): p2 may probe
    expect(await store.acquireProbe('s', { holder: 'p2', ...probe })).toBe(true);
    await store.releaseProbe!('s', 'p1'); // not p1's lease any more: nothing happens
    expect(await store.acquireProbe('s', { holder: 'p1', ...probe })).toBe(false);
    await store.releaseProbe!('s', 'p2'); // p2's call was cancelled: p1 may probe at once
    expect(await store.acquireProbe('s', { holder: 'p1', ...probe })).toBe(true);
    expect((await store.recordSuccess('s')).state).toBe('closed');
    expect((await store.read('s')).failures).toBe(0);
  });
});
