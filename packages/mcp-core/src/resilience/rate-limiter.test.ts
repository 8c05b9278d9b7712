import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { McpCancelledError, McpRateLimitedError } from '@tframex/mcp-api';
import { McpEventHub, type McpRateLimitedEvent } from '@tframex/mcp-telemetry-api';
import { ManualClock } from './manual-clock.js';
import { RateLimiter } from './rate-limiter.js';

function setup(options: Partial<ConstructorParameters<typeof RateLimiter>[0]> = {}) {
  const clock = new ManualClock();
  const events = new McpEventHub();
  const seen: McpRateLimitedEvent[] = [];
  events.on('rate-limited', (event) => seen.push(event));
  const limiter = new RateLimiter({
    maxRequestsPerMinute: 60,
    burstSize: 2,
    clock,
    events,
    server: 'api',
    ...options,
  });
  return { clock, limiter, seen };
}

describe('RateLimiter', () => {
  it('allows a burst, then one request per refill interval', async () => {
    const { clock, limiter } = setup();
    expect([limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()]).toEqual([
      true,
      true,
      false,
    ]);
    await clock.advance(999);
    expect(limiter.tryAcquire()).toBe(false);
    await clock.advance(1);
    expect(limiter.tryAcquire()).toBe(true);
  });

  it('defaults the burst to one second of the rate', () => {
    expect(new RateLimiter({ maxRequestsPerMinute: 600 }).burstSize).toBe(10);
    expect(new RateLimiter({ maxRequestsPerMinute: 6 }).burstSize).toBe(1);
  });

  it('serves waiters in FIFO order as tokens arrive, and reports the wait', async () => {
    const { clock, limiter, seen } = setup({ burstSize: 1 });
    await limiter.acquire();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      limiter.acquire({ method: 'tools/call' }).then(() => order.push(n)),
    );
    expect(limiter.queueLength).toBe(3);
    expect(seen.map((event) => event.waitMs)).toEqual([1_000, 2_000, 3_000]);
    expect(seen.every((event) => event.source === 'local' && event.server === 'api')).toBe(true);
    await clock.advance(1_000);
    expect(order).toEqual([1]);
    expect(limiter.tryAcquire()).toBe(false);
    await clock.advance(2_000);
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects at once when the expected wait exceeds maxWaitMs', async () => {
    const { limiter } = setup({ burstSize: 1, maxWaitMs: 1_500 });
    await limiter.acquire();
    const first = limiter.acquire();
    const error = await limiter.acquire().catch((caught: unknown) => caught);
    expect(McpRateLimitedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ source: 'local', retryAfterMs: 2_000, server: 'api' });
    limiter.close();
    await expect(first).rejects.toSatisfy(McpCancelledError.isInstance);
  });

  it('an aborted waiter leaves the line and the next one moves up', async () => {
    const { clock, limiter } = setup({ burstSize: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire({ signal: controller.signal });
    const next = limiter.acquire();
    controller.abort();
    await expect(aborted).rejects.toSatisfy(McpCancelledError.isInstance);
    expect(limiter.queueLength).toBe(1);
    await clock.advance(1_000);
    await expect(next).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it('penalize pauses every caller for the server-given time, starting empty', async () => {
    const { clock, limiter, seen } = setup({ burstSize: 5 });
    limiter.penalize(10_000, { method: 'tools/call' });
    expect(seen.at(-1)).toMatchObject({ source: 'server', waitMs: 10_000, method: 'tools/call' });
    expect(limiter.tryAcquire()).toBe(false);
    let served = false;
    const waiting = limiter.acquire().then(() => {
      served = true;
    });
    await clock.advance(10_000);
    expect(served).toBe(false);
    await clock.advance(1_000);
    await waiting;
    expect(served).toBe(true);
  });

  it('penalize rejects waiters that can no longer be served within maxWaitMs', async () => {
    const { limiter } = setup({ burstSize: 1, maxWaitMs: 5_000 });
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.penalize(30_000);
    await expect(waiting).rejects.toSatisfy(McpRateLimitedError.isInstance);
  });

  it('close rejects waiters, clears its timer and refuses later calls', async () => {
    const { clock, limiter } = setup({ burstSize: 1 });
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.close();
    await expect(waiting).rejects.toSatisfy(McpCancelledError.isInstance);
    await expect(limiter.acquire()).rejects.toSatisfy(McpCancelledError.isInstance);
    expect(limiter.tryAcquire()).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects bad options with McpConfigError', () => {
    expect(() => new RateLimiter({ maxRequestsPerMinute: 0 })).toThrow(
      expect.objectContaining({ kind: 'config', field: 'maxRequestsPerMinute' }),
    );
    expect(() => new RateLimiter({ rpm: 5 } as never)).toThrow(
      /did you mean "maxRequestsPerMinute"/,
    );
  });

  it('never grants more than burst + rate × window in any window (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.nat(5_000), fc.integer({ min: 1, max: 5 })), { maxLength: 40 }),
        async (rpm, burstSize, steps) => {
          const clock = new ManualClock();
          const limiter = new RateLimiter({ maxRequestsPerMinute: rpm, burstSize, clock });
          const grants: number[] = [];
          for (const [advanceMs, tries] of steps) {
            await clock.advance(advanceMs);
            for (let i = 0; i < tries; i += 1) if (limiter.tryAcquire()) grants.push(clock.now());
            if (limiter.availableTokens > burstSize) return false;
          }
          const perMs = rpm / 60_000;
          for (let i = 0; i < grants.length; i += 1) {
            for (let j = i; j < grants.length; j += 1) {
              const windowMs = (grants[j] as number) - (grants[i] as number);
              if (j - i + 1 > burstSize + perMs * windowMs + 1e-9) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});
