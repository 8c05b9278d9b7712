// watch(): re-reads a resource whenever the server says it changed (resources/updated in the
// legacy era, subscriptions/listen in 2026-07-28 — the session speaks whichever), one read at a
// time, coalescing updates that arrive while a read is in flight.
import type { McpSession, McpSubscription, McpSubscriptionEvent } from '@tframex/mcp-api';

/** What a watch listener is told. */
export interface ResourceChange {
  readonly uri: string;
  /** `updated`: the server said so; `restored`: the connection came back (updates may be missed); `initial`: first read. */
  readonly reason: 'initial' | 'updated' | 'restored';
  /** The decoded value, when the re-read worked. */
  readonly value?: unknown;
  /** Why the re-read failed, when it did. */
  readonly error?: unknown;
}

export type ResourceChangeListener = (change: ResourceChange) => void | Promise<void>;

export interface WatchSettings {
  readonly session: McpSession;
  readonly uri: string;
  readonly read: () => Promise<unknown>;
  readonly listener: ResourceChangeListener;
  readonly onError: (error: unknown) => void;
  readonly initial: boolean;
  readonly signal?: AbortSignal;
}

/** A running watch. */
export class ResourceWatch {
  readonly uri: string;
  readonly #settings: WatchSettings;
  #subscription: McpSubscription | undefined;
  #running: Promise<void> | undefined;
  #pending: ResourceChange['reason'] | undefined;
  #closed = false;

  private constructor(settings: WatchSettings) {
    this.#settings = settings;
    this.uri = settings.uri;
  }

  static async start(settings: WatchSettings): Promise<ResourceWatch> {
    const watch = new ResourceWatch(settings);
    watch.#subscription = await settings.session.subscribe(
      { resources: [settings.uri] },
      (event) => watch.#onEvent(event),
      settings.signal ? { signal: settings.signal } : {},
    );
    settings.signal?.addEventListener('abort', () => void watch.close(), { once: true });
    if (settings.initial) watch.#schedule('initial');
    return watch;
  }

  /** Settles when the subscription ended (closed here, by the server, or with the connection). */
  get closed(): Promise<unknown> {
    return this.#subscription?.closed ?? Promise.resolve();
  }

  /** Waits for the re-read in flight, if any (tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#subscription?.close();
  }

  #onEvent(event: McpSubscriptionEvent): void {
    if (event.type === 'resource-updated' && event.uri === this.uri) this.#schedule('updated');
    else if (event.type === 'restored') this.#schedule('restored');
  }

  #schedule(reason: ResourceChange['reason']): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#pending = reason;
      return;
    }
    this.#running = this.#reread(reason).finally(() => {
      this.#running = undefined;
      const next = this.#pending;
      this.#pending = undefined;
      if (next !== undefined) this.#schedule(next);
    });
  }

  async #reread(reason: ResourceChange['reason']): Promise<void> {
    let change: ResourceChange;
    try {
      change = { uri: this.uri, reason, value: await this.#settings.read() };
    } catch (error) {
      change = { uri: this.uri, reason, error };
    }
    if (this.#closed) return;
    try {
      await this.#settings.listener(change);
    } catch (error) {
      this.#settings.onError(error);
    }
  }
}
