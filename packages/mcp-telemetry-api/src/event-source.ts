// McpEventSource: something that emits typed events (a client, a registry, a pool).
import type { McpClientEvents, McpTelemetrySnapshot } from './client-events.js';

export type McpEventListener<T> = (event: T) => void;

// The map is constrained to an object type rather than a string index, so interfaces
// such as McpClientEvents qualify.
export interface McpEventSource<Events extends object = McpClientEvents> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: McpEventListener<Events[K]>): () => void;
  off<K extends keyof Events>(event: K, listener: McpEventListener<Events[K]>): void;
  /**
   * Where every server of the source stands now (connections, in-flight requests, circuit,
   * last success and error), so a listener that attaches late starts from the truth.
   */
  snapshot?(): McpTelemetrySnapshot;
}

/** A source that never emits: what to pass when there is nothing to observe. */
export const NOOP_EVENT_SOURCE: McpEventSource<McpClientEvents> = Object.freeze({
  on: () => () => undefined,
  off: () => undefined,
  snapshot: () => ({ takenAt: Date.now(), servers: [] }),
});
