// MCPStream: the notifications of one MCP server as async iterables. One upstream
// subscription per stream, shared by every subscriber; each subscriber has its own filters
// and bounded buffer. publish() goes through a tool; processWindowed() groups events.
import {
  McpConfigError,
  McpConnectionError,
  type CallToolResult,
  type McpRequestOptions,
  type McpSession,
  type StreamBus,
} from '@tframex/mcp-api';
import { feedFromBus } from './bus/bus-feed.js';
import { StreamRelay, type McpStreamRelay } from './bus/stream-relay.js';
import { StreamPublisher } from './publish/stream-publisher.js';
import { knownValuesOf, sourcesFromUri, type McpResolvableSource } from './source/stream-source.js';
import { Upstream } from './source/upstream.js';
import type { McpStreamEvent, McpStreamEventInit } from './stream-event.js';
import {
  parseRelayOptions,
  parseStreamOptions,
  parseSubscribeOptions,
  parseWindowedOptions,
  type MCPStreamOptions,
  type McpProcessWindowedOptions,
  type McpRelayOptions,
  type McpSubscribeOptions,
} from './stream-options.js';
import { compileFilter } from './subscription/event-filter.js';
import {
  McpStreamSubscription,
  type AckMode,
  type McpStreamEndReason,
} from './subscription/mcp-stream-subscription.js';
import { runWindows, type McpWindowedSummary } from './window/run-windows.js';
import { Windower } from './window/windower.js';

const DEFAULT_BUFFER_SIZE = 1000;

/** What the upstream feeds: subscriptions and relays. */
interface Sink {
  offer(event: McpStreamEvent): void;
  end(reason: McpStreamEndReason): void;
}

export class MCPStream implements AsyncDisposable {
  /** The stream's URI, as given. */
  readonly uri: string;
  /** The stream's name (the part after the server). */
  readonly name: string;
  /** The StreamBus topic of `relay()` and group subscriptions. */
  readonly topic: string;
  readonly #options: MCPStreamOptions;
  readonly #session: McpSession | undefined;
  readonly #bus: StreamBus | undefined;
  readonly #sources: McpResolvableSource[];
  readonly #subscribers = new Set<Sink>();
  readonly #busSubscriptions = new Set<McpStreamSubscription>();
  readonly #publisher: StreamPublisher | undefined;
  #upstream: Upstream | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> = Promise.resolve();
  #seq = 0;
  #consumerCount = 0;
  #closed = false;

  constructor(options: MCPStreamOptions) {
    this.#options = parseStreamOptions(options);
    this.#session = this.#options.client;
    this.#bus = this.#options.bus;
    this.uri = this.#options.uri;
    const parsed = sourcesFromUri(this.uri, this.#options.read);
    this.name = parsed.name;
    this.topic = this.#options.topic ?? `${parsed.server}/${parsed.name}`;
    this.#sources = this.#options.sources ?? parsed.sources;
    this.#publisher = this.#session
      ? new StreamPublisher({
          session: this.#session,
          uri: this.uri,
          stream: this.name,
          options: this.#options.publish,
        })
      : undefined;
  }

  /** Live subscribers of the upstream: subscriptions, windowed processing and relays. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Whether the upstream subscription is open. */
  get listening(): boolean {
    return this.#upstream !== undefined;
  }

  /**
   * A new subscriber: iterate it with `for await`, end it with `break`, `return()`,
   * `close()`, its signal or `await using`. The first subscriber opens the upstream
   * subscription (its errors reject here), the last one to leave closes it.
   */
  async subscribe<T = unknown>(options?: McpSubscribeOptions): Promise<McpStreamSubscription<T>> {
    const parsed = parseSubscribeOptions(options);
    const subscription = this.#createSubscription<T>(parsed, 'on-next');
    await this.#attach(subscription, parsed);
    return subscription;
  }

  /** Publishes an event by calling the server's publish tool; see `publish` in the options. */
  async publish(
    event: Record<string, unknown>,
    options?: McpRequestOptions,
  ): Promise<CallToolResult> {
    return this.#requireSession('publish()').publish(event, options);
  }

  /**
   * Puts every event of the stream on the bus topic (`topic`), for group subscriptions in any
   * process: one upstream subscription serves them all. Needs `client` and `bus`.
   */
  async relay(options?: McpRelayOptions): Promise<McpStreamRelay> {
    const parsed = parseRelayOptions(options);
    const bus = this.#requireBus('relay()');
    this.#requireSession('relay()');
    const relay = new StreamRelay({
      bus,
      topic: this.topic,
      signal: parsed.signal,
      bufferSize: parsed.bufferSize ?? this.#options.bufferSize ?? 10_000,
      reportError: (error, where) => this.#reportError(error, where),
      detach: (sink) => this.#detach(sink),
    });
    await this.#attach(relay, {});
    return relay;
  }

  /**
   * Groups events into windows (by count, time or both, tumbling or sliding) and gives each
   * to `processor`, one at a time. Resolves when the stream ends (session closed, `signal`,
   * `close()`); a processor that throws is reported and processing goes on.
   */
  async processWindowed<T = unknown>(
    options: McpProcessWindowedOptions<T>,
  ): Promise<McpWindowedSummary> {
    const parsed = parseWindowedOptions<T>(options);
    const subscription = this.#createSubscription<T>(parsed, 'manual');
    const clock = Date.now;
    const windower = new Windower<T>(parsed, clock);
    await this.#attach(subscription, parsed);
    const summary = await runWindows({
      subscription,
      windower,
      processor: parsed.processor,
      onEnd: parsed.onEnd ?? 'flush',
      clock,
      reportError: (error, where) => this.#reportError(error, where),
    });
    if (subscription.failure !== undefined) throw subscription.failure;
    return summary;
  }

  /** Ends every subscriber and the upstream subscription. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#endAll('stream-closed');
    for (const subscription of [...this.#busSubscriptions]) subscription.end('stream-closed');
    await this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #requireSession(what: string): StreamPublisher {
    if (!this.#publisher) {
      throw new McpConfigError(`${what} needs a client: this MCPStream only reads from its bus`, {
        field: 'client',
        expected: 'an McpSession',
      });
    }
    return this.#publisher;
  }

  #requireBus(what: string): StreamBus {
    if (!this.#bus) {
      throw new McpConfigError(`${what} needs a StreamBus (the bus option)`, {
        field: 'bus',
        expected: 'a StreamBus (InProcessStreamBus, RedisStreamBus, ...)',
      });
    }
    return this.#bus;
  }

  #createSubscription<T>(options: McpSubscribeOptions, ackMode: AckMode): McpStreamSubscription<T> {
    if (this.#closed) {
      throw new McpConnectionError(`MCPStream ${this.uri} is closed`, {
        ...(this.#session ? { server: this.#session.name } : {}),
      });
    }
    const viaBus = options.group !== undefined;
    if (viaBus) this.#requireBus('A group subscription');
    else if (!this.#session) {
      throw new McpConfigError(
        `MCPStream ${this.uri} has no client: subscribe with a group to read from its bus`,
        { field: 'group', expected: 'a consumer group name' },
      );
    }
    const filter = compileFilter(
      options.filters,
      options.where,
      knownValuesOf(this.#sources, this.#options.logLevel, viaBus),
    );
    return new McpStreamSubscription<T>({
      ackMode,
      bufferSize: options.bufferSize ?? this.#options.bufferSize ?? DEFAULT_BUFFER_SIZE,
      overflow: options.overflow ?? this.#options.overflow ?? 'drop-oldest',
      filter,
      signal: options.signal,
      reportError: (error, where) => this.#reportError(error, where),
      detach: (subscription) =>
        viaBus ? this.#busSubscriptions.delete(subscription) : this.#detach(subscription),
    });
  }

  async #attach(sink: Sink, options: McpSubscribeOptions): Promise<void> {
    if (options.group !== undefined) {
      const subscription = sink as McpStreamSubscription;
      this.#busSubscriptions.add(subscription);
      try {
        await feedFromBus(subscription, {
          bus: this.#bus!,
          topic: this.topic,
          group: options.group,
          consumer: options.consumer ?? `${options.group}-${process.pid}-${this.#consumerCount++}`,
          startAt: options.startAt,
          claimIdleMs: options.claimIdleMs,
          nextSeq: () => ++this.#seq,
          reportError: (error, where) => this.#reportError(error, where),
        });
      } catch (error) {
        subscription.end('stream-closed');
        throw error;
      }
      return;
    }
    this.#subscribers.add(sink);
    try {
      await this.#stopping;
      this.#starting ??= this.#startUpstream();
      await this.#starting;
    } catch (error) {
      sink.end('stream-closed');
      throw error;
    }
  }

  async #startUpstream(): Promise<void> {
    const upstream = new Upstream({
      session: this.#session!,
      streamUri: this.uri,
      sources: this.#sources,
      logLevel: this.#options.logLevel,
      emit: (event) => this.#emit(event),
      reportError: (error, where) => this.#reportError(error, where),
      ended: (reason) => this.#endAll(reason),
    });
    this.#upstream = upstream;
    try {
      await upstream.start();
    } catch (error) {
      this.#upstream = undefined;
      this.#starting = undefined;
      throw error;
    }
    if (this.#subscribers.size === 0) this.#stopUpstream();
  }

  #emit(init: McpStreamEventInit): void {
    // One object shape for every event (no spread): this runs once per event.
    const event: McpStreamEvent = {
      type: init.type,
      data: init.data,
      source: init.source,
      seq: ++this.#seq,
      receivedAt: Date.now(),
      method: init.method,
      uri: init.uri,
      level: init.level,
      logger: init.logger,
      reason: init.reason,
    };
    for (const subscriber of this.#subscribers) subscriber.offer(event);
  }

  #detach(sink: Sink): void {
    if (!this.#subscribers.delete(sink)) return;
    if (this.#subscribers.size === 0) this.#stopUpstream();
  }

  #stopUpstream(): void {
    const upstream = this.#upstream;
    const starting = this.#starting;
    if (!upstream || !starting) return;
    this.#upstream = undefined;
    this.#starting = undefined;
    // Wait for a start in progress to finish before undoing it.
    this.#stopping = starting.then(
      () => upstream.stop(),
      () => undefined,
    );
  }

  #endAll(reason: McpStreamEndReason): void {
    for (const subscriber of [...this.#subscribers]) subscriber.end(reason);
    this.#stopUpstream();
  }

  #reportError(error: unknown, where: string): void {
    const onError = this.#options.onError;
    if (!onError) {
      console.warn(`MCPStream ${this.uri}: ${where}:`, error);
      return;
    }
    try {
      onError(error, { stream: this.uri, where });
    } catch (thrown) {
      console.error(`MCPStream ${this.uri}: onError threw while reporting ${where}:`, thrown);
    }
  }
}
