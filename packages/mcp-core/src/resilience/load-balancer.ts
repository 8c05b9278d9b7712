// MCPLoadBalancer: spreads calls over equivalent targets (sessions to replicas of a server),
// skips the unhealthy ones and fails over to the next on connection failures. Generic over
// the target, so it balances McpSessions, URLs or anything else.
import { z } from 'zod';
import { McpCircuitOpenError, McpConnectionError } from '@tframex/mcp-api';
import type { McpCircuitState, McpEventHub } from '@tframex/mcp-telemetry-api';
import { callable, durationMs, wholeNumber } from '../config/option-schemas.js';
import { configError } from '../config/config-problem.js';
import { parseOptions } from '../config/parse-options.js';
import { CircuitBreaker, type CircuitBreakerOptions, isCircuitFailure } from './circuit-breaker.js';
import { type Clock, systemClock } from './clock.js';
import { isAbort } from './is-transient-error.js';
import { isSafeToReplay } from './is-safe-to-replay.js';
import { cancelledError } from './sleep.js';

export type LoadBalancingStrategy = 'round-robin' | 'random' | 'least-connections';

export interface LoadBalancerTarget<T> {
  /** Unique name of the target, for health marks, events and errors. */
  id: string;
  target: T;
}

/** What `status()` reports per target. */
export interface LoadBalancerTargetStatus {
  id: string;
  healthy: boolean;
  /** Calls running on the target now. */
  inFlight: number;
  /** The target's circuit, when the balancer keeps breakers. */
  circuit?: McpCircuitState;
  /** Why the target is unhealthy: `marked` or `health-check`. */
  reason?: 'marked' | 'health-check';
}

export interface MCPLoadBalancerOptions<T> {
  targets: ReadonlyArray<LoadBalancerTarget<T>>;
  /** Default `round-robin`. */
  strategy?: LoadBalancingStrategy;
  /** Randomness for `random`, in [0, 1) (default Math.random; pass createSeededRandom(seed) to replay). */
  random?: () => number;
  /**
   * Keep one CircuitBreaker per target with these options; a target whose circuit is open is
   * skipped. With a `store`, each target's circuit is kept there under the target's id, so
   * balancers in several processes share the circuits of the same targets.
   */
  circuitBreaker?: Omit<CircuitBreakerOptions, 'server' | 'events' | 'onStateChange' | 'storeKey'>;
  /** Resolves truthy when the target is healthy; false or a rejection marks it unhealthy. */
  healthCheck?: (target: T, signal: AbortSignal) => Promise<unknown>;
  /** Budget of one health check (default 5 000). */
  healthCheckTimeoutMs?: number;
  /** Which failures move the call to another target (default: connection failures, timeouts, open circuits). */
  isFailover?: (error: unknown) => boolean;
  /** Other targets to try after the first fails (default: all of them, once each). */
  maxFailovers?: number;
  /** Receives `circuit:state` events of the per-target breakers (server = target id). */
  events?: Pick<McpEventHub, 'emit'>;
  /** Time and timers for health marks and periodic checks (default: the system clock). */
  clock?: Clock;
}

export interface LoadBalancerExecuteOptions {
  signal?: AbortSignal;
  /**
   * Whether the operation may run twice. Default false: a failed call moves to another
   * target only when it provably never reached the first (`isSafeToReplay`).
   */
  idempotent?: boolean;
}

interface Entry<T> extends LoadBalancerTarget<T> {
  inFlight: number;
  unhealthyUntilMs: number;
  reason: 'marked' | 'health-check' | undefined;
  breaker: CircuitBreaker | undefined;
}

/** Connection failures, timeouts and open circuits: the target, not the request, is the problem. */
export function isFailoverError(error: unknown): boolean {
  return McpCircuitOpenError.isInstance(error) || isCircuitFailure(error);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const optionsSchema = z.strictObject({
  targets: z.array(
    z.object(
      { id: z.string({ error: 'a non-empty string' }).min(1), target: z.unknown() },
      { error: 'a target: { id, target }' },
    ),
    { error: 'an array of { id, target }' },
  ),
  strategy: z
    .enum(['round-robin', 'random', 'least-connections'], {
      error: '"round-robin", "random" or "least-connections"',
    })
    .optional(),
  random: callable<() => number>('a function returning a number in [0, 1)').optional(),
  circuitBreaker: z.custom<object>(isObject, { error: 'CircuitBreaker options' }).optional(),
  healthCheck: callable<(target: unknown, signal: AbortSignal) => Promise<unknown>>(
    'a function (target, signal) => Promise',
  ).optional(),
  healthCheckTimeoutMs: durationMs(1).optional(),
  isFailover: callable<(error: unknown) => boolean>('a function (error) => boolean').optional(),
  maxFailovers: wholeNumber(0, 1_000).optional(),
  events: z
    .custom<Pick<McpEventHub, 'emit'>>(
      (value) => isObject(value) && typeof value.emit === 'function',
      {
        error: 'an McpEventHub (an object with emit)',
      },
    )
    .optional(),
  clock: z
    .custom<Clock>(
      (value) =>
        isObject(value) &&
        ['now', 'setTimeout', 'clearTimeout'].every((name) => typeof value[name] === 'function'),
      { error: 'a Clock (now, setTimeout, clearTimeout)' },
    )
    .optional(),
});

export class MCPLoadBalancer<T> {
  readonly strategy: LoadBalancingStrategy;
  readonly #random: () => number;
  readonly #breakerOptions: MCPLoadBalancerOptions<T>['circuitBreaker'];
  readonly #healthCheck: MCPLoadBalancerOptions<T>['healthCheck'];
  readonly #healthCheckTimeoutMs: number;
  readonly #isFailover: (error: unknown) => boolean;
  readonly #maxFailovers: number | undefined;
  readonly #events: Pick<McpEventHub, 'emit'> | undefined;
  readonly #clock: Clock;
  #entries: Entry<T>[] = [];
  #cursor = 0;
  #healthTimer: unknown;

  constructor(options: MCPLoadBalancerOptions<T>) {
    const parsed = parseOptions(optionsSchema, options, { subject: 'MCPLoadBalancer options' });
    this.strategy = parsed.strategy ?? 'round-robin';
    this.#random = parsed.random ?? Math.random;
    this.#breakerOptions = options.circuitBreaker;
    this.#healthCheck = options.healthCheck;
    this.#healthCheckTimeoutMs = parsed.healthCheckTimeoutMs ?? 5_000;
    this.#isFailover = parsed.isFailover ?? isFailoverError;
    this.#maxFailovers = parsed.maxFailovers;
    this.#events = parsed.events;
    this.#clock = parsed.clock ?? systemClock;
    for (const { id, target } of options.targets) this.addTarget(id, target);
  }

  /** Adds a target; an id already present is a McpConfigError. */
  addTarget(id: string, target: T): void {
    if (this.#entries.some((entry) => entry.id === id)) {
      throw parseOptionsError(`targets`, `unique target ids; "${id}" appears twice`, id);
    }
    const breaker = this.#breakerOptions
      ? new CircuitBreaker({
          ...this.#breakerOptions,
          now: this.#breakerOptions.now ?? (() => this.#clock.now()),
          server: id,
          ...(this.#breakerOptions.store ? { storeKey: id } : {}),
          events: this.#events,
        })
      : undefined;
    this.#entries.push({
      id,
      target,
      inFlight: 0,
      unhealthyUntilMs: 0,
      reason: undefined,
      breaker,
    });
  }

  /** Removes a target; calls running on it finish normally. */
  removeTarget(id: string): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((entry) => entry.id !== id);
    return this.#entries.length < before;
  }

  /** Takes the target out of rotation, for `forMs` or until `markHealthy`. */
  markUnhealthy(id: string, options: { forMs?: number } = {}): void {
    const entry = this.#entry(id);
    entry.unhealthyUntilMs =
      options.forMs === undefined
        ? Number.POSITIVE_INFINITY
        : this.#clock.now() + Math.max(0, options.forMs);
    entry.reason = 'marked';
  }

  markHealthy(id: string): void {
    const entry = this.#entry(id);
    entry.unhealthyUntilMs = 0;
    entry.reason = undefined;
  }

  /** Whether the target would be picked: not marked unhealthy, circuit not refusing. */
  isHealthy(id: string): boolean {
    return this.#eligible(this.#entry(id));
  }

  status(): LoadBalancerTargetStatus[] {
    return this.#entries.map((entry) => {
      const marked = this.#marked(entry);
      return {
        id: entry.id,
        healthy: this.#eligible(entry),
        inFlight: entry.inFlight,
        ...(entry.breaker ? { circuit: entry.breaker.state } : {}),
        ...(marked && entry.reason ? { reason: entry.reason } : {}),
      };
    });
  }

  /** The target the strategy picks now, without running anything; throws when none is healthy. */
  pick(): LoadBalancerTarget<T> {
    const entry = this.#choose(new Set());
    return { id: entry.id, target: entry.target };
  }

  /**
   * Runs `fn` on a target chosen by the strategy, counting it in flight. On a failover
   * error it moves to the next healthy target not tried yet (see `idempotent`); when all
   * have failed it rejects with the last error.
   */
  async execute<R>(
    fn: (target: T, id: string) => Promise<R>,
    options: LoadBalancerExecuteOptions = {},
  ): Promise<R> {
    const tried = new Set<Entry<T>>();
    const limit = 1 + (this.#maxFailovers ?? Number.POSITIVE_INFINITY);
    let lastError: unknown;
    while (tried.size < limit) {
      if (options.signal?.aborted) throw cancelledError(options.signal);
      let entry: Entry<T>;
      try {
        entry = this.#choose(tried);
      } catch (error) {
        if (tried.size === 0) throw error;
        throw lastError;
      }
      tried.add(entry);
      entry.inFlight += 1;
      try {
        const run = () => fn(entry.target, entry.id);
        return await (entry.breaker ? entry.breaker.execute(run) : run());
      } catch (error) {
        lastError = error;
        if (isAbort(error) || options.signal?.aborted || !this.#isFailover(error)) throw error;
        if (!options.idempotent && !isSafeToReplay(error)) throw error;
      } finally {
        entry.inFlight -= 1;
      }
    }
    throw lastError;
  }

  /** Runs the health check on every target once, concurrently. */
  async checkHealth(): Promise<void> {
    const check = this.#healthCheck;
    if (!check) return;
    await Promise.all(
      this.#entries.map(async (entry) => {
        const controller = new AbortController();
        const timer = this.#clock.setTimeout(() => controller.abort(), this.#healthCheckTimeoutMs);
        let healthy: boolean;
        try {
          healthy = Boolean(await check(entry.target, controller.signal));
        } catch {
          healthy = false;
        } finally {
          this.#clock.clearTimeout(timer);
        }
        if (healthy && entry.reason === 'health-check') {
          entry.unhealthyUntilMs = 0;
          entry.reason = undefined;
        } else if (!healthy && entry.reason !== 'marked') {
          entry.unhealthyUntilMs = Number.POSITIVE_INFINITY;
          entry.reason = 'health-check';
        }
      }),
    );
  }

  /** Runs `checkHealth` every `intervalMs` (the first run after one interval) until `close`. */
  startHealthChecks(intervalMs: number): void {
    this.stopHealthChecks();
    const schedule = () => {
      this.#healthTimer = this.#clock.setTimeout(() => {
        void this.checkHealth().finally(() => {
          if (this.#healthTimer !== undefined) schedule();
        });
      }, intervalMs);
      (this.#healthTimer as { unref?: () => void } | undefined)?.unref?.();
    };
    schedule();
  }

  stopHealthChecks(): void {
    if (this.#healthTimer !== undefined) this.#clock.clearTimeout(this.#healthTimer);
    this.#healthTimer = undefined;
  }

  /** Stops periodic health checks. Idempotent. */
  close(): void {
    this.stopHealthChecks();
  }

  #entry(id: string): Entry<T> {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    if (!entry)
      throw parseOptionsError(
        'id',
        `the id of a target (${this.#entries.map((e) => e.id).join(', ')})`,
        id,
      );
    return entry;
  }

  #marked(entry: Entry<T>): boolean {
    if (entry.unhealthyUntilMs === 0) return false;
    if (this.#clock.now() < entry.unhealthyUntilMs) return true;
    entry.unhealthyUntilMs = 0;
    entry.reason = undefined;
    return false;
  }

  #eligible(entry: Entry<T>): boolean {
    return !this.#marked(entry) && (entry.breaker?.canExecute() ?? true);
  }

  #choose(exclude: ReadonlySet<Entry<T>>): Entry<T> {
    const count = this.#entries.length;
    const candidates: Entry<T>[] = [];
    // Candidates in round-robin order from the cursor, so ties rotate fairly.
    for (let offset = 0; offset < count; offset += 1) {
      const entry = this.#entries[(this.#cursor + offset) % count] as Entry<T>;
      if (!exclude.has(entry) && this.#eligible(entry)) candidates.push(entry);
    }
    if (candidates.length === 0) throw this.#noTargetError(exclude);
    let chosen = candidates[0] as Entry<T>;
    if (this.strategy === 'random') {
      const index = Math.floor(
        Math.min(Math.max(this.#random(), 0), 0.999_999_999) * candidates.length,
      );
      chosen = candidates[index] as Entry<T>;
    } else if (this.strategy === 'least-connections') {
      for (const entry of candidates) if (entry.inFlight < chosen.inFlight) chosen = entry;
    }
    this.#cursor = (this.#entries.indexOf(chosen) + 1) % count;
    return chosen;
  }

  #noTargetError(exclude: ReadonlySet<Entry<T>>): Error {
    const others = this.#entries.filter((entry) => !exclude.has(entry));
    if (this.#entries.length === 0) {
      return new McpConnectionError('The load balancer has no targets', { retryable: false });
    }
    const reasons = others.map((entry) => {
      if (this.#marked(entry))
        return `${entry.id} (${entry.reason === 'health-check' ? 'failed its health check' : 'marked unhealthy'})`;
      return `${entry.id} (circuit ${entry.breaker?.state ?? 'open'})`;
    });
    const openOnly =
      others.length > 0 && others.every((entry) => !this.#marked(entry) && entry.breaker);
    if (openOnly) {
      const retryAfterMs = Math.min(...others.map((entry) => entry.breaker?.retryAfterMs ?? 0));
      return new McpCircuitOpenError(
        `No target can take the call: every circuit is open: ${reasons.join(', ')}`,
        { retryAfterMs },
      );
    }
    return new McpConnectionError(
      `No healthy target among ${this.#entries.length}: ${reasons.join(', ')}`,
    );
  }
}

function parseOptionsError(field: string, expected: string, received: unknown) {
  return configError('MCPLoadBalancer options', [{ field, expected, received }]);
}
