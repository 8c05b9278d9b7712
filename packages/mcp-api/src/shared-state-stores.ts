// Stores for state that several clients (and processes) share: a rate-limit bucket, circuit
// state and cached responses. Small and async, so an implementation can live in a real
// engine (Redis) and make each operation one atomic round trip; in-process defaults keep the
// behaviour of a single process.

/** What `take` asks of a token bucket. */
export interface McpRateLimitTake {
  /** Bucket size (burst). */
  capacity: number;
  /** Tokens added per millisecond (sustained rate). */
  refillPerMs: number;
  /** Tokens to take (default 1). */
  tokens?: number;
}

/** The answer of `take`. */
export interface McpRateLimitGrant {
  granted: boolean;
  /** Tokens left after this take. */
  remaining: number;
  /** When refused: how long until `tokens` are there (or the pause ends). */
  retryAfterMs: number;
}

/** Token buckets by key; `take` is atomic (one bucket, many processes). */
export interface McpRateLimitStore {
  take(key: string, request: McpRateLimitTake): Promise<McpRateLimitGrant>;
  /** Pauses the bucket for `forMs` (a server's 429 `Retry-After`), for every taker. */
  pause(key: string, forMs: number): Promise<void>;
}

export type McpSharedCircuitState = 'closed' | 'open' | 'half-open';

/** Circuit state as a store keeps it. */
export interface McpCircuitRecord {
  state: McpSharedCircuitState;
  /** Consecutive failures counted while closed. */
  failures: number;
  /** When it opened (epoch ms), while open or half-open. */
  openedAtMs?: number;
}

/** Circuit state by key; every method is atomic. */
export interface McpCircuitStateStore {
  read(key: string): Promise<McpCircuitRecord>;
  /** Counts a failure; opens the circuit at `threshold` (or at once while half-open). */
  recordFailure(key: string, options: { threshold: number }): Promise<McpCircuitRecord>;
  /** Counts a success: closes the circuit and clears the failures. */
  recordSuccess(key: string): Promise<McpCircuitRecord>;
  /**
   * Takes the half-open probe for `holder` for `leaseMs` once the circuit has been open for
   * `recoveryMs`: true for exactly one holder at a time (the lease expires if it crashes).
   */
  acquireProbe(
    key: string,
    options: { holder: string; recoveryMs: number; leaseMs: number },
  ): Promise<boolean>;
  /**
   * Gives `holder`'s probe lease back before it expires (its call was cancelled, which says
   * nothing about the server), so another holder may probe at once; the circuit stays
   * half-open. Optional: without it the lease runs out.
   */
  releaseProbe?(key: string, holder: string): Promise<void>;
}

/** A cached response as a cache store keeps it (value: JSON text, possibly encrypted). */
export interface McpCacheEntry {
  value: string;
  /** Epoch ms after which the entry is stale. */
  expiresAt: number;
}

/** How `set` files an entry. */
export interface McpCacheSetOptions {
  /**
   * The group the entry belongs to (`cachingMiddleware`: one per server and method), so that
   * `deleteGroup` can drop it later, from any process sharing the store.
   */
  group?: string;
}

/**
 * Cached responses by key (what `cachingMiddleware` stores). A store that implements
 * `deleteGroup` keeps the groups given to `set` itself; without it, a user of the store can
 * only forget the keys it wrote.
 */
export interface McpCacheStore {
  get(key: string): Promise<McpCacheEntry | undefined> | McpCacheEntry | undefined;
  set(key: string, entry: McpCacheEntry, options?: McpCacheSetOptions): Promise<void> | void;
  delete(key: string): Promise<void> | void;
  /** Drops every entry set with `group` (atomically, for every user of the store). */
  deleteGroup?(group: string): Promise<void> | void;
  clear(): Promise<void> | void;
}
