// RedisCircuitStateStore: the McpCircuitStateStore on Redis, so that every process guarding a
// server shares one circuit: one that sees the server fail opens it for all, and exactly one
// holder at a time gets the half-open probe. Each operation is one atomic Lua script
// (EVALSHA) over a hash per key, on the Redis server's clock, with a TTL on every key it
// writes. While Redis cannot be reached, an operation fails at once with an
// McpConnectionError, or goes to the `fallback` store the application gave (reported through
// `onError`): it never waits for Redis to come back.
import type {
  McpCircuitRecord,
  McpCircuitStateStore,
  McpSharedCircuitState,
} from '@tframex/mcp-api';
import * as z from 'zod';
import { RedisConnection, type RedisConnectionOptions } from '../connection/redis-connection.js';
import { CIRCUIT_SCRIPT, CIRCUIT_SCRIPT_SHA } from './circuit-script.js';
import { evalScript, fallbackNotice, parseStoreOptions } from '../connection/store-support.js';

export interface RedisCircuitStateStoreOptions extends RedisConnectionOptions {
  /** Prepended to circuit keys (default `tframex:circuit:`). */
  keyPrefix?: string;
  /**
   * How long a circuit's hash lives after its last write (ms, default 3 600 000: an hour).
   * Keep it well above the breakers' `recoveryTimeoutMs`: an expired circuit reads closed.
   * A closed circuit with no failures is no key at all.
   */
  ttlMs?: number;
  /**
   * Where operations go while Redis cannot be reached (say a `MemoryCircuitStateStore` of
   * `@tframex/mcp-core`: a circuit of this process alone). Without one, such an operation
   * rejects with an `McpConnectionError`.
   */
  fallback?: McpCircuitStateStore;
  /** Told about connection errors and each operation that went to the fallback (default console.warn). */
  onError?: (error: unknown) => void;
  /** The clock, in epoch ms (default: the Redis server's, the same for every process). */
  now?: () => number;
}

const isStore = (v: unknown): v is McpCircuitStateStore =>
  typeof v === 'object' &&
  v !== null &&
  ['read', 'recordFailure', 'recordSuccess', 'acquireProbe'].every(
    (name) => typeof (v as Record<string, unknown>)[name] === 'function',
  );

const optionsSchema = z.object({
  url: z.string().optional(),
  client: z.unknown().optional(),
  connectTimeoutMs: z.number().positive().optional(),
  commandTimeoutMs: z.number().positive().optional(),
  keyPrefix: z.string().optional(),
  ttlMs: z.number().int().positive().optional(),
  fallback: z
    .custom<McpCircuitStateStore>(
      isStore,
      'an McpCircuitStateStore (read, recordFailure, recordSuccess, acquireProbe)',
    )
    .optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
});

const keySchema = z.string().min(1);
const failureSchema = z.object({ threshold: z.number().int().positive() });
const probeSchema = z.object({
  holder: z.string().min(1),
  recoveryMs: z.number().nonnegative().finite(),
  leaseMs: z.number().positive().finite(),
});

export class RedisCircuitStateStore implements McpCircuitStateStore {
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;
  readonly #ttlMs: number;
  readonly #fallback: McpCircuitStateStore | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #now: (() => number) | undefined;

  constructor(options: RedisCircuitStateStoreOptions) {
    const parsed = parseStoreOptions(
      optionsSchema,
      options ?? {},
      'RedisCircuitStateStore options',
    );
    this.#onError =
      parsed.onError ?? ((error) => console.warn('RedisCircuitStateStore:', String(error)));
    this.#connection = new RedisConnection(options, (error) => this.#report(error));
    this.#keyPrefix = parsed.keyPrefix ?? 'tframex:circuit:';
    this.#ttlMs = parsed.ttlMs ?? 3_600_000;
    this.#fallback = parsed.fallback;
    this.#now = parsed.now;
  }

  /** The Redis key of a circuit. */
  keyOf(key: string): string {
    return `${this.#keyPrefix}${key}`;
  }

  async read(key: string): Promise<McpCircuitRecord> {
    return this.#record(key, ['read'], (store) => store.read(key));
  }

  async recordFailure(key: string, options: { threshold: number }): Promise<McpCircuitRecord> {
    const { threshold } = parseStoreOptions(failureSchema, options, 'circuit recordFailure');
    return this.#record(key, ['failure', String(threshold)], (store) =>
      store.recordFailure(key, options),
    );
  }

  async recordSuccess(key: string): Promise<McpCircuitRecord> {
    return this.#record(key, ['success'], (store) => store.recordSuccess(key));
  }

  async acquireProbe(
    key: string,
    options: { holder: string; recoveryMs: number; leaseMs: number },
  ): Promise<boolean> {
    const probe = parseStoreOptions(probeSchema, options, 'circuit acquireProbe');
    const args = [
      'probe',
      probe.holder,
      String(Math.ceil(probe.recoveryMs)),
      String(Math.ceil(probe.leaseMs)),
    ];
    return this.#attempt(
      key,
      args,
      (reply) => Number(reply) === 1,
      (store) => store.acquireProbe(key, options),
    );
  }

  async releaseProbe(key: string, holder: string): Promise<void> {
    parseStoreOptions(keySchema, holder, 'circuit releaseProbe holder');
    await this.#attempt(
      key,
      ['release', holder],
      () => undefined,
      async (store) => {
        await store.releaseProbe?.(key, holder);
      },
    );
  }

  /** Closes the connection this store made (a client given to it stays open). */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  toJSON(): unknown {
    return { store: 'RedisCircuitStateStore', ...(this.#connection.toJSON() as object) };
  }

  #record(
    key: string,
    args: string[],
    fallback: (store: McpCircuitStateStore) => Promise<McpCircuitRecord>,
  ): Promise<McpCircuitRecord> {
    return this.#attempt(key, args, toRecord, fallback);
  }

  /** Runs the script, or the same operation on the fallback store while Redis is away. */
  async #attempt<T>(
    key: string,
    args: string[],
    decode: (reply: unknown) => T,
    fallback: (store: McpCircuitStateStore) => Promise<T>,
  ): Promise<T> {
    parseStoreOptions(keySchema, key, 'circuit key');
    let reply: unknown;
    try {
      reply = await this.#run(key, args);
    } catch (error) {
      if (!this.#fallback) throw error;
      this.#report(fallbackNotice('RedisCircuitStateStore', error, args[0]!));
      return fallback(this.#fallback);
    }
    return decode(reply);
  }

  /** One EVALSHA (and, once after Redis lost its scripts, one EVAL). */
  async #run(key: string, [op, ...rest]: string[]): Promise<unknown> {
    const now = this.#now ? String(this.#now()) : '';
    const tail = ['1', this.keyOf(key), op!, now, String(this.#ttlMs), ...rest];
    try {
      const client = await this.#connection.main();
      return await evalScript(client, { source: CIRCUIT_SCRIPT, sha: CIRCUIT_SCRIPT_SHA }, tail);
    } catch (error) {
      throw this.#connection.toError(error);
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // a throwing onError must not break an operation
    }
  }
}

function toRecord(reply: unknown): McpCircuitRecord {
  const [state, failures, openedAtMs] = reply as [McpSharedCircuitState, string, string];
  return {
    state,
    failures: Number(failures),
    ...(openedAtMs !== '' ? { openedAtMs: Number(openedAtMs) } : {}),
  };
}
