// RedisStreamBus: the StreamBus on Redis Streams. A topic is a stream (XADD with an
// approximate MAXLEN), a consumer group is a Redis consumer group (XREADGROUP, XACK), and
// what a dead member left behind is taken over after `claimIdleMs` (XAUTOCLAIM) or read again
// by the same member when it restarts.
import {
  McpConfigError,
  type JsonValue,
  type StreamBus,
  type StreamBusConsumeOptions,
  type StreamBusConsumer,
  type StreamBusHandler,
} from '@tframex/mcp-api';
import * as z from 'zod';
import { RedisConnection, type RedisConnectionOptions } from '../connection/redis-connection.js';
import { parseStoreOptions } from '../connection/store-support.js';
import { RedisStreamConsumer } from './redis-stream-consumer.js';
import { PAYLOAD_FIELD } from './stream-entries.js';

export interface RedisStreamBusOptions extends RedisConnectionOptions {
  /** Prepended to topic names to make stream keys (default `tframex:stream:`). */
  keyPrefix?: string;
  /** Entries a stream keeps, approximately (`MAXLEN ~`, default 10 000). */
  maxLen?: number;
  /** How long one blocking read waits for new entries (ms, default 2000). */
  blockMs?: number;
  /** Default for consumers: take over entries idle this long (ms, default 30 000). */
  claimIdleMs?: number;
  /** Entries fetched per read (default 100). */
  batchSize?: number;
  /** Told about connection errors and entries that could not be read (default console.warn). */
  onError?: (error: unknown) => void;
}

const positiveInt = z.number().int().positive();
const optionsSchema = z.object({
  url: z.string().optional(),
  client: z.unknown().optional(),
  connectTimeoutMs: z.number().positive().optional(),
  commandTimeoutMs: z.number().positive().optional(),
  keyPrefix: z.string().optional(),
  maxLen: positiveInt.optional(),
  blockMs: positiveInt.optional(),
  claimIdleMs: z.number().nonnegative().optional(),
  batchSize: positiveInt.optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
});

const consumeSchema = z.object({
  group: z.string().min(1),
  consumer: z.string().min(1),
  startAt: z.enum(['new', 'start']).optional(),
  claimIdleMs: z.number().nonnegative().optional(),
  maxInFlight: positiveInt.optional(),
  signal: z.instanceof(AbortSignal).optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
});

export class RedisStreamBus implements StreamBus {
  readonly #connection: RedisConnection;
  readonly #keyPrefix: string;
  readonly #maxLen: number;
  readonly #blockMs: number;
  readonly #claimIdleMs: number;
  readonly #batchSize: number;
  readonly #onError: (error: unknown) => void;
  readonly #consumers = new Set<RedisStreamConsumer>();
  #closed = false;

  constructor(options: RedisStreamBusOptions) {
    const parsed = parseStoreOptions(optionsSchema, options, 'RedisStreamBus options');
    this.#onError = parsed.onError ?? ((error) => console.warn('RedisStreamBus:', String(error)));
    this.#connection = new RedisConnection(options, (error) => this.#onError(error));
    this.#keyPrefix = parsed.keyPrefix ?? 'tframex:stream:';
    this.#maxLen = parsed.maxLen ?? 10_000;
    this.#blockMs = parsed.blockMs ?? 2000;
    this.#claimIdleMs = parsed.claimIdleMs ?? 30_000;
    this.#batchSize = parsed.batchSize ?? 100;
  }

  /** The Redis key of a topic. */
  keyOf(topic: string): string {
    return `${this.#keyPrefix}${topic}`;
  }

  async publish(topic: string, payload: JsonValue): Promise<string> {
    this.#assertOpen();
    const client = await this.#connection.main();
    try {
      const id = await client.sendCommand([
        'XADD',
        this.keyOf(topic),
        'MAXLEN',
        '~',
        String(this.#maxLen),
        '*',
        PAYLOAD_FIELD,
        JSON.stringify(payload),
      ]);
      return String(id);
    } catch (error) {
      throw this.#connection.toError(error);
    }
  }

  async consume(
    topic: string,
    options: StreamBusConsumeOptions,
    handler: StreamBusHandler,
  ): Promise<StreamBusConsumer> {
    this.#assertOpen();
    const parsed = parseStoreOptions(consumeSchema, options, 'consume options');
    if (typeof handler !== 'function') {
      throw new McpConfigError('consume() needs a handler function', {
        field: 'handler',
        expected: 'a function (entry) => void | Promise<void>',
      });
    }
    const key = this.keyOf(topic);
    const startAt = parsed.startAt ?? 'new';
    await RedisStreamConsumer.ensureGroup(
      await this.#connection.main(),
      key,
      parsed.group,
      startAt,
    );
    const consumer = new RedisStreamConsumer({
      connection: this.#connection,
      key,
      group: parsed.group,
      consumer: parsed.consumer,
      startAt,
      claimIdleMs: parsed.claimIdleMs ?? this.#claimIdleMs,
      maxInFlight: parsed.maxInFlight ?? 1000,
      batchSize: this.#batchSize,
      blockMs: this.#blockMs,
      handler,
      onError: parsed.onError ?? this.#onError,
      signal: parsed.signal,
    });
    this.#consumers.add(consumer);
    void consumer.stopped.then(() => this.#consumers.delete(consumer));
    return consumer;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
    await this.#connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toJSON(): unknown {
    return { type: 'RedisStreamBus', redis: this.#connection.where };
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new McpConfigError('This RedisStreamBus is closed', {
        field: 'bus',
        expected: 'an open bus',
      });
    }
  }
}
