// One subscription of an MCPTestClient. It outlives connections: a member of one connection's
// subscription union, it can join the next one's (re-subscribed, re-listened) after the first
// was lost or replaced, and its listener then hears `{ type: 'restored' }`.
import type {
  McpNotification,
  McpSubscriptionEnd,
  McpSubscriptionEvent,
  McpSubscriptionFilter,
  McpSubscriptionListener,
} from '@tframex/mcp-api';
import type { RequestOptions } from '@modelcontextprotocol/client';
import { ignore } from '../config/ignore.js';
import type { SubscriptionUnion } from './subscription-union.js';

export type SubscriptionUnionOf = SubscriptionUnion<LiveSubscription>;

export class LiveSubscription {
  readonly requested: McpSubscriptionFilter;
  readonly closed: Promise<McpSubscriptionEnd>;
  readonly #listener: McpSubscriptionListener;
  readonly #onListenerError: (error: unknown) => void;
  readonly #resolveClosed: (end: McpSubscriptionEnd) => void;
  #honoured: McpSubscriptionFilter = {};
  #union: SubscriptionUnionOf | undefined;
  #ended = false;
  /** A restore in progress, so two causes (a lost connection, a broken stream) share one. */
  restoring: Promise<void> | undefined;

  constructor(
    requested: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    onListenerError: (error: unknown) => void,
  ) {
    this.requested = requested;
    this.#listener = listener;
    this.#onListenerError = onListenerError;
    let resolve!: (end: McpSubscriptionEnd) => void;
    this.closed = new Promise<McpSubscriptionEnd>((settle) => (resolve = settle));
    this.#resolveClosed = resolve;
  }

  /** What the server agreed to, when it was last attached. */
  get honoured(): McpSubscriptionFilter {
    return this.#honoured;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether it is applied on the server through `union` now. */
  attachedTo(union: SubscriptionUnionOf): boolean {
    return this.#union === union && union.holds(this);
  }

  /** Joins a connection's union (subscribing on the server in its era). */
  async attach(union: SubscriptionUnionOf, request: RequestOptions): Promise<void> {
    await union.add(this, request);
    if (this.#ended) {
      // Closed while subscribing: undo at once.
      await union.remove(this, request);
      return;
    }
    this.#union = union;
    this.#honoured = union.honouredFor(this);
  }

  /** The event `notification` means for this subscription, if any. */
  eventFor(notification: McpNotification): McpSubscriptionEvent | undefined {
    const filter = this.#honoured;
    switch (notification.method) {
      case 'notifications/resources/updated': {
        const uri = notification.params?.['uri'];
        return typeof uri === 'string' && filter.resources?.includes(uri)
          ? { type: 'resource-updated', uri }
          : undefined;
      }
      case 'notifications/tools/list_changed':
        return filter.toolsListChanged ? { type: 'list-changed', list: 'tools' } : undefined;
      case 'notifications/resources/list_changed':
        return filter.resourcesListChanged
          ? { type: 'list-changed', list: 'resources' }
          : undefined;
      case 'notifications/prompts/list_changed':
        return filter.promptsListChanged ? { type: 'list-changed', list: 'prompts' } : undefined;
      default:
        return undefined;
    }
  }

  /** Calls the listener; what it throws is reported, never passed on. */
  deliver(event: McpSubscriptionEvent): void {
    if (this.#ended) return;
    try {
      this.#listener(event);
    } catch (error) {
      this.#onListenerError(error);
    }
  }

  /** Ends it for good and leaves the union (the server side is told, best effort). */
  async close(reason: McpSubscriptionEnd, request: RequestOptions): Promise<void> {
    const union = this.#union;
    this.end(reason);
    await union?.remove(this, request).catch(ignore);
  }

  /** Ends it for good without talking to the server (its connection is gone). */
  end(reason: McpSubscriptionEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#union = undefined;
    this.#resolveClosed(reason);
  }
}
