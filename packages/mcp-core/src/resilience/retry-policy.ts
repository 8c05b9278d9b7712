// RetryPolicy: exponential backoff with full jitter and a cap, honouring Retry-After, that
// never replays a non-idempotent request unless it provably never reached the server.
import { z } from 'zod';
import { McpCancelledError } from '@tframex/mcp-api';
import { durationMs, callable, wholeNumber } from '../config/option-schemas.js';
import { configError } from '../config/config-problem.js';
import { parseOptions } from '../config/parse-options.js';
import { isAbort, isTransientError, retryAfterMsOf } from './is-transient-error.js';
import { isSafeToReplay } from './is-safe-to-replay.js';
import { cancelledError, sleep as defaultSleep } from './sleep.js';

export interface RetryPolicyOptions {
  /** Retries after the first attempt: 3 means up to 4 calls (default 3; 0 disables retries). */
  retryAttempts?: number;
  /** Backoff base: the n-th retry waits up to `retryDelayMs * 2^(n-1)` (default 250). */
  retryDelayMs?: number;
  /** Cap on the computed backoff (default 10 000). */
  retryMaxDelayMs?: number;
  /** Full jitter: wait a uniformly random part of the backoff (default true). */
  jitter?: boolean;
  /** Replay non-idempotent operations after any transient failure (default false). */
  retryNonIdempotent?: boolean;
  /**
   * The longest server-requested wait (Retry-After) to honour; a failure asking for more is
   * not retried (default 60 000).
   */
  maxRetryAfterMs?: number;
  /** Which failures are worth another attempt (default `isTransientError`). */
  isRetryable?: (error: unknown) => boolean;
  /** Randomness for jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** How to wait; must reject when `signal` aborts (default: timers). */
  sleep?: (delayMs: number, signal?: AbortSignal) => Promise<void>;
}

export interface RetryDecisionOptions {
  /**
   * Whether repeating the operation is harmless (reads, lists, tools annotated readOnlyHint
   * or idempotentHint). Default false: only failures that prove the request never reached
   * the server are replayed.
   */
  idempotent?: boolean;
}

/** What `onRetry` is told before each retry. */
export interface RetryInfo {
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryExecuteOptions extends RetryDecisionOptions {
  /** Aborting stops at once: during an attempt (the attempt sees it) or during backoff. */
  signal?: AbortSignal;
  /** Called before each retry, after the delay is chosen. */
  onRetry?: (info: RetryInfo) => void;
}

const optionsSchema = z.strictObject({
  retryAttempts: wholeNumber(0, 100).optional(),
  retryDelayMs: durationMs(0).optional(),
  retryMaxDelayMs: durationMs(0).optional(),
  jitter: z.boolean({ error: 'true or false' }).optional(),
  retryNonIdempotent: z.boolean({ error: 'true or false' }).optional(),
  maxRetryAfterMs: durationMs(0).optional(),
  isRetryable: callable<(error: unknown) => boolean>('a function (error) => boolean').optional(),
  random: callable<() => number>('a function returning a number in [0, 1)').optional(),
  sleep: callable<(delayMs: number, signal?: AbortSignal) => Promise<void>>(
    'a function (delayMs, signal) => Promise<void>',
  ).optional(),
});

export class RetryPolicy {
  readonly retryAttempts: number;
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly jitter: boolean;
  readonly retryNonIdempotent: boolean;
  readonly maxRetryAfterMs: number;
  readonly #isRetryable: (error: unknown) => boolean;
  readonly #random: () => number;
  readonly #sleep: (delayMs: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RetryPolicyOptions = {}) {
    const parsed = parseOptions(optionsSchema, options, {
      subject: 'RetryPolicy options',
      aliases: { attempts: 'retryAttempts', retries: 'retryAttempts', maxretries: 'retryAttempts' },
    });
    this.retryAttempts = parsed.retryAttempts ?? 3;
    this.retryDelayMs = parsed.retryDelayMs ?? 250;
    this.retryMaxDelayMs = parsed.retryMaxDelayMs ?? Math.max(10_000, this.retryDelayMs);
    if (this.retryMaxDelayMs < this.retryDelayMs) {
      throw configError('RetryPolicy options', [
        {
          field: 'retryMaxDelayMs',
          expected: `at least retryDelayMs (${this.retryDelayMs})`,
          received: this.retryMaxDelayMs,
        },
      ]);
    }
    this.jitter = parsed.jitter ?? true;
    this.retryNonIdempotent = parsed.retryNonIdempotent ?? false;
    this.maxRetryAfterMs = parsed.maxRetryAfterMs ?? 60_000;
    this.#isRetryable = parsed.isRetryable ?? isTransientError;
    this.#random = parsed.random ?? Math.random;
    this.#sleep = parsed.sleep ?? ((delayMs, signal) => defaultSleep(delayMs, signal));
  }

  /**
   * Whether to try again after attempt number `attempt` (1-based) failed with `error`.
   * Transient failures only; non-idempotent operations only when the request provably never
   * reached the server (or `retryNonIdempotent`); never past `retryAttempts`, and never when
   * the server asks for a longer wait than `maxRetryAfterMs`.
   */
  shouldRetry(error: unknown, attempt: number, options: RetryDecisionOptions = {}): boolean {
    if (attempt > this.retryAttempts || !this.#isRetryable(error)) return false;
    if (!options.idempotent && !this.retryNonIdempotent && !isSafeToReplay(error)) return false;
    const retryAfterMs = retryAfterMsOf(error);
    return retryAfterMs === undefined || retryAfterMs <= this.maxRetryAfterMs;
  }

  /**
   * How long to wait before the retry that follows failed attempt `attempt`: a uniformly
   * random part of `min(retryMaxDelayMs, retryDelayMs * 2^(attempt-1))` (all of it without
   * jitter), and never less than the failure's `retryAfterMs`.
   */
  delayFor(attempt: number, error?: unknown): number {
    const exponent = Math.min(Math.max(attempt - 1, 0), 52);
    const backoffMs = Math.min(this.retryMaxDelayMs, this.retryDelayMs * 2 ** exponent);
    const random = this.jitter ? Math.min(Math.max(this.#random(), 0), 1) : 1;
    const delayMs = Math.floor(backoffMs * random);
    const retryAfterMs = retryAfterMsOf(error);
    return retryAfterMs === undefined ? delayMs : Math.max(delayMs, Math.ceil(retryAfterMs));
  }

  /**
   * Runs `fn` (given the 1-based attempt number) until it succeeds or `shouldRetry` says
   * stop; then rejects with the last error, unchanged. Aborting `signal` rejects with
   * McpCancelledError.
   */
  async execute<T>(
    fn: (attempt: number) => Promise<T>,
    options: RetryExecuteOptions = {},
  ): Promise<T> {
    const { signal } = options;
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw cancelledError(signal);
      try {
        return await fn(attempt);
      } catch (error) {
        if (signal?.aborted) {
          throw McpCancelledError.isInstance(error) ? error : cancelledError(signal, error);
        }
        if (isAbort(error) || !this.shouldRetry(error, attempt, options)) throw error;
        const delayMs = this.delayFor(attempt, error);
        options.onRetry?.({ attempt: attempt + 1, delayMs, error });
        await this.#sleep(delayMs, signal);
      }
    }
  }
}
