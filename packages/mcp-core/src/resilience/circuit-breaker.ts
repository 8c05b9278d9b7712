// CircuitBreaker: after repeated failures, fail fast for a while instead of piling requests
// on a server that is down; then let a probe through to see whether it recovered. Time is
// read from an injectable clock when needed, so no timer ever runs.
import { z } from 'zod';
import { McpCircuitOpenError, McpConnectionError, McpTimeoutError } from '@tframex/mcp-api';
import type { McpCircuitState, McpEventHub } from '@tframex/mcp-telemetry-api';
import { callable, durationMs, wholeNumber } from '../config/option-schemas.js';
import { parseOptions } from '../config/parse-options.js';
import { isAbort } from './is-transient-error.js';
import { findErrorCode, TRANSIENT_NETWORK_CODES } from './network-error-code.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before a probe may go through (default 30 000). */
  recoveryTimeoutMs?: number;
  /** Probes allowed at once while half-open (default 1). */
  halfOpenMaxProbes?: number;
  /**
   * Which errors count as failures of the server (default `isCircuitFailure`: connection
   * failures and timeouts). Other errors mean the server answered: they count as successes.
   * Cancellations count as neither.
   */
  isFailure?: (error: unknown) => boolean;
  /** Alias of the server, for events and errors. */
  server?: string;
  /** Receives `circuit:state` events. */
  events?: Pick<McpEventHub, 'emit'>;
  /** Called on every state change. */
  onStateChange?: (from: McpCircuitState, to: McpCircuitState) => void;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
}

/** Connection failures and timeouts, including raw socket errors; not tool errors or aborts. */
export function isCircuitFailure(error: unknown): boolean {
  if (McpConnectionError.isInstance(error) || McpTimeoutError.isInstance(error)) return true;
  return !isAbort(error) && findErrorCode(error, TRANSIENT_NETWORK_CODES) !== undefined;
}

const optionsSchema = z.strictObject({
  failureThreshold: wholeNumber(1, 1_000_000).optional(),
  recoveryTimeoutMs: durationMs(0).optional(),
  halfOpenMaxProbes: wholeNumber(1, 1_000).optional(),
  isFailure: callable<(error: unknown) => boolean>('a function (error) => boolean').optional(),
  server: z.string({ error: 'a server alias' }).optional(),
  events: z
    .custom<
      Pick<McpEventHub, 'emit'>
    >((value) => typeof value === 'object' && value !== null && typeof (value as { emit?: unknown }).emit === 'function', { error: 'an McpEventHub (an object with emit)' })
    .optional(),
  onStateChange: callable<(from: McpCircuitState, to: McpCircuitState) => void>(
    'a function (from, to) => void',
  ).optional(),
  now: callable<() => number>('a function returning milliseconds').optional(),
});

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

  constructor(options: CircuitBreakerOptions = {}) {
    const parsed = parseOptions(optionsSchema, options, { subject: 'CircuitBreaker options' });
    this.failureThreshold = parsed.failureThreshold ?? 5;
    this.recoveryTimeoutMs = parsed.recoveryTimeoutMs ?? 30_000;
    this.halfOpenMaxProbes = parsed.halfOpenMaxProbes ?? 1;
    this.server = parsed.server ?? 'default';
    this.#isFailure = parsed.isFailure ?? isCircuitFailure;
    this.#events = parsed.events;
    this.#onStateChange = parsed.onStateChange;
    this.#now = parsed.now ?? Date.now;
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
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const probe = this.#admit();
    try {
      const result = await fn();
      this.#settle(probe, 'success');
      return result;
    } catch (error) {
      this.#settle(
        probe,
        isAbort(error) ? 'neutral' : this.#isFailure(error) ? 'failure' : 'success',
      );
      throw error;
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
    this.#settle(false, 'success');
  }

  /** Records a failure observed outside `execute`; counts only if `isFailure` agrees. */
  recordFailure(error: unknown = new McpConnectionError('failure recorded')): void {
    if (!this.#isFailure(error)) return;
    this.#settle(false, 'failure');
  }

  /** Back to closed with no failures counted. */
  reset(): void {
    this.#consecutiveFailures = 0;
    this.#probesInFlight = 0;
    this.#transition('closed');
  }

  #admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && this.#probesInFlight < this.halfOpenMaxProbes) {
      this.#probesInFlight += 1;
      return true;
    }
    const retryAfterMs = state === 'open' ? this.retryAfterMs : undefined;
    throw new McpCircuitOpenError(
      state === 'open'
        ? `Circuit for server "${this.server}" is open after ${this.#consecutiveFailures} consecutive failures; next probe in ${retryAfterMs} ms`
        : `Circuit for server "${this.server}" is half-open and its probe is still running`,
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
