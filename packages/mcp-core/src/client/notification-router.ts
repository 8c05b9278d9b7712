// Routes server notifications: the client's own bookkeeping first (tool cache, list events,
// subscriptions), then the `notification` event and the user's handlers, each isolated.
// A pool delivers each notification once.
import type { McpNotificationHandler } from '@tframex/mcp-api';
import type { ClientTelemetry } from './client-telemetry.js';
import type { SubscriptionHub } from './subscription-hub.js';

/** Notifications a server sends to every session alike. */
const BROADCAST_NOTIFICATIONS: ReadonlySet<string> = new Set([
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
  'notifications/prompts/list_changed',
  'notifications/resources/updated',
]);

export class NotificationRouter {
  readonly #handlers = new Map<string, Set<McpNotificationHandler>>();
  readonly #telemetry: ClientTelemetry;
  readonly #subscriptions: SubscriptionHub;
  readonly #onToolsChanged: () => void;

  constructor(
    telemetry: ClientTelemetry,
    subscriptions: SubscriptionHub,
    onToolsChanged: () => void,
  ) {
    this.#telemetry = telemetry;
    this.#subscriptions = subscriptions;
    this.#onToolsChanged = onToolsChanged;
  }

  /** Adds a handler for `method` (or `'*'`); returns a function that removes it. */
  on(method: string, handler: McpNotificationHandler): () => void {
    let handlers = this.#handlers.get(method);
    if (!handlers) this.#handlers.set(method, (handlers = new Set()));
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  route(slot: number, method: string, params: Record<string, unknown> | undefined): void {
    // Every pooled session (every stdio process) gets its own copy of a broadcast: take the
    // first session's. Other notifications belong to the session that got them (a log line
    // sent during a request on it), so they come from any session, once each.
    if (slot !== 0 && BROADCAST_NOTIFICATIONS.has(method)) return;
    // The client's own bookkeeping first: no user callback can stand in its way.
    if (method === 'notifications/tools/list_changed') this.#onToolsChanged();
    else if (method === 'notifications/resources/list_changed')
      this.#telemetry.listChanged('resources');
    else if (method === 'notifications/prompts/list_changed')
      this.#telemetry.listChanged('prompts');
    this.#subscriptions.dispatch(method, params);
    this.#telemetry.notification(method, params);
    const notification = { method, ...(params ? { params } : {}) };
    for (const key of [method, '*']) {
      const handlers = this.#handlers.get(key);
      if (!handlers) continue;
      for (const handler of [...handlers]) {
        try {
          handler(notification);
        } catch (error) {
          this.#telemetry.listenerError('notification-handler', method, error);
        }
      }
    }
  }
}
