// CircuitBreaker: after repeated failures, fail fast for a while instead of piling requests
// on a server that is down; then let a probe through to see whether it recovered. Time is
// read from an injectable clock when needed, so no timer ever runs. Given a `store` (an
// McpCircuitStateStore, say one on Redis), the circuit lives there: every breaker on the same
// store and key, in any process, opens, probes and closes as one.
import {
  McpCircuitOpenError,
  McpConnectionError,
  McpTimeoutError,
  type McpCircuitRecord,
  type McpCircuitStateStore,
} from '@tframex/mcp-api';
import type { McpCircuitState, McpEventHub } from '@tframex/mcp-telemetry-api';
import { parseOptions } from '../config/parse-options.js';
import {
  circuitBreakerOptionsSchema,
  type CircuitBreakerOptions,
  type CircuitExecuteOptions,
} from './circuit-breaker-options.js';
import { isAbort } from './is-transient-error.js';
import { findErrorCode, TRANSIENT_NETWORK_CODES } from './network-error-code.js';

export type { CircuitBreakerOptions, CircuitExecuteOptions } from './circuit-breaker-options.js';

/** How a call was admitted: as the half-open probe or not, and by the store or locally. */
interface Admission {
  probe: boolean;
  local: boolean;
}

/** Connection failures and timeouts, including raw socket errors; not tool errors or aborts. */
export function isCircuitFailure(error: unknown): boolean {
  if (McpConnectionError.isInstance(error) || McpTimeoutError.isInstance(error)) return true;
  return !isAbort(error) && findErrorCode(error, TRANSIENT_NETWORK_CODES) !== undefined;
}

const CIRCUIT_BREAKER = Symbol.for('@tframex/mcp-core/CircuitBreaker');

export class CircuitBreaker {
  /** Whether `value` is a CircuitBreaker (also one from another copy of this package). */
  static isInstance(value: unknown): value is CircuitBreaker {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[CIRCUIT_BREAKER] === true
    );
  }

  readonly failureThreshold: number;
  readonly recoveryTimeoutMs: number;
  readonly halfOpenMaxProbes: number;
  readonly server: string;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #events: Pick<McpEventHub, 'emit'> | undefined;
  /** Hubs of the clients that share this breaker. */
  readonly #attached = new Set<Pick<McpEventHub, 'emit'>>();
  readonly #onStateChange: ((from: McpCircuitState, to: McpCircuitState) => void) | undefined;
  readonly #now: () => number;
  #state: McpCircuitState = 'closed';
  #consecutiveFailures = 0;
  #openedAtMs = 0;
  #probesInFlight = 0;
  readonly #store: McpCircuitStateStore | undefined;
  readonly #storeKey: string;
  readonly #holder: string;
  readonly #probeLeaseMs: number;
  readonly #onStoreError: ((error: unknown) => void) | undefined;
  /** Whether the store failed last time (deciding locally until it answers). */
  #storeDown = false;

  constructor(options: CircuitBreakerOptions = {}) {
    const parsed = parseOptions(circuitBreakerOptionsSchema, options, {
      subject: 'CircuitBreaker options',
    });
    this.failureThreshold = parsed.failureThreshold ?? 5;
    this.recoveryTimeoutMs = parsed.recoveryTimeoutMs ?? 30_000;
    this.halfOpenMaxProbes = parsed.halfOpenMaxProbes ?? 1;
    this.server = parsed.server ?? 'default';
    this.#isFailure = parsed.isFailure ?? isCircuitFailure;
    this.#events = parsed.events;
    this.#onStateChange = parsed.onStateChange;
    this.#now = parsed.now ?? Date.now;
    this.#store = parsed.store;
    this.#storeKey = parsed.storeKey ?? this.server;
    this.#holder = parsed.holder ?? globalThis.crypto.randomUUID();
    this.#probeLeaseMs = parsed.probeLeaseMs ?? 30_000;
    this.#onStoreError = parsed.onStoreError;
    Object.defineProperty(this, CIRCUIT_BREAKER, { value: true });
  }

  /**
   * Sends this breaker's `circuit:state` events to `events` too (each client that shares the
   * breaker attaches its own hub). Returns a function that detaches it.
   */
  attachEvents(events: Pick<McpEventHub, 'emit'>): () => void {
    this.#attached.add(events);
    return () => {
      this.#attached.delete(events);
    };
  }

  /** The current state; an open circuit whose recovery time has passed reads as half-open. */
  get state(): McpCircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAtMs >= this.recoveryTimeoutMs) {
      this.#transition('half-open');
    }
    return this.#state;
  }

  /** Time until a probe may go through: 0 unless open. */
  get retryAfterMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.#openedAtMs + this.recoveryTimeoutMs - this.#now());
  }

  /** Consecutive failures counted while closed. */
  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /**
   * Runs `fn` unless the circuit refuses: open, or half-open with every probe slot taken.
   * Refusals throw McpCircuitOpenError (with `retryAfterMs` while open) without calling `fn`.
   */
  async execute<T>(fn: () => Promise<T>, options: CircuitExecuteOptions = {}): Promise<T> {
    if (this.#store) return this.#executeShared(this.#store, fn, options.sharedRecord);
    const probe = this.#admit();
    try {
      const result = await fn();
      this.#settle(probe, 'success');
      return result;
    } catch (error) {
      this.#settle(probe, this.#outcomeOf(error));
      throw error;
    }
  }

  /**
   * Starts reading the shared record now (undefined without a store), for `execute`'s
   * `sharedRecord`: a caller that is about to talk to the same Redis (a shared rate limiter)
   * sends both in one round trip. Rejections are the caller's to handle or ignore.
   */
  readShared(): Promise<McpCircuitRecord> | undefined {
    if (!this.#store) return undefined;
    try {
      return this.#store.read(this.#storeKey);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Whether a call would be let through now (it does not take a probe slot). */
  canExecute(): boolean {
    const state = this.state;
    return (
      state === 'closed' || (state === 'half-open' && this.#probesInFlight < this.halfOpenMaxProbes)
    );
  }

  /** Records an outcome observed outside `execute` (e.g. a health check). */
  recordSuccess(): void {
    if (this.#store) void this.#settleShared({ probe: false, local: false }, 'success');
    else this.#settle(false, 'success');
  }

  /** Records a failure observed outside `execute`; counts only if `isFailure` agrees. */
  recordFailure(error: unknown = new McpConnectionError('failure recorded')): void {
    if (!this.#isFailure(error)) return;
    if (this.#store) void this.#settleShared({ probe: false, local: false }, 'failure');
    else this.#settle(false, 'failure');
  }

  /** Back to closed with no failures counted. */
  reset(): void {
    this.#consecutiveFailures = 0;
    this.#probesInFlight = 0;
    this.#transition('closed');
    if (this.#store) {
      this.#store.recordSuccess(this.#storeKey).then(
        () => this.#storeAnswered(),
        (error: unknown) => this.#storeFailed(error),
      );
    }
  }

  #outcomeOf(error: unknown): 'success' | 'failure' | 'neutral' {
    return isAbort(error) ? 'neutral' : this.#isFailure(error) ? 'failure' : 'success';
  }

  async #executeShared<T>(
    store: McpCircuitStateStore,
    fn: () => Promise<T>,
    sharedRecord: Promise<McpCircuitRecord> | undefined,
  ): Promise<T> {
    const admission = await this.#admitShared(store, sharedRecord);
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await this.#settleShared(admission, this.#outcomeOf(error));
      throw error;
    }
    await this.#settleShared(admission, 'success');
    return result;
  }

  /** Admission on the shared record; the local circuit while the store fails. */
  async #admitShared(
    store: McpCircuitStateStore,
    sharedRecord: Promise<McpCircuitRecord> | undefined,
  ): Promise<Admission> {
    let record: McpCircuitRecord;
    try {
      record = await (sharedRecord ?? store.read(this.#storeKey));
      // A record read ahead may be as old as a rate limiter's wait: refusals and probes are
      // decided on a fresh one.
      if (sharedRecord && record.state !== 'closed') record = await store.read(this.#storeKey);
    } catch (error) {
      this.#storeFailed(error);
      return { probe: this.#admit(), local: true };
    }
    this.#storeAnswered();
    this.#mirror(record);
    if (this.#state === 'closed') return { probe: false, local: false };
    if (this.#state === 'half-open' && this.#probesInFlight < this.halfOpenMaxProbes) {
      // Taken before asking, so that callers of this breaker do not all ask at once.
      this.#probesInFlight += 1;
      let acquired: boolean;
      try {
        acquired = await store.acquireProbe(this.#storeKey, {
          holder: this.#holder,
          recoveryMs: this.recoveryTimeoutMs,
          leaseMs: this.#probeLeaseMs,
        });
      } catch (error) {
        this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
        this.#storeFailed(error);
        return { probe: this.#admit(), local: true };
      }
      if (acquired) return { probe: true, local: false };
      this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
      throw this.#openError('half-open', undefined, 'another breaker holds the probe');
    }
    throw this.#refusal();
  }

  /** Records an outcome in the store (or locally while it fails) and follows the record. */
  async #settleShared(
    admission: Admission,
    outcome: 'success' | 'failure' | 'neutral',
  ): Promise<void> {
    const store = this.#store as McpCircuitStateStore;
    if (admission.local) return this.#settle(admission.probe, outcome);
    if (admission.probe) this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
    if (outcome === 'neutral') {
      // A cancelled probe says nothing about the server: give the lease back at once.
      if (admission.probe && this.#probesInFlight === 0) await this.#releaseProbe(store);
      return;
    }
    // A success only needs telling when it closes the circuit or clears failures; one that
    // ends after the circuit opened elsewhere must not close it.
    if (
      outcome === 'success' &&
      !admission.probe &&
      !(this.#state === 'closed' && this.#consecutiveFailures > 0)
    ) {
      return;
    }
    try {
      const record =
        outcome === 'success'
          ? await store.recordSuccess(this.#storeKey)
          : await store.recordFailure(this.#storeKey, { threshold: this.failureThreshold });
      this.#storeAnswered();
      this.#mirror(record);
    } catch (error) {
      this.#storeFailed(error);
      this.#settle(false, outcome);
    }
  }

  async #releaseProbe(store: McpCircuitStateStore): Promise<void> {
    try {
      await store.releaseProbe?.(this.#storeKey, this.#holder);
      this.#storeAnswered();
    } catch (error) {
      this.#storeFailed(error);
    }
  }

  /** Takes on a record of the store; open past the recovery time reads as half-open. */
  #mirror(record: McpCircuitRecord): void {
    this.#consecutiveFailures = record.failures;
    if (record.openedAtMs !== undefined) this.#openedAtMs = record.openedAtMs;
    const due = record.state === 'open' && this.#now() - this.#openedAtMs >= this.recoveryTimeoutMs;
    this.#transition(due ? 'half-open' : record.state);
  }

  #storeFailed(error: unknown): void {
    const first = !this.#storeDown;
    this.#storeDown = true;
    try {
      if (this.#onStoreError) this.#onStoreError(error);
      else if (first) {
        console.warn(
          `CircuitBreaker for server "${this.server}": the circuit store failed; deciding locally until it answers:`,
          String(error),
        );
      }
    } catch {
      // a throwing onStoreError must not break a call
    }
  }

  #storeAnswered(): void {
    this.#storeDown = false;
  }

  #admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && this.#probesInFlight < this.halfOpenMaxProbes) {
      this.#probesInFlight += 1;
      return true;
    }
    throw this.#refusal();
  }

  #refusal(): McpCircuitOpenError {
    const state = this.state;
    return state === 'open'
      ? this.#openError('open', this.retryAfterMs)
      : this.#openError('half-open', undefined, 'its probe is still running');
  }

  #openError(
    state: 'open' | 'half-open',
    retryAfterMs: number | undefined,
    why = '',
  ): McpCircuitOpenError {
    return new McpCircuitOpenError(
      state === 'open'
        ? `Circuit for server "${this.server}" is open after ${this.#consecutiveFailures} consecutive failures; next probe in ${retryAfterMs} ms`
        : `Circuit for server "${this.server}" is half-open and ${why}`,
      { server: this.server, retryAfterMs },
    );
  }

  #settle(probe: boolean, outcome: 'success' | 'failure' | 'neutral'): void {
    if (probe) this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
    if (outcome === 'neutral') return;
    const state = this.state;
    if (outcome === 'success') {
      this.#consecutiveFailures = 0;
      if (state === 'half-open') this.#transition('closed');
      return;
    }
    this.#consecutiveFailures += 1;
    if (
      state === 'half-open' ||
      (state === 'closed' && this.#consecutiveFailures >= this.failureThreshold)
    ) {
      this.#openedAtMs = this.#now();
      this.#transition('open');
    }
  }

  #transition(to: McpCircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    if (to !== 'half-open') this.#probesInFlight = 0;
    this.#onStateChange?.(from, to);
    const event = { server: this.server, from, to };
    this.#events?.emit('circuit:state', event);
    for (const events of this.#attached) events.emit('circuit:state', event);
  }
}
