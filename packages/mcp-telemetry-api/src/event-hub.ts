// A minimal McpEventSource implementation for emitters. `hasListeners` lets an emitter skip
// building an event nobody listens to, so telemetry costs nothing when unobserved.
import type { McpClientEvents } from './client-events.js';
import type { McpEventListener, McpEventSource } from './event-source.js';

export class McpEventHub<Events extends object = McpClientEvents>
  implements McpEventSource<Events>
{
  readonly #listeners = new Map<keyof Events, McpEventListener<never>[]>();
  /** Called with any error a listener throws; listeners never break the emitter. */
  onListenerError: (error: unknown, event: keyof Events) => void = () => undefined;

  on<K extends keyof Events>(event: K, listener: McpEventListener<Events[K]>): () => void {
    // Copy-on-write: emit iterates a snapshot without allocating.
    const current = this.#listeners.get(event) ?? [];
    this.#listeners.set(event, [...current, listener as McpEventListener<never>]);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: McpEventListener<Events[K]>): void {
    const current = this.#listeners.get(event);
    if (!current) return;
    const next = current.filter((candidate) => candidate !== listener);
    if (next.length > 0) this.#listeners.set(event, next);
    else this.#listeners.delete(event);
  }

  hasListeners(event: keyof Events): boolean {
    return this.#listeners.has(event);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const listeners = this.#listeners.get(event) as McpEventListener<Events[K]>[] | undefined;
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
