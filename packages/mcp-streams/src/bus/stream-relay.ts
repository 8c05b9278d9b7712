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
}

export class StreamRelay implements McpStreamRelay {
  readonly topic: string;
  readonly closed: Promise<McpStreamEndReason>;
  readonly #init: StreamRelayInit;
  #published = 0;
  #failed = 0;
  #ended = false;
  #resolveClosed!: (reason: McpStreamEndReason) => void;
  /** The last publish, so stop() returns once what was relayed is on the bus. */
  #last: Promise<unknown> = Promise.resolve();

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

  offer(event: McpStreamEvent): void {
    if (this.#ended) return;
    this.#last = this.#init.bus.publish(this.topic, toBusPayload(event)).then(
      () => this.#published++,
      (error: unknown) => {
        this.#failed++;
        this.#init.reportError(error, `relaying event ${event.seq} to ${this.topic}`);
      },
    );
  }

  async stop(): Promise<void> {
    this.end('closed');
    await this.#last;
  }

  end(reason: McpStreamEndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#init.detach(this);
    void this.#last.then(() => this.#resolveClosed(reason));
  }
}
