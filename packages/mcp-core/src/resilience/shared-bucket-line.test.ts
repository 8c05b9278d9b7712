// RateLimiter on a shared store: callers that must wait form a line whose head alone asks
// the store, for the callers behind it too; order, aborts and maxWaitMs hold in the line.
import { expect, it } from 'vitest';
import {
  McpCancelledError,
  McpRateLimitedError,
  type McpRateLimitGrant,
  type McpRateLimitStore,
} from '@tframex/mcp-api';
import type { Clock } from './clock.js';
import { ManualClock } from './manual-clock.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { RateLimiter } from './rate-limiter.js';

/** A second McpRateLimitStore, as a plain object: memory buckets, every take recorded. */
function recordingStore(clock: ManualClock) {
  const inner = new MemoryRateLimitStore({ now: () => clock.now() });
  const takes: { tokens: number; grant: McpRateLimitGrant }[] = [];
  const store: McpRateLimitStore = {
    async take(key, request) {
      const grant = await inner.take(key, request);
      takes.push({ tokens: request.tokens ?? 1, grant });
      return grant;
    },
    pause: (key, forMs) => inner.pause(key, forMs),
  };
  return { store, takes };
}

/** Moves the clock in small steps until `done` (a chain of awaits may outlast one step). */
async function advanceUntil(clock: ManualClock, done: () => boolean, stepMs = 10) {
  for (let step = 0; step < 10_000 && !done(); step++) await clock.advance(stepMs);
}

function settled(promises: Promise<unknown>[]) {
  let count = 0;
  for (const promise of promises)
    void promise.then(
      () => (count += 1),
      () => (count += 1),
    );
  return () => count === promises.length;
}

function limiter(clock: ManualClock, store: McpRateLimitStore, maxWaitMs?: number) {
  // 10 a second, bursts of 2
  return new RateLimiter({ maxRequestsPerMinute: 600, burstSize: 2, clock, store, maxWaitMs });
}

it('waiting callers are served in order, by one head asking the store for several at once', async () => {
  const clock = new ManualClock(1_000);
  const { store, takes } = recordingStore(clock);
  const limit = limiter(clock, store);
  const served: number[] = [];
  const callers = Array.from({ length: 12 }, (_, i) => limit.acquire().then(() => served.push(i)));
  await clock.advance(0);
  expect(served).toEqual([0, 1]); // the burst
  expect(limit.queueLength).toBe(10);
  await advanceUntil(clock, () => served.length === 12);
  await Promise.all(callers);
  expect(served).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  // At the start each caller asks once (they came at once: 2 granted, 10 refused); then one
  // take per token refilled, not one per waiting caller per refill.
  expect(takes).toHaveLength(12 + 10);
  expect(takes.slice(12).every((take) => take.grant.granted)).toBe(true);
  expect(limit.queueLength).toBe(0);
  limit.close();
});

it('the head takes for the callers behind it when its timer fired late', async () => {
  const clock = new ManualClock(1_000);
  // Timers fire 900 ms late, as on a machine whose cores are busy elsewhere.
  const late: Clock = {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs + 900),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
  const { store, takes } = recordingStore(clock);
  // bursts of 5, 10 a second
  const limit = new RateLimiter({ maxRequestsPerMinute: 600, burstSize: 5, clock: late, store });
  await Promise.all(Array.from({ length: 5 }, () => limit.acquire()));
  const waiting = Array.from({ length: 4 }, () => limit.acquire());
  await clock.advance(0);
  expect(limit.queueLength).toBe(4);
  takes.length = 0;
  await advanceUntil(clock, settled(waiting), 100);
  await Promise.all(waiting);
  // 5 tokens by the time the head woke: the 4 taken in one go.
  expect(takes.map((take) => [take.tokens, take.grant.granted])).toEqual([[4, true]]);
  limit.close();
});

it('a caller aborted in line leaves it; the others are still served', async () => {
  const clock = new ManualClock();
  const { store } = recordingStore(clock);
  const limit = limiter(clock, store);
  await Promise.all([limit.acquire(), limit.acquire()]);
  const controller = new AbortController();
  const first = limit.acquire();
  const aborted = limit.acquire({ signal: controller.signal });
  const third = limit.acquire();
  await clock.advance(0);
  controller.abort();
  await expect(aborted).rejects.toBeInstanceOf(McpCancelledError);
  await advanceUntil(clock, settled([first, third]));
  await expect(Promise.all([first, third])).resolves.toBeDefined();
  limit.close();
});

it('maxWaitMs holds in the line: a caller too far back is refused at once or at its deadline', async () => {
  const clock = new ManualClock();
  const { store } = recordingStore(clock);
  const limit = limiter(clock, store, 250);
  await Promise.all([limit.acquire(), limit.acquire()]);
  const inLine = [limit.acquire(), limit.acquire()];
  await clock.advance(0);
  // Two ahead at 100 ms each, then this one: 300 ms > 250.
  const refusal = await limit.acquire().catch((error: unknown) => error);
  expect(McpRateLimitedError.isInstance(refusal)).toBe(true);
  expect((refusal as McpRateLimitedError).retryable).toBe(false);
  await advanceUntil(clock, settled(inLine));
  await expect(Promise.all(inLine)).resolves.toBeDefined();
  expect(clock.now()).toBeLessThanOrEqual(250);
  limit.close();
});

it('close ends every wait in the line', async () => {
  const clock = new ManualClock();
  const { store } = recordingStore(clock);
  const limit = limiter(clock, store);
  await Promise.all([limit.acquire(), limit.acquire()]);
  const waits = [limit.acquire(), limit.acquire(), limit.acquire()];
  await clock.advance(0);
  limit.close();
  for (const wait of waits) await expect(wait).rejects.toBeInstanceOf(McpCancelledError);
});
