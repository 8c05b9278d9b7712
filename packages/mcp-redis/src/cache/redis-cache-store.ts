// RedisCacheStore: the McpCacheStore on Redis, so that every process caching MCP responses
// (cachingMiddleware of @tframex/mcp-core) shares one cache, and a group dropped by one process
// (a list_changed) is gone for all. A cache must never stand in the way of a call: while Redis
// cannot be reached, a get is a miss and a set or delete is dropped, each reported through
// `onError`, and nothing is thrown or waited for beyond the command timeout.
import {
  McpConfigError,
  McpConnectionError,
  McpSecurityError,
  type McpCacheEntry,
  type McpCacheSetOptions,
  type McpCacheStore,
} from '@tframex/mcp-api';
import { createHash } from 'node:crypto';
import { ErrorReply } from 'redis';
import * as z from 'zod';
import { RedisConnection, type RedisConnectionOptions } from '../connection/redis-connection.js';
import { evalScript } from '../connection/store-support.js';
import {
  CLEAR_PREFIX,
  DELETE_GROUP,
  prefixPattern,
  SET_ENTRY,
  type CacheScript,
} from './cache-scripts.js';

export interface RedisCacheStoreOptions extends RedisConnectionOptions {
  /** Prepended to every key this store writes (default `tframex:cache:`); `clear` drops only these. */
  keyPrefix?: string;
  /**
   * Largest value stored, in bytes of UTF-8 (default 1 MiB). A larger one is not stored: the
   * set is skipped and reported to `onError` as an `McpSecurityError` (rule `response-size`),
   * and the response still reaches its caller.
   */
  maxValueBytes?: number;
  /**
   * After Redis failed to answer, how long to treat it as away before trying again (ms,
   * default 1000): meanwhile gets are misses and writes are dropped at once, unreported.
   */
  recheckAfterMs?: number;
  /**
   * After `deleteGroup`, writes to that group are refused for this long (ms, default 2000), so
   * an answer fetched before the list changed and arriving after the drop cannot bring the old
   * list back; the cost is a few more misses right after a change. 0 turns the guard off.
   */
  groupDropGuardMs?: number;
  /** Told when Redis cannot be reached and when a set is skipped (default console.warn). */
  onError?: (error: unknown) => void;
}

const optionsSchema = z.object({
  url: z.string().optional(),
  client: z.unknown().optional(),
  connectTimeoutMs: z.number().positive().optional(),
  commandTimeoutMs: z.number().positive().optional(),
  keyPrefix: z.string().optional(),
  maxValueBytes: z.number().int().positive().optional(),
  recheckAfterMs: z.number().nonnegative().finite().optional(),
  groupDropGuardMs: z.number().int().nonnegative().optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What the store does instead when Redis cannot be reached, by operation (for reports). */
const INSTEAD: Record<string, string> = {
  get: 'was a miss',
  set: 'was dropped',
  delete: 'was dropped',
  deleteGroup: 'was dropped (entries of the group stay until they expire)',
  clear: 'was dropped',
};

export class RedisCacheStore implements McpCacheStore {
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;
  readonly #maxValueBytes: number;
  readonly #recheckAfterMs: number;
  readonly #groupDropGuardMs: number;
  readonly #onError: (error: unknown) => void;
  /** Until when (epoch ms) Redis counts as away. */
  #awayUntil = 0;
  #closed = false;

  constructor(options: RedisCacheStoreOptions) {
    const parsed = optionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.') || 'options';
      throw new McpConfigError(`Invalid RedisCacheStore options ${field}: ${issue.message}`, {
        field,
        expected: issue.message,
      });
    }
    this.#onError =
      parsed.data.onError ?? ((error) => console.warn('RedisCacheStore:', String(error)));
    // A cache answers fast or not at all: shorter waits than the other stores by default. The
    // client's own error events (reconnect attempts) are not reported: each operation that
    // Redis failed is, once per `recheckAfterMs`.
    this.#connection = new RedisConnection(
      { connectTimeoutMs: 1000, commandTimeoutMs: 1000, ...options },
      () => undefined,
    );
    this.#keyPrefix = parsed.data.keyPrefix ?? 'tframex:cache:';
    this.#maxValueBytes = parsed.data.maxValueBytes ?? 1024 * 1024;
    this.#recheckAfterMs = parsed.data.recheckAfterMs ?? 1000;
    this.#groupDropGuardMs = parsed.data.groupDropGuardMs ?? 2000;
  }

  /**
   * The Redis key of an entry: the prefix and a SHA-256 of the cache key, so the request
   * parameters a key is made of (a URI, tool arguments) are not kept in plain text.
   */
  entryKeyOf(key: string): string {
    return `${this.#keyPrefix}entry:${sha256(key)}`;
  }

  /** The Redis key of a group (a sorted set of entry keys). */
  groupKeyOf(group: string): string {
    return `${this.#keyPrefix}group:${sha256(group)}`;
  }

  /** The Redis key that refuses writes to a group just dropped (see `groupDropGuardMs`). */
  #guardKeyOf(group: string): string {
    return `${this.#keyPrefix}dropped:${sha256(group)}`;
  }

  async get(key: string): Promise<McpCacheEntry | undefined> {
    const reply = await this.#command('get', ['HMGET', this.entryKeyOf(key), 'v', 'e']);
    if (!Array.isArray(reply)) return undefined;
    const [value, expiresAt] = reply as [unknown, unknown];
    if (typeof value !== 'string' || !Number.isFinite(Number(expiresAt))) return undefined;
    return { value, expiresAt: Number(expiresAt) };
  }

  async set(key: string, entry: McpCacheEntry, options: McpCacheSetOptions = {}): Promise<void> {
    if (typeof entry?.value !== 'string' || !Number.isFinite(entry.expiresAt)) {
      this.#report(
        new McpConfigError('RedisCacheStore: set skipped, the entry is not { value, expiresAt }', {
          field: 'entry',
          expected: '{ value: string, expiresAt: epoch ms }',
        }),
      );
      return;
    }
    const bytes = Buffer.byteLength(entry.value, 'utf8');
    if (bytes > this.#maxValueBytes) {
      this.#report(
        new McpSecurityError(
          `RedisCacheStore: set skipped, the value has ${bytes} bytes (maxValueBytes ${this.#maxValueBytes})`,
          { rule: 'response-size' },
        ),
      );
      return;
    }
    const keys = [this.entryKeyOf(key)];
    if (options.group !== undefined)
      keys.push(this.groupKeyOf(options.group), this.#guardKeyOf(options.group));
    await this.#script('set', SET_ENTRY, keys, [entry.value, String(Math.ceil(entry.expiresAt))]);
  }

  async delete(key: string): Promise<void> {
    await this.#command('delete', ['UNLINK', this.entryKeyOf(key)]);
  }

  /**
   * Drops every entry set with `group`, and the group, in one atomic script; writes to the
   * group are then refused for `groupDropGuardMs`.
   */
  async deleteGroup(group: string): Promise<void> {
    const keys = [this.groupKeyOf(group), this.#guardKeyOf(group)];
    await this.#script('deleteGroup', DELETE_GROUP, keys, [String(this.#groupDropGuardMs)]);
  }

  /** Drops every key under this store's prefix (SCAN, in one atomic script); nothing else. */
  async clear(): Promise<void> {
    await this.#script('clear', CLEAR_PREFIX, [], [prefixPattern(this.#keyPrefix)]);
  }

  /**
   * Closes the connection this store made (a client given to it stays open). Afterwards every
   * get is a miss and every write is dropped, quietly: a closed store opens no connection.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#connection.close();
  }

  toJSON(): unknown {
    return {
      store: 'RedisCacheStore',
      ...(this.#connection.toJSON() as object),
      keyPrefix: this.#keyPrefix,
    };
  }

  /** One EVALSHA (and, once after Redis lost its scripts, one EVAL). */
  #script(op: string, script: CacheScript, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    return this.#attempt(op, (client) => evalScript(client, script, tail));
  }

  #command(op: string, command: string[]): Promise<unknown> {
    return this.#attempt(op, (client) => client.sendCommand(command));
  }

  /** Runs `use` on Redis; resolves undefined (reported) instead of failing. */
  async #attempt(
    op: string,
    use: (client: Awaited<ReturnType<RedisConnection['main']>>) => Promise<unknown>,
  ): Promise<unknown> {
    if (this.#closed || Date.now() < this.#awayUntil) return undefined;
    try {
      return await use(await this.#connection.main());
    } catch (error) {
      if (this.#closed) return undefined; // closed meanwhile: nothing to report
      const cause = this.#connection.toError(error);
      // Redis answered with an error (say, out of memory): this operation failed, not Redis.
      const away = !(error instanceof ErrorReply);
      if (away) this.#awayUntil = Date.now() + this.#recheckAfterMs;
      const why = away ? `; Redis is treated as away for ${this.#recheckAfterMs} ms` : '';
      this.#report(
        new McpConnectionError(
          `RedisCacheStore: ${op} ${INSTEAD[op] ?? 'was dropped'}${why} (${cause.message})`,
          { transport: 'redis', cause },
        ),
      );
      return undefined;
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // a throwing onError must not break a cached call
    }
  }
}
