// Server-to-client notifications and subscriptions to them.

/** A notification as it arrived: `notifications/resources/updated`, `notifications/message`, ... */
export interface McpNotification {
  method: string;
  params?: Record<string, unknown>;
}

export type McpNotificationHandler = (notification: McpNotification) => void;

/** What to subscribe to. The session maps it onto the era's mechanism. */
export interface McpSubscriptionFilter {
  /** Resource URIs to be told about when they change. */
  resources?: string[];
  toolsListChanged?: boolean;
  resourcesListChanged?: boolean;
  promptsListChanged?: boolean;
}

/** One event a subscription delivers. */
export type McpSubscriptionEvent =
  | { type: 'resource-updated'; uri: string }
  | { type: 'list-changed'; list: 'tools' | 'resources' | 'prompts' }
  /**
   * The connection was lost and the subscription was set up again on a new one: updates
   * sent while it was down may be missing, so re-read what matters.
   */
  | { type: 'restored' };

export type McpSubscriptionListener = (event: McpSubscriptionEvent) => void;

/** Why a subscription ended: closed here, ended by the server, or lost with the connection. */
export type McpSubscriptionEnd = 'local' | 'graceful' | 'remote';

/**
 * A live subscription. Events reach the listener given to `subscribe`, so none are lost
 * between the server's acknowledgement and the caller's first look.
 */
export interface McpSubscription {
  /** The part of the requested filter the server agreed to honour. */
  readonly filter: McpSubscriptionFilter;
  /** Stops the subscription. Idempotent. */
  close(): Promise<void>;
  /** Settles once, when the subscription has ended; never rejects. */
  readonly closed: Promise<McpSubscriptionEnd>;
}
