// RedisRateLimitStore: the McpRateLimitStore on Redis, so that every process taking from a
// bucket shares one budget. Each take is one atomic Lua script (EVALSHA) over a hash per key,
// on the Redis server's clock, with a TTL on every key it writes. While Redis cannot be
// reached, a take fails at once with an McpConnectionError, or goes to the `fallback` store
// the application gave (reported through `onError`): it never waits and never grants freely.
import {
  McpConfigError,
  type McpRateLimitGrant,
  type McpRateLimitStore,
  type McpRateLimitTake,
} from '@tframex/mcp-api';
import * as z from 'zod';
import { RedisConnection, type RedisConnectionOptions } from '../connection/redis-connection.js';
import { RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA } from './rate-limit-script.js';
import { evalScript, fallbackNotice, parseStoreOptions } from '../connection/store-support.js';

export interface RedisRateLimitStoreOptions extends RedisConnectionOptions {
  /** Prepended to bucket keys (default `tframex:ratelimit:`). */
  keyPrefix?: string;
  /**
   * Where takes go while Redis cannot be reached (say a `MemoryRateLimitStore` of
   * `@tframex/mcp-core`: local limits). Without one, such a take rejects with an
   * `McpConnectionError`.
   */
  fallback?: McpRateLimitStore;
  /** Told about connection errors and each take that went to the fallback (default console.warn). */
  onError?: (error: unknown) => void;
  /** The clock, in epoch ms (default: the Redis server's, the same for every process). */
  now?: () => number;
}

const optionsSchema = z.object({
  url: z.string().optional(),
  client: z.unknown().optional(),
  connectTimeoutMs: z.number().positive().optional(),
  commandTimeoutMs: z.number().positive().optional(),
  keyPrefix: z.string().optional(),
  fallback: z
    .custom<McpRateLimitStore>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as McpRateLimitStore).take === 'function' &&
        typeof (v as McpRateLimitStore).pause === 'function',
      'an McpRateLimitStore (take, pause)',
    )
    .optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
});

const takeSchema = z.object({
  capacity: z.number().positive().finite(),
  refillPerMs: z.number().positive().finite(),
  tokens: z.number().positive().finite().optional(),
});

export class RedisRateLimitStore implements McpRateLimitStore {
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;
  readonly #fallback: McpRateLimitStore | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #now: (() => number) | undefined;

  constructor(options: RedisRateLimitStoreOptions) {
    const parsed = parseStoreOptions(optionsSchema, options, 'RedisRateLimitStore options');
    this.#onError =
      parsed.onError ?? ((error) => console.warn('RedisRateLimitStore:', String(error)));
    this.#connection = new RedisConnection(options, (error) => this.#report(error));
    this.#keyPrefix = parsed.keyPrefix ?? 'tframex:ratelimit:';
    this.#fallback = parsed.fallback;
    this.#now = parsed.now;
  }

  /** The Redis key of a bucket. */
  keyOf(key: string): string {
    return `${this.#keyPrefix}${key}`;
  }

  async take(key: string, request: McpRateLimitTake): Promise<McpRateLimitGrant> {
    const take = parseStoreOptions(takeSchema, request, 'rate-limit take');
    const tokens = take.tokens ?? 1;
    const args = ['take', String(take.capacity), String(take.refillPerMs), String(tokens)];
    let reply: unknown;
    try {
      reply = await this.#run(key, args);
    } catch (error) {
      if (!this.#fallback) throw error;
      this.#report(fallbackNotice('RedisRateLimitStore', error, 'take'));
      return this.#fallback.take(key, request);
    }
    const [granted, remaining, retryAfterMs] = reply as [number, string, string];
    return {
      granted: Number(granted) === 1,
      remaining: Number(remaining),
      retryAfterMs: Number(retryAfterMs),
    };
  }

  async pause(key: string, forMs: number): Promise<void> {
    if (!Number.isFinite(forMs) || forMs < 0) {
      throw new McpConfigError('Invalid rate-limit pause forMs: a number >= 0', {
        field: 'forMs',
        expected: 'a number >= 0',
      });
    }
    try {
      await this.#run(key, ['pause', String(Math.ceil(forMs))]);
    } catch (error) {
      if (!this.#fallback) throw error;
      this.#report(fallbackNotice('RedisRateLimitStore', error, 'pause'));
      await this.#fallback.pause(key, forMs);
    }
  }

  /** Closes the connection this store made (a client given to it stays open). */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  toJSON(): unknown {
    return { store: 'RedisRateLimitStore', ...(this.#connection.toJSON() as object) };
  }

  /** One EVALSHA (and, once after Redis lost its scripts, one EVAL). */
  async #run(key: string, [op, ...rest]: string[]): Promise<unknown> {
    const now = this.#now ? String(this.#now()) : '';
    const tail = ['1', this.keyOf(key), op!, now, ...rest];
    try {
      const client = await this.#connection.main();
      return await evalScript(
        client,
        { source: RATE_LIMIT_SCRIPT, sha: RATE_LIMIT_SCRIPT_SHA },
        tail,
      );
    } catch (error) {
      throw this.#connection.toError(error);
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // a throwing onError must not break a take
    }
  }
}
