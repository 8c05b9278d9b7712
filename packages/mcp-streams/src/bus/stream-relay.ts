// The relay: the process that holds the MCP session puts every event of the stream on a
// StreamBus topic, so consumers in any process read it through one upstream subscription.
import type { StreamBus } from '@tframex/mcp-api';
import type { McpStreamEvent } from '../stream-event.js';
import type { McpStreamEndReason } from '../subscription/mcp-stream-subscription.js';
import { toBusPayload } from './bus-payload.js';

/** A running relay, from `MCPStream.relay()`. */
export interface McpStreamRelay {
  /** The bus topic it publishes to. */
  readonly topic: string;
  /** Events published so far. */
  readonly published: number;
  /** Events the bus refused (each reported to `onError`). */
  readonly failed: number;
  /** Events dropped because the bus fell `bufferSize` events behind (a gap marker follows). */
  readonly dropped: number;
  /** Stops relaying (the upstream closes when nothing else listens). */
  stop(): Promise<void>;
  /** Settles once the relay has stopped: stopped, signal, stream closed, session closed. */
  readonly closed: Promise<McpStreamEndReason>;
}

export interface StreamRelayInit {
  bus: StreamBus;
  topic: string;
  reportError: (error: unknown, where: string) => void;
  detach: (relay: StreamRelay) => void;
  signal: AbortSignal | undefined;
  /** Events waiting for the bus, at most (beyond: the oldest are dropped, then a gap). */
  bufferSize: number;
}

/** Publishes in flight at once: the bus is fed as fast as it answers, no faster. */
const MAX_IN_FLIGHT = 256;

export class StreamRelay implements McpStreamRelay {
  readonly topic: string;
  readonly closed: Promise<McpStreamEndReason>;
  readonly #init: StreamRelayInit;
  #published = 0;
  #failed = 0;
  #dropped = 0;
  #ended = false;
  #resolveClosed!: (reason: McpStreamEndReason) => void;
  readonly #queue: McpStreamEvent[] = [];
  #queueHead = 0;
  #inFlight = 0;
  #gapPending = false;
  /** Resolves once the queue is empty and nothing is in flight. */
  #drained: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(init: StreamRelayInit) {
    this.#init = init;
    this.topic = init.topic;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    init.signal?.addEventListener('abort', () => this.end('aborted'), { once: true });
    if (init.signal?.aborted) queueMicrotask(() => this.end('aborted'));
  }

  get published(): number {
    return this.#published;
  }

  get failed(): number {
    return this.#failed;
  }

  get dropped(): number {
    return this.#dropped;
  }

  offer(event: McpStreamEvent): void {
    if (this.#ended) return;
    if (this.#queue.length - this.#queueHead >= this.#init.bufferSize) {
      this.#queueHead++; // the oldest waiting event gives way
      this.#dropped++;
      this.#gapPending = true;
    }
    this.#queue.push(event);
    this.#pump();
  }

  async stop(): Promise<void> {
    this.end('closed');
    await this.closed;
  }

  end(reason: McpStreamEndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#init.detach(this);
    // What was accepted before the end still goes to the bus.
    void this.#whenDrained().then(() => this.#resolveClosed(reason));
  }

  #whenDrained(): Promise<void> {
    if (this.#inFlight === 0 && this.#queueHead >= this.#queue.length) return Promise.resolve();
    if (!this.#drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#drained = { promise, resolve };
    }
    return this.#drained.promise;
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queueHead < this.#queue.length) {
      let event = this.#queue[this.#queueHead++]!;
      if (this.#gapPending) {
        // Readers learn that events were dropped here before they see the next one.
        this.#gapPending = false;
        this.#queueHead--;
        event = {
          type: 'gap',
          source: 'gap',
          reason: 'overflow',
          data: { dropped: this.#dropped },
          seq: event.seq,
          receivedAt: Date.now(),
        };
      }
      this.#publish(event);
    }
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
    if (this.#inFlight === 0 && this.#queueHead >= this.#queue.length && this.#drained) {
      this.#drained.resolve();
      this.#drained = undefined;
    }
  }

  #publish(event: McpStreamEvent): void {
    this.#inFlight++;
    this.#init.bus.publish(this.topic, toBusPayload(event)).then(
      () => {
        this.#published++;
        this.#inFlight--;
        this.#pump();
      },
      (error: unknown) => {
        this.#failed++;
        this.#inFlight--;
        this.#init.reportError(error, `relaying event ${event.seq} to ${this.topic}`);
        this.#pump();
      },
    );
  }
}
