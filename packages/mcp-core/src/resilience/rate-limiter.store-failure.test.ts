// A shared store that fails while a server's 429 is fed back: the failure is reported, not
// dropped, and this limiter still pauses its own callers for the server-given time.
import { expect, it } from 'vitest';
import { McpConfigError, McpConnectionError, type McpRateLimitStore } from '@tframex/mcp-api';
import { ManualClock } from './manual-clock.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { RateLimiter } from './rate-limiter.js';

/** A second McpRateLimitStore, as a plain object: takes go to memory, pauses fail. */
function storeThatCannotPause(clock: ManualClock, pauseFailure: () => Promise<void>) {
  const inner = new MemoryRateLimitStore({ now: () => clock.now() });
  const store: McpRateLimitStore = {
    take: (key, request) => inner.take(key, request),
    pause: pauseFailure,
  };
  return store;
}

it('a failed shared pause is reported, and this limiter still pauses locally', async () => {
  const clock = new ManualClock(1_000_000);
  const reported: unknown[] = [];
  const limiter = new RateLimiter({
    maxRequestsPerMinute: 600,
    burstSize: 5,
    clock,
    server: 'api',
    store: storeThatCannotPause(clock, () =>
      Promise.reject(new McpConnectionError('Redis at redis://127.0.0.1:1: gone')),
    ),
    onStoreError: (error) => reported.push(error),
  });
  await limiter.acquire();
  limiter.penalize(2_000, { method: 'tools/call' });
  await expect.poll(() => reported.length).toBe(1);
  const error = reported[0] as Error;
  expect(error.message).toMatch(/shared pause of "api" \(2000 ms, after a 429\) failed/);
  expect(McpConnectionError.isInstance(error.cause)).toBe(true);

  let served = false;
  const waiting = limiter.acquire().then(() => (served = true));
  await clock.advance(1_999);
  expect(served).toBe(false);
  await clock.advance(2);
  await waiting;
  expect(served).toBe(true);
  limiter.close();
});

it('a store whose pause throws synchronously, and an onStoreError that throws, break nothing', async () => {
  const clock = new ManualClock();
  let told = 0;
  const limiter = new RateLimiter({
    maxRequestsPerMinute: 600,
    clock,
    store: storeThatCannotPause(clock, () => {
      throw new Error('not async');
    }),
    onStoreError: () => {
      told += 1;
      throw new Error('a broken callback');
    },
  });
  expect(() => limiter.penalize(500)).not.toThrow();
  await expect.poll(() => told).toBe(1);
  const waiting = limiter.acquire();
  await clock.advance(501);
  await expect(waiting).resolves.toBeUndefined();
  limiter.close();
});

it('rejects an onStoreError that is not a function', () => {
  expect(
    () =>
      new RateLimiter({
        maxRequestsPerMinute: 60,
        onStoreError: 'log' as unknown as () => void,
      }),
  ).toThrow(McpConfigError);
});
