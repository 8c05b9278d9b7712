// SharedBucketLine: how a RateLimiter waits on a bucket kept in an McpRateLimitStore. A caller
// takes from the store at once when nobody in this process waits; a refused caller joins a
// FIFO line, and only the caller at its head asks the store again (after the wait the store
// gave), for itself and the callers behind it at once (up to a burst). So a process with
// hundreds of waiting callers sends the store about one take per batch of tokens, not one per
// caller every few milliseconds, and keeps up when its timers fire late on a busy machine.
import type { McpRateLimitStore, McpRateLimitTake } from '@tframex/mcp-api';
import type { Clock } from './clock.js';
import { cancelledError, sleep } from './sleep.js';

export interface SharedBucketLineParts {
  store: McpRateLimitStore;
  key: string;
  take: McpRateLimitTake;
  clock: Clock;
  maxWaitMs: number;
  /** Until when this limiter pauses on its own (a server's 429), epoch of `clock`. */
  pausedUntilMs: () => number;
  /** Reports a wait (`rate-limited` event). */
  onWait: (method: string, waitMs: number) => void;
  tooLongError: (waitMs: number) => Error;
  closedError: () => Error;
  /** Aborted when the limiter closes: every wait ends. */
  closing: AbortSignal;
}

interface Entered {
  role: 'leading' | 'led' | 'granted';
}

interface Turn {
  /** Told it is at the head now (it asks the store next). */
  lead: () => void;
  /** Given a token the head took for it. */
  grant: () => void;
  fail: (error: unknown) => void;
}

export class SharedBucketLine {
  readonly #parts: SharedBucketLineParts;
  /** Callers waiting behind the head, in order. */
  #line: Turn[] = [];
  /** Whether a caller is at the head (taking or sleeping until the bucket refills). */
  #headBusy = false;
  /** What the store said the bucket held after this process's last take, and when. */
  #known: { remaining: number; atMs: number } | undefined;

  constructor(parts: SharedBucketLineParts) {
    this.#parts = parts;
  }

  /** Callers waiting (the head included). */
  get waiting(): number {
    return this.#line.length + (this.#headBusy ? 1 : 0);
  }

  async acquire(method: string, signal: AbortSignal | undefined): Promise<void> {
    const { clock, maxWaitMs, closing, take } = this.#parts;
    const startMs = clock.now();
    // The wait before the next take: what the store said, or a refill per caller ahead.
    let waitMs: number;
    if (!this.#headBusy && this.#line.length === 0) {
      const grant = await this.#take(1);
      if (grant.granted) return;
      waitMs = grant.waitMs;
    } else {
      // The head and those in line go first: this caller's token is the one after theirs.
      const missing = this.#line.length + 2 - this.#expectedTokens();
      waitMs = Math.max(1, Math.ceil(missing / take.refillPerMs));
    }
    this.#parts.onWait(method, waitMs);
    if (waitMs > maxWaitMs) throw this.#parts.tooLongError(waitMs);
    // Made only once the caller waits: a call granted at once pays nothing for it.
    const waitSignal = signal ? AbortSignal.any([signal, closing]) : closing;
    const turn = await this.#enter(waitSignal, startMs + maxWaitMs);
    if (turn.role === 'granted') return;
    // Led after another head: wait until its last take says a token is there.
    if (turn.role === 'led') waitMs = this.#refillWaitMs();
    try {
      for (;;) {
        if (waitMs > 0) {
          const waitedMs = clock.now() - startMs;
          if (waitedMs + waitMs > maxWaitMs) throw this.#parts.tooLongError(waitedMs + waitMs);
          await sleep(waitMs, waitSignal, clock);
        }
        // For the head and each caller behind it, as many as the bucket should hold by now.
        const expected = Math.floor(this.#expectedTokens());
        const wanted = Math.max(1, Math.min(1 + this.#line.length, expected));
        const grant = await this.#take(wanted);
        if (grant.granted) {
          for (const behind of this.#line.slice(0, wanted - 1)) behind.grant();
          return;
        }
        // Fewer than asked for: take those there are at once.
        if (wanted > 1 && grant.remaining >= 1) {
          waitMs = 0;
          continue;
        }
        // Not one token: wait for one, or for the end of a pause the store reported.
        const refillMs = Math.ceil((wanted - grant.remaining) / take.refillPerMs);
        waitMs = wanted === 1 || grant.waitMs > refillMs ? grant.waitMs : this.#refillWaitMs();
        this.#parts.onWait(method, waitMs);
      }
    } catch (error) {
      if (closing.aborted) throw this.#parts.closedError();
      throw error;
    } finally {
      this.#passHead();
    }
  }

  /** Tokens the bucket should hold now, from the last take of this process (others take too). */
  #expectedTokens(): number {
    const { take, clock } = this.#parts;
    if (!this.#known) return take.capacity;
    const sinceMs = Math.max(clock.now() - this.#known.atMs, 0);
    return Math.min(take.capacity, this.#known.remaining + sinceMs * take.refillPerMs);
  }

  /** How long until the bucket should hold a token. */
  #refillWaitMs(): number {
    const missing = 1 - this.#expectedTokens();
    return missing <= 0 ? 0 : Math.max(1, Math.ceil(missing / this.#parts.take.refillPerMs));
  }

  /** One take of `tokens` from the store, after this limiter's own pause. */
  async #take(tokens: number): Promise<{ granted: boolean; remaining: number; waitMs: number }> {
    const { store, key, take, clock, closing } = this.#parts;
    const pausedMs = Math.max(this.#parts.pausedUntilMs() - clock.now(), 0);
    if (pausedMs > 0) return { granted: false, remaining: 0, waitMs: pausedMs };
    const grant = await store.take(key, tokens === 1 ? take : { ...take, tokens });
    this.#known = { remaining: grant.remaining, atMs: clock.now() };
    if (closing.aborted) throw this.#parts.closedError();
    const waitMs = grant.granted ? 0 : Math.max(grant.retryAfterMs, 1);
    return { granted: grant.granted, remaining: grant.remaining, waitMs };
  }

  /**
   * Takes the head when it is free ('leading'), else waits in line until the head hands this
   * caller a token ('granted') or the head ('led').
   */
  #enter(signal: AbortSignal, deadlineMs: number): Promise<Entered> {
    if (!this.#headBusy) {
      this.#headBusy = true;
      return Promise.resolve({ role: 'leading' });
    }
    const { clock } = this.#parts;
    return new Promise<Entered>((resolve, reject) => {
      let timer: unknown;
      const leave = () => {
        this.#line = this.#line.filter((candidate) => candidate !== turn);
        signal.removeEventListener('abort', onAbort);
        if (timer !== undefined) clock.clearTimeout(timer);
      };
      const turn: Turn = {
        lead: () => {
          leave();
          resolve({ role: 'led' });
        },
        grant: () => {
          leave();
          resolve({ role: 'granted' });
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = () =>
        turn.fail(this.#parts.closing.aborted ? this.#parts.closedError() : cancelledError(signal));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      // Still in line at the deadline: the caller would wait longer than maxWaitMs.
      if (Number.isFinite(deadlineMs)) {
        const { maxWaitMs, take } = this.#parts;
        const expectedMs = Math.ceil(maxWaitMs + 1 / take.refillPerMs);
        timer = clock.setTimeout(
          () => turn.fail(this.#parts.tooLongError(expectedMs)),
          Math.max(deadlineMs - clock.now(), 0),
        );
      }
      this.#line.push(turn);
    });
  }

  /** The head is done: the next caller in line takes its place. */
  #passHead(): void {
    const next = this.#line[0];
    if (next) next.lead();
    else this.#headBusy = false;
  }
}
