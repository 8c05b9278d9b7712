// EventFanIn: one McpEventSource over the events of many sessions (and of sessions added
// later). A session forwards an event only while someone listens, so unobserved telemetry
// stays free. Listeners are isolated: one that throws never stops the others, and its error
// goes out as `listener:error` (or as a process warning when nobody listens to those).
import type { McpClientEvents, McpEventListener, McpEventSource } from '@tframex/mcp-telemetry-api';

type EventName = keyof McpClientEvents;

export class EventFanIn implements McpEventSource<McpClientEvents> {
  readonly #listeners = new Map<EventName, Set<McpEventListener<never>>>();
  /** Per event: the session subscriptions that forward it, by alias. */
  readonly #forwarders = new Map<EventName, Map<string, () => void>>();
  readonly #sources = new Map<string, Partial<McpEventSource<McpClientEvents>>>();

  /** Forwards the events of `source` (a session that is an event source) under `alias`. */
  addSource(alias: string, source: Partial<McpEventSource<McpClientEvents>>): void {
    if (typeof source.on !== 'function') return;
    this.#sources.set(alias, source);
    for (const event of this.#listeners.keys()) this.#forward(alias, source, event);
  }

  removeSource(alias: string): void {
    this.#sources.delete(alias);
    for (const forwarders of this.#forwarders.values()) {
      forwarders.get(alias)?.();
      forwarders.delete(alias);
    }
  }

  on<K extends EventName>(event: K, listener: McpEventListener<McpClientEvents[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      this.#listeners.set(event, (set = new Set()));
      for (const [alias, source] of this.#sources) this.#forward(alias, source, event);
    }
    set.add(listener as McpEventListener<never>);
    return () => this.off(event, listener);
  }

  off<K extends EventName>(event: K, listener: McpEventListener<McpClientEvents[K]>): void {
    const set = this.#listeners.get(event);
    if (!set?.delete(listener as McpEventListener<never>) || set.size > 0) return;
    this.#listeners.delete(event);
    for (const unsubscribe of this.#forwarders.get(event)?.values() ?? []) unsubscribe();
    this.#forwarders.delete(event);
  }

  /** Delivers an event of the fan-in's own to its listeners. */
  emit<K extends EventName>(event: K, payload: McpClientEvents[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as McpEventListener<McpClientEvents[K]>)(payload);
      } catch (error) {
        this.reportListenerError({
          server: (payload as { server?: string }).server ?? '',
          source: 'event-listener',
          event,
          error,
        });
      }
    }
  }

  /** Reports a user callback that threw: `listener:error`, or a warning when nobody listens. */
  reportListenerError(report: McpClientEvents['listener:error']): void {
    const set = this.#listeners.get('listener:error');
    if (report.event !== 'listener:error' && set && set.size > 0) {
      this.emit('listener:error', report);
      return;
    }
    const message = report.error instanceof Error ? report.error.message : String(report.error);
    process.emitWarning(
      `A ${report.source} for "${report.event}" of server "${report.server}" threw: ${message}`,
      { code: 'MCP_LISTENER_ERROR' },
    );
  }

  #forward<K extends EventName>(
    alias: string,
    source: Partial<McpEventSource<McpClientEvents>>,
    event: K,
  ): void {
    let forwarders = this.#forwarders.get(event);
    if (!forwarders) this.#forwarders.set(event, (forwarders = new Map()));
    forwarders.set(
      alias,
      source.on!(event, (payload) => this.emit(event, payload)),
    );
  }
}
