// RedisTokenStore: the TokenStore of @tframex/mcp-auth-api on Redis, so that every process of
// an application uses one set of OAuth tokens, and (through `lock`) one process at a time
// renews them. One string per key (JSON, or AES-256-GCM with an encryptionKey) with a TTL;
// a lock is `SET NX PX` with a random token, released by a compare-and-delete script that
// announces the release to waiters (pub/sub; they poll with backoff besides). Redis
// out of reach fails each call at once with an McpConnectionError: never an empty answer.
import type {
  StoredTokens,
  TokenStore,
  TokenStoreLock,
  TokenStoreLockOptions,
} from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { RedisConnection, type RedisClient } from '../connection/redis-connection.js';
import {
  parseRedisTokenStoreOptions,
  type RedisTokenStoreOptions,
} from './redis-token-store-options.js';
import { LockReleases } from './lock-releases.js';
import { RELEASE_LOCK_SCRIPT, RELEASE_LOCK_SCRIPT_SHA } from './token-lock-script.js';
import { evalScript } from '../connection/store-support.js';
import { openTokens, sealTokens } from './token-sealing.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_POLL_MS = 250;

export class RedisTokenStore implements TokenStore {
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;
  readonly #encryptionKey: Buffer | undefined;
  readonly #retainMs: number;
  readonly #expiryGraceMs: number;
  readonly #lockPollMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  readonly #releases: LockReleases;

  constructor(options: RedisTokenStoreOptions) {
    const parsed = parseRedisTokenStoreOptions(options);
    this.#onError = parsed.onError ?? ((error) => console.warn('RedisTokenStore:', String(error)));
    this.#connection = new RedisConnection(options, (error) => this.#report(error));
    this.#keyPrefix = parsed.keyPrefix ?? 'tframex:oauth:';
    this.#encryptionKey = parsed.encryptionKey ? Buffer.from(parsed.encryptionKey) : undefined;
    this.#retainMs = parsed.retainMs ?? 30 * DAY_MS;
    this.#expiryGraceMs = parsed.expiryGraceMs ?? 5 * 60_000;
    this.#lockPollMs = parsed.lockPollMs ?? 10;
    this.#now = parsed.now ?? Date.now;
    this.#releases = new LockReleases(this.#connection, `${this.#keyPrefix}released`, (error) =>
      this.#report(error),
    );
  }

  /** The Redis key a token set is kept under. */
  keyOf(key: string): string {
    return `${this.#keyPrefix}token:${key}`;
  }

  /** The Redis key of the renewal lock of `key`. */
  lockKeyOf(key: string): string {
    return `${this.#keyPrefix}lock:${key}`;
  }

  async get(key: string): Promise<StoredTokens | undefined> {
    const redisKey = this.keyOf(key);
    const value = await this.#run((client) => client.get(redisKey));
    if (value === null || value === undefined) return undefined;
    return openTokens(String(value), redisKey, this.#encryptionKey);
  }

  async set(key: string, tokens: StoredTokens): Promise<void> {
    const redisKey = this.keyOf(key);
    const value = sealTokens(tokens, redisKey, this.#encryptionKey);
    const ttlMs = this.#ttlOf(tokens);
    await this.#run((client) => client.set(redisKey, value, { PX: ttlMs }));
  }

  async delete(key: string): Promise<void> {
    const redisKey = this.keyOf(key);
    await this.#run((client) => client.del(redisKey));
  }

  /**
   * A lease on `key` across every process on this Redis: `SET NX PX ttlMs` with a random
   * token. A taken key is tried again when its holder announces the release, or at the latest
   * after a backoff (10 ms doubling to 250 ms, jittered: a lapsed lease is not announced), for
   * up to `waitMs`.
   */
  async lock(key: string, options: TokenStoreLockOptions): Promise<TokenStoreLock | undefined> {
    const { ttlMs, signal } = options;
    if (!Number.isFinite(ttlMs) || ttlMs < 1) {
      throw new McpConfigError('Invalid lock ttlMs: a number of milliseconds >= 1', {
        field: 'ttlMs',
        expected: 'a number of milliseconds >= 1',
      });
    }
    signal?.throwIfAborted();
    const lockKey = this.lockKeyOf(key);
    const token = randomBytes(16).toString('hex');
    const deadline = performance.now() + (options.waitMs ?? 0);
    const attempt = async () => {
      const taken = await this.#run((client) =>
        client.set(lockKey, token, { NX: true, PX: Math.ceil(ttlMs) }),
      );
      return taken === 'OK' ? { release: () => this.#release(lockKey, token) } : undefined;
    };
    const first = await attempt();
    if (first || (options.waitMs ?? 0) <= 0) return first;
    // Taken: listen for releases (once per store) before trying again.
    const announced = await this.#releases.ready();
    let pollMs = this.#lockPollMs;
    for (;;) {
      const watch = announced ? this.#releases.watch(lockKey) : undefined;
      try {
        const lock = await attempt();
        if (lock) return lock;
        const remaining = deadline - performance.now();
        if (remaining <= 0) return undefined;
        const jittered = pollMs / 2 + Math.random() * (pollMs / 2);
        await pause(Math.min(jittered, remaining), signal, watch?.released);
        pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
      } finally {
        watch?.cancel();
      }
    }
  }

  /** Closes the connection this store made (a client given to it stays open). */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  toJSON(): unknown {
    return {
      store: 'RedisTokenStore',
      ...(this.#connection.toJSON() as object),
      keyPrefix: this.#keyPrefix,
      encryptionKey: this.#encryptionKey ? '[redacted]' : undefined,
    };
  }

  [inspect.custom](): string {
    return `RedisTokenStore ${JSON.stringify(this.toJSON())}`;
  }

  async #release(lockKey: string, token: string): Promise<void> {
    await this.#run(async (client) => {
      const args = ['1', lockKey, token, this.#releases.channel];
      return await evalScript(
        client,
        { source: RELEASE_LOCK_SCRIPT, sha: RELEASE_LOCK_SCRIPT_SHA },
        args,
      );
    });
  }

  /** Entries that must outlive the access token are retained; others end after its expiry. */
  #ttlOf(tokens: StoredTokens): number {
    const accessMs =
      tokens.expiresAt === undefined
        ? this.#retainMs
        : tokens.expiresAt - this.#now() + this.#expiryGraceMs;
    const longLived =
      tokens.refreshToken !== undefined ||
      tokens.client !== undefined ||
      tokens.expiresAt === undefined;
    return Math.max(1000, Math.ceil(longLived ? Math.max(accessMs, this.#retainMs) : accessMs));
  }

  /** One command on the main connection; any failure is an McpConnectionError, reported. */
  async #run<T>(command: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await command(await this.#connection.main());
    } catch (error) {
      const failure = this.#connection.toError(error);
      this.#report(failure);
      throw failure;
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // a throwing onError must not break a token read
    }
  }
}

/** Waits `ms` or until `early` resolves; rejects with the signal's reason when it aborts. */
function pause(
  ms: number,
  signal: AbortSignal | undefined,
  early: Promise<void> | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    const aborted = () => {
      done();
      reject(signal!.reason);
    };
    void early?.then(() => {
      done();
      resolve();
    });
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}
