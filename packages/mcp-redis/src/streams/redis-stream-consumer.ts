// One member of a consumer group on a Redis stream: first what it had received and not
// acknowledged before (a restart), then what other members left idle too long (XAUTOCLAIM),
// then new entries (XREADGROUP ... BLOCK), at most `maxInFlight` at a time; XACK when the
// handler resolves. A lost connection or a Redis restart is reported and survived.
import type { StreamBusConsumer, StreamBusEntry, StreamBusHandler } from '@tframex/mcp-api';
import type { RedisClient, RedisConnection } from '../connection/redis-connection.js';
import { entriesOfAutoClaim, entriesOfRead, type RawEntry } from './stream-entries.js';

export interface RedisStreamConsumerInit {
  connection: RedisConnection;
  key: string;
  group: string;
  consumer: string;
  startAt: 'new' | 'start';
  claimIdleMs: number;
  maxInFlight: number;
  batchSize: number;
  blockMs: number;
  handler: StreamBusHandler;
  onError: (error: unknown) => void;
  signal: AbortSignal | undefined;
}

const isNoGroup = (error: unknown) => /NOGROUP/.test(String(error));

export class RedisStreamConsumer implements StreamBusConsumer {
  readonly stopped: Promise<void>;
  readonly #init: RedisStreamConsumerInit;
  readonly #abort = new AbortController();
  #reader: RedisClient | undefined;
  #inFlight = 0;
  /** Ids handed to the handler and not settled: a claim of one of them is not a new delivery. */
  readonly #inFlightIds = new Set<string>();
  #room: (() => void) | undefined;
  #acks: string[] = [];
  #ackScheduled = false;
  #lastClaimAt = 0;

  constructor(init: RedisStreamConsumerInit) {
    this.#init = init;
    const stopOnAbort = () => void this.stop();
    init.signal?.addEventListener('abort', stopOnAbort, { once: true });
    this.stopped = this.#run().finally(() => {
      init.signal?.removeEventListener('abort', stopOnAbort);
    });
  }

  /** Creates the group when missing (MKSTREAM), starting at new entries or the retained ones. */
  static async ensureGroup(
    client: RedisClient,
    key: string,
    group: string,
    startAt: 'new' | 'start',
  ): Promise<void> {
    try {
      await client.sendCommand([
        'XGROUP',
        'CREATE',
        key,
        group,
        startAt === 'start' ? '0' : '$',
        'MKSTREAM',
      ]);
    } catch (error) {
      if (!/BUSYGROUP/.test(String(error))) throw error;
    }
  }

  async stop(): Promise<void> {
    if (!this.#abort.signal.aborted) {
      this.#abort.abort();
      this.#room?.();
      // A blocked XREADGROUP would hold the loop for up to blockMs: drop its connection.
      if (this.#reader) this.#init.connection.release(this.#reader);
    }
    await this.stopped;
  }

  async #run(): Promise<void> {
    const { connection, key, group, consumer } = this.#init;
    const signal = this.#abort.signal;
    let pendingCursor: string | undefined = '0';
    let failures = 0;
    while (!signal.aborted) {
      try {
        this.#reader ??= await connection.dedicated();
        if (signal.aborted) break;
        await this.#waitForRoom();
        if (signal.aborted) break;
        const room = Math.min(this.#init.batchSize, this.#init.maxInFlight - this.#inFlight);
        if (pendingCursor !== undefined) {
          // Entries this consumer had before it (re)started, oldest first.
          const reply = await this.#reader.sendCommand([
            'XREADGROUP',
            'GROUP',
            group,
            consumer,
            'COUNT',
            String(room),
            'STREAMS',
            key,
            pendingCursor,
          ]);
          const entries = entriesOfRead(reply);
          pendingCursor = entries.length === 0 ? undefined : entries[entries.length - 1]!.id;
          this.#deliver(entries, true);
          failures = 0;
          continue;
        }
        if (Date.now() - this.#lastClaimAt >= Math.max(this.#init.claimIdleMs / 2, 10)) {
          this.#lastClaimAt = Date.now();
          const reply = await this.#reader.sendCommand([
            'XAUTOCLAIM',
            key,
            group,
            consumer,
            String(this.#init.claimIdleMs),
            '0-0',
            'COUNT',
            String(room),
          ]);
          const claimed = entriesOfAutoClaim(reply);
          if (claimed.entries.length > 0) {
            this.#deliver(claimed.entries, true);
            continue;
          }
        }
        const reply = await this.#reader.sendCommand([
          'XREADGROUP',
          'GROUP',
          group,
          consumer,
          'COUNT',
          String(room),
          'BLOCK',
          String(this.#init.blockMs),
          'STREAMS',
          key,
          '>',
        ]);
        this.#deliver(entriesOfRead(reply), false);
        failures = 0;
      } catch (thrown) {
        if (signal.aborted) break;
        let error = thrown;
        if (isNoGroup(error)) {
          // Redis lost the group (a restart without persistence): make it again.
          try {
            await RedisStreamConsumer.ensureGroup(await connection.main(), key, group, 'start');
            pendingCursor = '0';
            continue;
          } catch (again) {
            error = again;
          }
        }
        this.#init.onError(connection.toError(error));
        if (this.#reader && !this.#reader.isReady) {
          connection.release(this.#reader);
          this.#reader = undefined;
        }
        await pause(Math.min(50 * 2 ** failures++, 2000), signal);
      }
    }
    if (this.#reader) connection.release(this.#reader);
    this.#reader = undefined;
    await this.#flushAcks();
  }

  #deliver(entries: RawEntry[], redelivered: boolean): void {
    for (const raw of entries) {
      if (raw.payload === undefined) {
        // Trimmed while pending, or unreadable: nothing to hand over; acknowledge it away.
        if (raw.malformed) this.#init.onError(raw.malformed);
        this.#ack(raw.id);
        continue;
      }
      if (this.#inFlightIds.has(raw.id)) continue; // claimed back while still being handled here
      const entry: StreamBusEntry = { id: raw.id, payload: raw.payload, redelivered };
      this.#inFlight++;
      this.#inFlightIds.add(raw.id);
      let result: void | Promise<void>;
      try {
        result = this.#init.handler(entry);
      } catch (error) {
        this.#settled(raw.id, false, error);
        continue;
      }
      if (result && typeof result.then === 'function') {
        result.then(
          () => this.#settled(raw.id, true),
          (error: unknown) => this.#settled(raw.id, false, error),
        );
      } else {
        this.#settled(raw.id, true);
      }
    }
  }

  /** Acknowledged, or left pending for a later claim (the handler failed or gave it back). */
  #settled(id: string, done: boolean, error?: unknown): void {
    this.#inFlight--;
    this.#inFlightIds.delete(id);
    if (done) this.#ack(id);
    else if (!this.#abort.signal.aborted) this.#init.onError(error);
    const room = this.#room;
    this.#room = undefined;
    room?.();
  }

  #waitForRoom(): Promise<void> {
    if (this.#inFlight < this.#init.maxInFlight) return Promise.resolve();
    return new Promise((resolve) => (this.#room = resolve));
  }

  #ack(id: string): void {
    this.#acks.push(id);
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    queueMicrotask(() => void this.#flushAcks());
  }

  async #flushAcks(): Promise<void> {
    this.#ackScheduled = false;
    const ids = this.#acks;
    if (ids.length === 0) return;
    this.#acks = [];
    try {
      const main = await this.#init.connection.main();
      await main.sendCommand(['XACK', this.#init.key, this.#init.group, ...ids]);
    } catch (error) {
      // Unacknowledged entries stay pending and are delivered again: at least once.
      this.#init.onError(this.#init.connection.toError(error));
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
