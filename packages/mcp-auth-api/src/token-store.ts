// TokenStore: where OAuth credentials live between requests and runs.
import type { TokenStoreLock, TokenStoreLockOptions } from './token-store-lock.js';

/** OAuth tokens as a store keeps them. */
export interface StoredTokens {
  accessToken: string;
  tokenType: string;
  /** Epoch milliseconds at which the access token expires, when known. */
  expiresAt?: number;
  refreshToken?: string;
  /** Space-separated granted scopes. */
  scope?: string;
  idToken?: string;
  /** Registered client credentials (dynamic registration), kept with the tokens. */
  client?: { clientId: string; clientSecret?: string; [key: string]: unknown };
}

/**
 * Persists tokens by key. Keys are opaque strings chosen by the plugin (issuer, client id
 * and resource), so one store can hold credentials for many servers.
 */
export interface TokenStore {
  get(key: string): Promise<StoredTokens | undefined>;
  set(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Takes the lease on `key` that a renewal of its tokens holds, waiting up to
   * `options.waitMs` for another holder; `undefined` when it stayed taken. A store shared by
   * several processes implements it so that one of them renews while the others wait and then
   * read what it stored. Without it, each holder renews on its own.
   */
  lock?(key: string, options: TokenStoreLockOptions): Promise<TokenStoreLock | undefined>;
}

interface Lease {
  readonly id: object;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Keeps tokens in memory for the life of the process: the default store. */
export class InMemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredTokens>();
  readonly #leases = new Map<string, Lease>();
  /** Wake-ups of callers waiting for a key's lease to end. */
  readonly #waiters = new Map<string, Set<() => void>>();

  async get(key: string): Promise<StoredTokens | undefined> {
    const tokens = this.#tokens.get(key);
    return tokens && structuredClone(tokens);
  }

  async set(key: string, tokens: StoredTokens): Promise<void> {
    this.#tokens.set(key, structuredClone(tokens));
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }

  /** An in-process lease: waiters are woken when it is released or expires. */
  async lock(key: string, options: TokenStoreLockOptions): Promise<TokenStoreLock | undefined> {
    const { signal } = options;
    signal?.throwIfAborted();
    const deadline = performance.now() + (options.waitMs ?? 0);
    for (;;) {
      if (!this.#leases.has(key)) return this.#acquire(key, options.ttlMs);
      const remaining = deadline - performance.now();
      if (remaining <= 0) return undefined;
      signal?.throwIfAborted();
      await this.#freed(key, remaining, signal);
    }
  }

  #acquire(key: string, ttlMs: number): TokenStoreLock {
    const id = {};
    const timer = setTimeout(() => this.#free(key, id), ttlMs);
    (timer as { unref?: () => void }).unref?.();
    this.#leases.set(key, { id, timer });
    return { release: async () => this.#free(key, id) };
  }

  #free(key: string, id: object): void {
    const lease = this.#leases.get(key);
    if (lease?.id !== id) return;
    clearTimeout(lease.timer);
    this.#leases.delete(key);
    for (const wake of [...(this.#waiters.get(key) ?? [])]) wake();
  }

  /** Resolves when the key's lease ends or `waitMs` passes; rejects when `signal` aborts. */
  #freed(key: string, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiters = this.#waiters.get(key) ?? new Set<() => void>();
      this.#waiters.set(key, waiters);
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        outcome();
      };
      const wake = () => settle(resolve);
      const aborted = () => settle(() => reject(signal!.reason));
      const timer = setTimeout(wake, waitMs);
      waiters.add(wake);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }
}
