// ToolChangeWatch: hears the tool-list changes of many sessions through the one mechanism
// every McpSession has (`subscribe({ toolsListChanged })`, which speaks whichever era the
// session does), and only while someone listens: watching costs a subscription per server.
import type { McpSession, McpSubscription, McpToolsChangedEvent } from '@tframex/mcp-api';

type Listener = (event: McpToolsChangedEvent) => void;

export interface ToolChangeWatchOptions {
  /** Called before listeners hear of a change (e.g. to forget a cached list). */
  onChange?: (server: string) => void;
  /** Where a listener's error goes (a listener that throws never stops the others). */
  onListenerError?: (error: unknown, server: string) => void;
}

export class ToolChangeWatch {
  readonly #listeners = new Set<Listener>();
  readonly #watches = new Map<string, Promise<McpSubscription | undefined>>();
  readonly #sessions = new Map<string, McpSession>();
  readonly #options: ToolChangeWatchOptions;

  constructor(options: ToolChangeWatchOptions = {}) {
    this.#options = options;
  }

  /** Starts watching `session` under `server` when someone listens (now or later). */
  add(server: string, session: McpSession): void {
    this.#sessions.set(server, session);
    if (this.#listeners.size > 0) this.#start(server, session);
  }

  /** Stops watching `server`. */
  async remove(server: string): Promise<void> {
    this.#sessions.delete(server);
    await this.#stop(server);
  }

  /** Adds a listener; the first one starts the watches, the last one removed stops them. */
  listen(listener: Listener): () => void {
    const entry: Listener = (event) => listener(event);
    this.#listeners.add(entry);
    if (this.#listeners.size === 1)
      for (const [server, session] of this.#sessions) this.#start(server, session);
    return () => {
      if (!this.#listeners.delete(entry) || this.#listeners.size > 0) return;
      for (const server of [...this.#watches.keys()]) void this.#stop(server);
    };
  }

  /** Stops every watch. */
  async close(): Promise<void> {
    this.#listeners.clear();
    await Promise.all([...this.#watches.keys()].map((server) => this.#stop(server)));
  }

  /** Tells every listener that `server`'s tools changed. */
  emit(event: McpToolsChangedEvent): void {
    this.#options.onChange?.(event.server);
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#options.onListenerError?.(error, event.server);
      }
    }
  }

  #start(server: string, session: McpSession): void {
    if (this.#watches.has(server)) return;
    const watch = session
      .subscribe({ toolsListChanged: true }, (event) => {
        // After a lost connection, changes may have been missed: treat it as one.
        if ((event.type === 'list-changed' && event.list === 'tools') || event.type === 'restored')
          this.emit({ server });
      })
      .catch(() => undefined); // A server that cannot be watched still serves its tools.
    this.#watches.set(server, watch);
  }

  async #stop(server: string): Promise<void> {
    const watch = this.#watches.get(server);
    this.#watches.delete(server);
    const subscription = await watch;
    await subscription?.close().catch(() => undefined);
  }
}
