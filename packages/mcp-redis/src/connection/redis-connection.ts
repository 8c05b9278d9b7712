// Connections to Redis for every store of this package: made from a URL (whose password
// never reaches an error, a log or JSON) or given by the application, with errors that fail
// fast instead of queueing while Redis is away.
import { McpConfigError, McpConnectionError } from '@tframex/mcp-api';
import { createClient, type RedisClientType } from 'redis';

/** A node-redis client (`createClient()` from `redis` 6). */
export type RedisClient = RedisClientType;

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url?: string;
  /** A client the application made (connected or not); it is not closed by this package. */
  client?: RedisClient;
  /** Gives up on connecting after this long (ms, default 5000). */
  connectTimeoutMs?: number;
  /** Fails a command Redis has not answered after this long (ms, default 5000). */
  commandTimeoutMs?: number;
}

/** `host:port` of a Redis URL, for messages: never the credentials. */
export function describeRedisUrl(url: string | undefined): string {
  if (!url) return 'redis';
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis (unparseable URL)';
  }
}

/** Owns (or borrows) the main client, and makes dedicated ones for blocking commands. */
export class RedisConnection {
  readonly #url: string | undefined;
  readonly #given: RedisClient | undefined;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #onError: (error: unknown) => void;
  #main: Promise<RedisClient> | undefined;
  readonly #owned = new Set<RedisClient>();
  readonly where: string;

  constructor(options: RedisConnectionOptions, onError: (error: unknown) => void) {
    if (!options.url && !options.client) {
      throw new McpConfigError('A Redis store needs a url or a client', {
        field: 'url',
        expected: 'redis://host:port, or client: createClient(...)',
      });
    }
    if (options.url) {
      try {
        const protocol = new URL(options.url).protocol;
        if (protocol !== 'redis:' && protocol !== 'rediss:') throw new Error(protocol);
      } catch {
        throw new McpConfigError('The Redis url must be redis://host:port or rediss://host:port', {
          field: 'url',
          expected: 'redis://host:port',
          received: '[redacted]',
        });
      }
    }
    this.#url = options.url;
    this.#given = options.client;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 5000;
    this.#onError = onError;
    this.where = describeRedisUrl(options.url);
  }

  /** The main connection (commands that do not block). */
  main(): Promise<RedisClient> {
    this.#main ??= this.#open(this.#given).catch((error: unknown) => {
      this.#main = undefined;
      throw error;
    });
    return this.#main;
  }

  /** A connection of its own, for a blocking reader; closed with `release` or `close`. */
  async dedicated(): Promise<RedisClient> {
    const main = await this.main();
    const client = main.duplicate() as RedisClient;
    return this.#open(client);
  }

  /** Closes a dedicated connection at once (a blocked command is abandoned). */
  release(client: RedisClient): void {
    this.#owned.delete(client);
    try {
      client.destroy();
    } catch {
      // already closed
    }
  }

  async close(): Promise<void> {
    const main = this.#main;
    this.#main = undefined;
    for (const client of [...this.#owned]) this.release(client);
    if (main && !this.#given) {
      const client = await main.catch(() => undefined);
      if (client) this.release(client);
    }
  }

  async #open(client: RedisClient | undefined): Promise<RedisClient> {
    // Reconnect after a lost connection, but fail the first connect at once: a wrong URL or a
    // Redis that is not there must not leave callers waiting.
    let everReady = false;
    const made =
      client ??
      (createClient({
        url: this.#url,
        disableOfflineQueue: true,
        commandOptions: { timeout: this.#commandTimeoutMs },
        socket: {
          connectTimeout: this.#connectTimeoutMs,
          reconnectStrategy: (retries: number, cause: Error) =>
            everReady ? Math.min(50 * 2 ** retries, 2000) : cause,
        },
      }) as RedisClient);
    made.once('ready', () => (everReady = true));
    if (made !== this.#given) {
      this.#owned.add(made);
      made.on('error', (error: unknown) => this.#onError(this.toError(error)));
    }
    if (made.isOpen) return made;
    try {
      await made.connect();
    } catch (error) {
      if (made !== this.#given) this.release(made);
      throw this.toError(error);
    }
    return made;
  }

  /** An McpConnectionError naming where Redis is (never its credentials). */
  toError(error: unknown): McpConnectionError {
    if (McpConnectionError.isInstance(error)) return error;
    const message = error instanceof Error ? error.message || error.name || 'error' : String(error);
    return new McpConnectionError(
      `Redis at ${this.where}: ${message.replaceAll(this.#url ?? '\u0000', '[redacted]')}`,
      {
        transport: 'redis',
      },
    );
  }

  toJSON(): unknown {
    return { where: this.where };
  }
}
