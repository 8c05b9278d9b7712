// StreamBus: how the events of one MCP stream reach consumers in other processes. Topics are
// append-only logs; consumer groups split a topic between their members, so each entry reaches
// one consumer of every group; an entry is acknowledged when its handler resolves, and one
// whose consumer died before that is delivered again. `@tframex/mcp-streams` has the
// in-process implementation, `@tframex/mcp-redis` one on Redis Streams.
import type { JsonValue } from './protocol/json.js';

/** One entry of a topic, as a consumer receives it. */
export interface StreamBusEntry {
  /** Its id on the bus, ordered within the topic (Redis: `1764750000000-0`). */
  readonly id: string;
  /** What was published. */
  readonly payload: JsonValue;
  /**
   * True when the entry was delivered before and not acknowledged (its consumer died, stopped
   * or its handler threw): the handler may see it a second time.
   */
  readonly redelivered: boolean;
}

/** Handles one entry; the entry is acknowledged when this resolves, kept when it throws. */
export type StreamBusHandler = (entry: StreamBusEntry) => void | Promise<void>;

export interface StreamBusConsumeOptions {
  /** The consumer group: every entry reaches one member of each group. */
  group: string;
  /**
   * This member's name in the group. Keep it across restarts: a restarted consumer first gets
   * the entries it had received and not acknowledged.
   */
  consumer: string;
  /** Where a group that does not exist yet starts: new entries only (default) or the retained ones. */
  startAt?: 'new' | 'start';
  /** Entries another member received and left unacknowledged this long are taken over (ms). */
  claimIdleMs?: number;
  /** Entries handed to the handler and not yet acknowledged, at most (the consumer's buffer). */
  maxInFlight?: number;
  /** Stops the consumer. */
  signal?: AbortSignal;
  /** Told about entries it could not read and failures it survived (reconnects). */
  onError?: (error: unknown) => void;
}

/** A running consumer. */
export interface StreamBusConsumer {
  /** Stops consuming; entries in flight stay unacknowledged and are delivered again later. */
  stop(): Promise<void>;
  /** Settles (never rejects) once the consumer has stopped. */
  readonly stopped: Promise<void>;
}

export interface StreamBus {
  /** Appends `payload` to `topic`; resolves with the entry's id. */
  publish(topic: string, payload: JsonValue): Promise<string>;
  /**
   * Consumes `topic` as a member of a group; resolves once the consumer is registered (entries
   * published after that reach the group).
   */
  consume(
    topic: string,
    options: StreamBusConsumeOptions,
    handler: StreamBusHandler,
  ): Promise<StreamBusConsumer>;
  /** Stops every consumer and lets go of connections. Idempotent. */
  close(): Promise<void>;
}
