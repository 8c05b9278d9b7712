// RateLimiter: a token bucket shared by every request to a server. Callers wait their turn
// in FIFO order; a server's 429 pauses everyone at once. One timer at most, and only while
// someone waits. Given a `store` (an McpRateLimitStore, say one on Redis), the bucket lives
// there instead and every limiter using the same store and key shares one budget.
import { z } from 'zod';
import { McpCancelledError, McpRateLimitedError, type McpRateLimitStore } from '@tframex/mcp-api';
import type { McpEventHub } from '@tframex/mcp-telemetry-api';
import { durationMs } from '../config/option-schemas.js';
import { parseOptions } from '../config/parse-options.js';
import { type Clock, systemClock } from './clock.js';
import { SharedBucketLine } from './shared-bucket-line.js';
import { cancelledError } from './sleep.js';

export interface RateLimiterOptions {
  /** Sustained rate: tokens added per minute. */
  maxRequestsPerMinute: number;
  /** Bucket size: requests that may go at once after a quiet spell (default: one second's worth, at least 1). */
  burstSize?: number;
  /** Longest a caller may wait; a longer expected wait rejects at once (default: no limit). */
  maxWaitMs?: number;
  /** Alias of the server, for events and errors. */
  server?: string;
  /** Receives `rate-limited` events. */
  events?: Pick<McpEventHub, 'emit'>;
  /** Time and timers (default: the system clock). */
  clock?: Clock;
  /**
   * Where the bucket lives (default: in this limiter, as before). With a store, `acquire`
   * takes from `store` under `storeKey`, so limiters in other processes using the same store
   * and key share one budget; callers of this limiter that must wait form a FIFO line whose
   * head alone asks the store again (after its `retryAfterMs`), `penalize` also pauses the shared bucket, and `tryAcquire` (synchronous)
   * always returns false. A store that fails rejects `acquire` with its error.
   */
  store?: McpRateLimitStore;
  /** The bucket's key in `store` (default: `server`). */
  storeKey?: string;
  /**
   * Told when `store` fails where this limiter goes on without it: a `pause` after a server's
   * 429 that the store could not record (this limiter still pauses its own callers).
   * Default: `console.warn`. A throwing callback is ignored.
   */
  onStoreError?: (error: unknown) => void;
}

export interface RateLimiterAcquireOptions {
  /** Aborting while waiting rejects with McpCancelledError and frees the place in line. */
  signal?: AbortSignal;
  /** MCP method, for the `rate-limited` event. */
  method?: string;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  deadlineMs: number;
  method: string;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

const optionsSchema = z.strictObject({
  maxRequestsPerMinute: z
    .number({ error: 'a positive number of requests per minute' })
    .positive()
    .max(1e9),
  burstSize: z
    .number({ error: 'a whole number of requests, 1 or more' })
    .int()
    .min(1)
    .max(1e9)
    .optional(),
  maxWaitMs: durationMs(0).optional(),
  server: z.string({ error: 'a server alias' }).optional(),
  events: z
    .custom<
      Pick<McpEventHub, 'emit'>
    >((value) => typeof value === 'object' && value !== null && typeof (value as { emit?: unknown }).emit === 'function', { error: 'an McpEventHub (an object with emit)' })
    .optional(),
  clock: z
    .custom<Clock>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['now', 'setTimeout', 'clearTimeout'].every(
          (name) => typeof (value as Record<string, unknown>)[name] === 'function',
        ),
      { error: 'a Clock (now, setTimeout, clearTimeout)' },
    )
    .optional(),
  store: z
    .custom<McpRateLimitStore>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['take', 'pause'].every(
          (name) => typeof (value as Record<string, unknown>)[name] === 'function',
        ),
      { error: 'an McpRateLimitStore (take, pause)' },
    )
    .optional(),
  storeKey: z.string({ error: 'a bucket key' }).min(1).optional(),
  onStoreError: z
    .custom<
      (error: unknown) => void
    >((value) => typeof value === 'function', { error: 'a function (error) => void' })
    .optional(),
});

const RATE_LIMITER = Symbol.for('@tframex/mcp-core/RateLimiter');

export class RateLimiter {
  /** Whether `value` is a RateLimiter (also one from another copy of this package). */
  static isInstance(value: unknown): value is RateLimiter {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[RATE_LIMITER] === true
    );
  }

  readonly maxRequestsPerMinute: number;
  readonly burstSize: number;
  readonly maxWaitMs: number;
  readonly server: string;
  readonly #events: Pick<McpEventHub, 'emit'> | undefined;
  /** Hubs of the clients that share this limiter. */
  readonly #attached = new Set<Pick<McpEventHub, 'emit'>>();
  readonly #clock: Clock;
  readonly #tokensPerMs: number;
  #tokens: number;
  #refilledAtMs: number;
  #pausedUntilMs = 0;
  #waiters: Waiter[] = [];
  #timer: unknown;
  #timerDueMs = Number.POSITIVE_INFINITY;
  #closed = false;
  readonly #store: McpRateLimitStore | undefined;
  readonly #storeKey: string;
  readonly #onStoreError: (error: unknown) => void;
  /** Aborted by `close`: ends the waits of callers of the shared bucket. */
  readonly #closing = new AbortController();
  /** Callers of the shared bucket (with a store). */
  readonly #shared: SharedBucketLine | undefined;

  constructor(options: RateLimiterOptions) {
    const parsed = parseOptions(optionsSchema, options, {
      subject: 'RateLimiter options',
      aliases: {
        rpm: 'maxRequestsPerMinute',
        burst: 'burstSize',
        requestsperminute: 'maxRequestsPerMinute',
      },
    });
    this.maxRequestsPerMinute = parsed.maxRequestsPerMinute;
    this.burstSize = parsed.burstSize ?? Math.max(1, Math.ceil(parsed.maxRequestsPerMinute / 60));
    this.maxWaitMs = parsed.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.server = parsed.server ?? 'default';
    this.#events = parsed.events;
    this.#clock = parsed.clock ?? systemClock;
    this.#tokensPerMs = parsed.maxRequestsPerMinute / 60_000;
    this.#tokens = this.burstSize;
    this.#refilledAtMs = this.#clock.now();
    this.#store = parsed.store;
    this.#storeKey = parsed.storeKey ?? this.server;
    this.#onStoreError =
      parsed.onStoreError ??
      ((error) => console.warn(`RateLimiter "${this.server}": ${String(error)}`));
    if (parsed.store) {
      this.#shared = new SharedBucketLine({
        store: parsed.store,
        key: this.#storeKey,
        take: { capacity: this.burstSize, refillPerMs: this.#tokensPerMs },
        clock: this.#clock,
        maxWaitMs: this.maxWaitMs,
        pausedUntilMs: () => this.#pausedUntilMs,
        onWait: (method, waitMs) => this.#emit(method, waitMs, 'local'),
        tooLongError: (waitMs) => this.#tooLongError(waitMs),
        closedError: () => this.#closedError(),
        closing: this.#closing.signal,
      });
    }
    Object.defineProperty(this, RATE_LIMITER, { value: true });
  }

  /**
   * Sends this limiter's `rate-limited` events to `events` too (each client that shares the
   * limiter attaches its own hub). Returns a function that detaches it.
   */
  attachEvents(events: Pick<McpEventHub, 'emit'>): () => void {
    this.#attached.add(events);
    return () => {
      this.#attached.delete(events);
    };
  }

  /** Tokens available now (fractional); 0 while paused by `penalize`. */
  get availableTokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Callers waiting for a token. */
  get queueLength(): number {
    return this.#waiters.length + (this.#shared?.waiting ?? 0);
  }

  /** Takes a token if one is free and nobody is waiting; never waits. */
  tryAcquire(): boolean {
    if (this.#store) return false;
    if (this.#closed || this.#waiters.length > 0) return false;
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * Resolves when a token is taken, in FIFO order. Rejects with McpRateLimitedError (source
   * `local`, `retryAfterMs` = the expected wait, `retryable: false`: retry policies leave it
   * alone) when the wait would exceed `maxWaitMs`, and
   * with McpCancelledError when `signal` aborts.
   */
  acquire(options: RateLimiterAcquireOptions = {}): Promise<void> {
    const { signal } = options;
    const method = options.method ?? '';
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#shared) return this.#shared.acquire(method, signal);
    if (this.tryAcquire()) return Promise.resolve();
    const nowMs = this.#clock.now();
    const waitMs = this.#expectedWaitMs(this.#waiters.length, nowMs);
    if (waitMs > this.maxWaitMs) {
      this.#emit(method, waitMs, 'local');
      return Promise.reject(this.#tooLongError(waitMs));
    }
    this.#emit(method, waitMs, 'local');
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        deadlineMs: nowMs + this.maxWaitMs,
        method,
        signal,
        onAbort: () => {
          this.#remove(waiter);
          reject(cancelledError(signal as AbortSignal));
          this.#schedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
  }

  /**
   * Feeds back a server's 429: nobody gets a token for `retryAfterMs`, and the bucket starts
   * empty after that, so the callers held back do not stampede the server together.
   */
  penalize(retryAfterMs: number, options: { method?: string } = {}): void {
    if (!Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return;
    const nowMs = this.#clock.now();
    this.#refill();
    this.#pausedUntilMs = Math.max(this.#pausedUntilMs, nowMs + retryAfterMs);
    this.#tokens = 0;
    this.#refilledAtMs = this.#pausedUntilMs;
    this.#emit(options.method ?? '', retryAfterMs, 'server');
    // Every limiter on the shared bucket pauses too; if the store fails, this one still does
    // (the pause above) and says so.
    if (this.#store) this.#pauseShared(this.#store, retryAfterMs);
    // Waiters that can no longer be served within their maxWaitMs learn it now, not later.
    const keep: Waiter[] = [];
    for (const waiter of this.#waiters) {
      const expectedAtMs = nowMs + this.#expectedWaitMs(keep.length, nowMs);
      if (expectedAtMs > waiter.deadlineMs) {
        this.#detach(waiter);
        waiter.reject(this.#tooLongError(expectedAtMs - nowMs));
      } else {
        keep.push(waiter);
      }
    }
    this.#waiters = keep;
    this.#schedule();
  }

  /** Rejects every waiter (McpCancelledError) and stops the timer; later calls reject at once. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#closing.abort();
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      this.#detach(waiter);
      waiter.reject(this.#closedError());
    }
  }

  /** Records a 429 pause in the store for every limiter on the bucket; a failure is reported. */
  #pauseShared(store: McpRateLimitStore, retryAfterMs: number): void {
    const key = this.#storeKey;
    Promise.resolve()
      .then(() => store.pause(key, retryAfterMs))
      .catch((cause: unknown) => {
        const message = cause instanceof Error ? cause.message : String(cause);
        const error = new Error(
          `the shared pause of "${key}" (${retryAfterMs} ms, after a 429) failed, so only this limiter pauses: ${message}`,
          { cause },
        );
        try {
          this.#onStoreError(error);
        } catch {
          // a throwing callback must not break the limiter
        }
      });
  }

  #refill(): void {
    const nowMs = this.#clock.now();
    if (nowMs <= this.#refilledAtMs) return;
    this.#tokens = Math.min(
      this.burstSize,
      this.#tokens + (nowMs - this.#refilledAtMs) * this.#tokensPerMs,
    );
    this.#refilledAtMs = nowMs;
  }

  /** Expected wait of the caller with `ahead` callers in front of it. */
  #expectedWaitMs(ahead: number, nowMs: number): number {
    this.#refill();
    const startMs = Math.max(nowMs, this.#refilledAtMs);
    const deficit = ahead + 1 - this.#tokens;
    const fillMs = deficit <= 0 ? 0 : Math.ceil(deficit / this.#tokensPerMs);
    return startMs - nowMs + fillMs;
  }

  #serve(): void {
    this.#refill();
    while (
      this.#waiters.length > 0 &&
      this.#tokens >= 1 &&
      this.#clock.now() >= this.#pausedUntilMs
    ) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#tokens -= 1;
      this.#detach(waiter);
      waiter.resolve();
    }
  }

  #schedule(): void {
    this.#serve();
    if (this.#waiters.length === 0) {
      if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerDueMs = Number.POSITIVE_INFINITY;
      return;
    }
    const nowMs = this.#clock.now();
    const dueMs = nowMs + Math.max(1, this.#expectedWaitMs(0, nowMs));
    if (this.#timer !== undefined && this.#timerDueMs === dueMs) return;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timerDueMs = dueMs;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerDueMs = Number.POSITIVE_INFINITY;
      this.#schedule();
    }, dueMs - nowMs);
  }

  #remove(waiter: Waiter): void {
    this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
  }

  #detach(waiter: Waiter): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  #emit(method: string, waitMs: number, source: 'local' | 'server'): void {
    const event = { server: this.server, method, waitMs, source };
    this.#events?.emit('rate-limited', event);
    for (const events of this.#attached) events.emit('rate-limited', event);
  }

  /**
   * The refusal of a caller who would wait longer than `maxWaitMs`. Final (`retryable:
   * false`): a retry after `retryAfterMs` would be the very wait the caller declined.
   */
  #tooLongError(waitMs: number): McpRateLimitedError {
    return new McpRateLimitedError(
      `Rate limit for server "${this.server}": the wait (${waitMs} ms) exceeds maxWaitMs (${this.maxWaitMs} ms)`,
      { server: this.server, source: 'local', retryAfterMs: waitMs, retryable: false },
    );
  }

  #closedError(): McpCancelledError {
    return new McpCancelledError(`Rate limiter for server "${this.server}" is closed`, {
      server: this.server,
    });
  }
}
