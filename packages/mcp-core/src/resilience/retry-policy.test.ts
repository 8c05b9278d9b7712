import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  McpAuthError,
  McpCancelledError,
  McpCircuitOpenError,
  McpConfigError,
  McpConnectionError,
  McpProtocolError,
  McpRateLimitedError,
  McpSecurityError,
  McpSessionExpiredError,
  McpTimeoutError,
  McpToolError,
} from '@tframex/mcp-api';
import { ManualClock } from './manual-clock.js';
import { RetryPolicy } from './retry-policy.js';
import { sleep } from './sleep.js';

const noWait = async () => undefined;
const withCode = (code: string) => Object.assign(new Error('socket'), { code });

/** A function failing with the given errors in turn, then succeeding with 'ok'. */
function failing(...errors: unknown[]) {
  return vi.fn(async (attempt: number) => {
    const error = errors[attempt - 1];
    if (error !== undefined) throw error;
    return 'ok';
  });
}

describe('RetryPolicy.execute', () => {
  it('returns the first success without retrying', async () => {
    const fn = failing();
    await expect(new RetryPolicy({ sleep: noWait }).execute(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('retries transient failures of idempotent operations and passes the attempt number', async () => {
    const fn = failing(new McpConnectionError('reset'), new McpTimeoutError('slow'));
    const onRetry = vi.fn();
    const policy = new RetryPolicy({ sleep: noWait, random: () => 0.5 });
    await expect(policy.execute(fn, { idempotent: true, onRetry })).resolves.toBe('ok');
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(onRetry.mock.calls.map(([info]) => [info.attempt, info.delayMs])).toEqual([
      [2, 125],
      [3, 250],
    ]);
  });

  it('gives up after retryAttempts retries and rejects with the last error unchanged', async () => {
    const errors = [1, 2, 3].map((n) => new McpConnectionError(`down ${n}`));
    const fn = failing(...errors);
    const policy = new RetryPolicy({ retryAttempts: 2, sleep: noWait });
    await expect(policy.execute(fn, { idempotent: true })).rejects.toBe(errors[2]);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('with retryAttempts 0 calls once', async () => {
    const error = new McpConnectionError('down');
    const fn = failing(error);
    await expect(
      new RetryPolicy({ retryAttempts: 0, sleep: noWait }).execute(fn, { idempotent: true }),
    ).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not replay a non-idempotent operation after a reset, but does after a refusal', async () => {
    const policy = new RetryPolicy({ sleep: noWait });
    const reset = new McpConnectionError('reset', { cause: withCode('ECONNRESET') });
    const resetFn = failing(reset);
    await expect(policy.execute(resetFn)).rejects.toBe(reset);
    expect(resetFn).toHaveBeenCalledTimes(1);

    const refusedFn = failing(
      new McpConnectionError('refused', { cause: withCode('ECONNREFUSED') }),
    );
    await expect(policy.execute(refusedFn)).resolves.toBe('ok');
    expect(refusedFn).toHaveBeenCalledTimes(2);
  });

  it('replays non-idempotent operations when retryNonIdempotent is set', async () => {
    const fn = failing(new McpConnectionError('reset', { cause: withCode('ECONNRESET') }));
    const policy = new RetryPolicy({ sleep: noWait, retryNonIdempotent: true });
    await expect(policy.execute(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('recognises raw fetch failures by the code deep in their cause chain', async () => {
    const fetchFailure = new TypeError('fetch failed', {
      cause: new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    });
    const fn = failing(fetchFailure);
    await expect(new RetryPolicy({ sleep: noWait }).execute(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['a tool error', new McpToolError('bad input')],
    ['a cancellation', new McpCancelledError('stop')],
    ['a config error', new McpConfigError('bad option')],
    ['an auth error', new McpAuthError('nope')],
    ['a security refusal', new McpSecurityError('refused')],
    ['a protocol error', new McpProtocolError('invalid params', { code: -32602 })],
    ['an open circuit', new McpCircuitOpenError('open', { retryAfterMs: 10 })],
    ['a 400', new McpConnectionError('bad request', { status: 400 })],
    ['a 501', new McpConnectionError('not implemented', { status: 501 })],
    ['a connection error marked not retryable', new McpConnectionError('x', { retryable: false })],
    ['an AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a plain error', new Error('boom')],
  ])('never retries %s', async (_label, error) => {
    const fn = failing(error);
    const policy = new RetryPolicy({ sleep: noWait, retryNonIdempotent: true });
    await expect(policy.execute(fn, { idempotent: true })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a 503', new McpConnectionError('unavailable', { status: 503 })],
    ['a 408', new McpConnectionError('request timeout', { status: 408 })],
    ['a 429 connection error', new McpConnectionError('too many', { status: 429 })],
    ['an expired session', new McpSessionExpiredError('404 session')],
    ['a rate limit', new McpRateLimitedError('slow down', { retryAfterMs: 10 })],
    ['a broken pipe', withCode('EPIPE')],
    ['an undici socket error', withCode('UND_ERR_SOCKET')],
  ])('retries %s', async (_label, error) => {
    const fn = failing(error);
    await expect(
      new RetryPolicy({ sleep: noWait }).execute(fn, { idempotent: true }),
    ).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('waits at least what the server asked for, and gives up when it asks too much', async () => {
    const waits: number[] = [];
    const policy = new RetryPolicy({
      sleep: async (ms) => void waits.push(ms),
      random: () => 0,
      maxRetryAfterMs: 5_000,
    });
    const fn = failing(new McpRateLimitedError('429', { retryAfterMs: 1_500 }));
    await expect(policy.execute(fn)).resolves.toBe('ok');
    expect(waits).toEqual([1_500]);

    const tooLong = new McpRateLimitedError('429', { retryAfterMs: 6_000 });
    await expect(policy.execute(failing(tooLong))).rejects.toBe(tooLong);
  });

  it('rejects with McpCancelledError at once when aborted during backoff', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const policy = new RetryPolicy({
      retryDelayMs: 60_000,
      jitter: false,
      sleep: (ms, signal) => sleep(ms, signal, clock),
    });
    const fn = failing(new McpConnectionError('down'));
    const running = policy.execute(fn, { idempotent: true, signal: controller.signal });
    await clock.advance(0);
    expect(clock.pendingTimers).toBe(1);
    controller.abort('user gave up');
    await expect(running).rejects.toSatisfy(
      (error) => McpCancelledError.isInstance(error) && error.reason === 'user gave up',
    );
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not start when the signal is already aborted', async () => {
    const fn = failing();
    await expect(new RetryPolicy().execute(fn, { signal: AbortSignal.abort() })).rejects.toSatisfy(
      McpCancelledError.isInstance,
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('turns a failure that follows an abort into McpCancelledError carrying it', async () => {
    const controller = new AbortController();
    const failure = new McpConnectionError('aborted fetch');
    const fn = vi.fn(async () => {
      controller.abort();
      throw failure;
    });
    await expect(
      new RetryPolicy({ sleep: noWait }).execute(fn, {
        idempotent: true,
        signal: controller.signal,
      }),
    ).rejects.toSatisfy((error) => McpCancelledError.isInstance(error) && error.cause === failure);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('RetryPolicy.delayFor', () => {
  it('grows exponentially up to the cap without jitter', () => {
    const policy = new RetryPolicy({ retryDelayMs: 100, retryMaxDelayMs: 1_000, jitter: false });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => policy.delayFor(attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('stays within [0, min(cap, base * 2^(n-1))] whatever the randomness (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (retryDelayMs, extraCapMs, attempt, random) => {
          const retryMaxDelayMs = retryDelayMs + extraCapMs;
          const policy = new RetryPolicy({ retryDelayMs, retryMaxDelayMs, random: () => random });
          const delay = policy.delayFor(attempt);
          const ceiling = Math.min(retryMaxDelayMs, retryDelayMs * 2 ** Math.min(attempt - 1, 60));
          return Number.isInteger(delay) && delay >= 0 && delay <= ceiling;
        },
      ),
    );
  });

  it('never goes below a retryAfterMs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(100_000), (attempt, retryAfterMs) => {
        const policy = new RetryPolicy({ random: () => 0.3 });
        const error = new McpRateLimitedError('429', { retryAfterMs });
        return policy.delayFor(attempt, error) >= retryAfterMs;
      }),
    );
  });
});

describe('RetryPolicy options', () => {
  it('rejects bad values with McpConfigError naming each field', () => {
    expect(() => new RetryPolicy({ retryAttempts: -1, retryDelayMs: 1.5 })).toThrow(
      expect.objectContaining({ kind: 'config', field: 'retryAttempts' }),
    );
    try {
      new RetryPolicy({ retryAttempts: -1, retryDelayMs: 1.5 });
    } catch (error) {
      expect(String((error as Error).message)).toMatch(/retryAttempts.*\n.*retryDelayMs/);
    }
  });

  it('suggests the right name for a wrong one', () => {
    expect(() => new RetryPolicy({ retries: 2 } as never)).toThrow(
      /retries.*did you mean "retryAttempts"/,
    );
    expect(() => new RetryPolicy({ retryDelay: 2 } as never)).toThrow(
      /did you mean "retryDelayMs"/,
    );
  });

  it('refuses a cap below the base delay', () => {
    expect(() => new RetryPolicy({ retryDelayMs: 500, retryMaxDelayMs: 100 })).toThrow(
      expect.objectContaining({ field: 'retryMaxDelayMs' }),
    );
  });
});
