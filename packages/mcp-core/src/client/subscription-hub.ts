// Subscriptions behind one API in both eras. The hub keeps every live subscription and
// applies their union to the server: `resources/subscribe` per URI on a legacy session,
// one `subscriptions/listen` stream with the union filter on a modern one. After a
// reconnect it applies the union again, so subscriptions survive lost sessions.
import type {
  McpSubscription,
  McpSubscriptionEnd,
  McpSubscriptionEvent,
  McpSubscriptionFilter,
  McpSubscriptionListener,
  ServerCapabilities,
} from '@tframex/mcp-api';
import type {
  SdkConnection,
  SdkRequestOptions,
  SdkSubscriptionHandle,
} from '../adapter/sdk-adapter.js';

interface Entry {
  filter: Required<McpSubscriptionFilter>;
  listener: McpSubscriptionListener;
  end: (why: McpSubscriptionEnd) => void;
}

const LIST_METHODS: Record<string, 'tools' | 'resources' | 'prompts'> = {
  'notifications/tools/list_changed': 'tools',
  'notifications/resources/list_changed': 'resources',
  'notifications/prompts/list_changed': 'prompts',
};

function normalise(filter: McpSubscriptionFilter): Required<McpSubscriptionFilter> {
  return {
    resources: [...new Set(filter.resources ?? [])],
    toolsListChanged: filter.toolsListChanged === true,
    resourcesListChanged: filter.resourcesListChanged === true,
    promptsListChanged: filter.promptsListChanged === true,
  };
}

/** What the server can honour of a filter, judged from its capabilities. */
function honourable(
  filter: Required<McpSubscriptionFilter>,
  capabilities: ServerCapabilities | undefined,
): Required<McpSubscriptionFilter> {
  return {
    resources: capabilities?.resources?.subscribe ? filter.resources : [],
    toolsListChanged: filter.toolsListChanged && capabilities?.tools?.listChanged === true,
    resourcesListChanged:
      filter.resourcesListChanged && capabilities?.resources?.listChanged === true,
    promptsListChanged: filter.promptsListChanged && capabilities?.prompts?.listChanged === true,
  };
}

export class SubscriptionHub {
  readonly #entries = new Set<Entry>();
  /** Internal interest (the client watches tool list changes for its cache). */
  #watchTools = false;
  /** URIs subscribed on the current legacy connection. */
  #legacyUris = new Set<string>();
  #legacyConnection: SdkConnection | undefined;
  #listen: { connection: SdkConnection; handle: SdkSubscriptionHandle; key: string } | undefined;
  #sync: Promise<void> = Promise.resolve();

  /** `onListenerError` gets what a subscription listener throws; the other listeners still run. */
  constructor(
    private readonly requestOptions: () => SdkRequestOptions,
    private readonly onListenerError: (error: unknown, event: string) => void,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Whether the client itself watches tools/list_changed (for its cache). */
  get watchingToolChanges(): boolean {
    return this.#watchTools;
  }

  /** Asks the hub to keep a tools/list_changed watch open even without subscribers. */
  watchToolChanges(on: boolean): void {
    this.#watchTools = on;
  }

  /** Routes a notification to the subscribers it concerns. */
  dispatch(method: string, params: Record<string, unknown> | undefined): void {
    if (this.#entries.size === 0) return;
    let event:
      | Extract<McpSubscriptionEvent, { type: 'resource-updated' | 'list-changed' }>
      | undefined;
    if (method === 'notifications/resources/updated' && typeof params?.uri === 'string') {
      event = { type: 'resource-updated', uri: params.uri };
    } else if (LIST_METHODS[method]) {
      event = { type: 'list-changed', list: LIST_METHODS[method] };
    }
    if (!event) return;
    for (const entry of this.#entries) {
      const wants =
        event.type === 'resource-updated'
          ? entry.filter.resources.includes(event.uri)
          : (event.list === 'tools' && entry.filter.toolsListChanged) ||
            (event.list === 'resources' && entry.filter.resourcesListChanged) ||
            (event.list === 'prompts' && entry.filter.promptsListChanged);
      if (!wants) continue;
      try {
        entry.listener(event);
      } catch (error) {
        this.onListenerError(error, method);
      }
    }
  }

  #union(): Required<McpSubscriptionFilter> {
    const union = normalise({ toolsListChanged: this.#watchTools });
    const uris = new Set<string>();
    for (const { filter } of this.#entries) {
      filter.resources.forEach((uri) => uris.add(uri));
      union.toolsListChanged ||= filter.toolsListChanged;
      union.resourcesListChanged ||= filter.resourcesListChanged;
      union.promptsListChanged ||= filter.promptsListChanged;
    }
    union.resources = [...uris].sort();
    return union;
  }

  /** Adds a subscription and applies it to the server before resolving. */
  async add(
    connection: SdkConnection,
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
  ): Promise<McpSubscription> {
    const normalised = normalise(filter);
    let resolveClosed!: (why: McpSubscriptionEnd) => void;
    const closed = new Promise<McpSubscriptionEnd>((resolve) => (resolveClosed = resolve));
    const entry: Entry = { filter: normalised, listener, end: resolveClosed };
    this.#entries.add(entry);
    try {
      await this.apply(connection);
    } catch (error) {
      this.#entries.delete(entry);
      throw error;
    }
    const honoured = honourable(normalised, connection.capabilities);
    let done = false;
    return {
      filter: honoured,
      closed,
      close: async () => {
        if (done) return;
        done = true;
        this.#entries.delete(entry);
        resolveClosed('local');
        await this.apply(this.#legacyConnection ?? this.#listen?.connection).catch(() => undefined);
      },
    };
  }

  /**
   * Brings the server in line with the union of subscriptions. Serialised: concurrent
   * subscribes and closes apply one after another.
   */
  apply(connection: SdkConnection | undefined): Promise<void> {
    const run = this.#sync.then(() => (connection ? this.#applyNow(connection) : undefined));
    this.#sync = run.catch(() => undefined);
    return run;
  }

  async #applyNow(connection: SdkConnection): Promise<void> {
    if (connection.isClosed) return;
    const union = honourable(this.#union(), connection.capabilities);
    const options = this.requestOptions();
    if (connection.protocolEra === 'modern') {
      const key = JSON.stringify(union);
      if (this.#listen?.connection === connection && this.#listen.key === key) return;
      const old = this.#listen;
      const wantsAnything =
        union.resources.length > 0 ||
        union.toolsListChanged ||
        union.resourcesListChanged ||
        union.promptsListChanged;
      this.#listen = undefined;
      if (wantsAnything) {
        const handle = await connection.listen(union, options);
        this.#listen = { connection, handle, key };
        void handle.closed.then((why) => {
          // A stream the server dropped is reopened while anyone still listens.
          if (why !== 'local' && this.#listen?.handle === handle && !connection.isClosed) {
            this.#listen = undefined;
            void this.apply(connection).catch(() => undefined);
          }
        });
      }
      if (old && !old.connection.isClosed) await old.handle.close().catch(() => undefined);
      return;
    }
    if (this.#legacyConnection !== connection) {
      // A new session knows none of our subscriptions.
      this.#legacyConnection = connection;
      this.#legacyUris = new Set();
    }
    const wanted = new Set(union.resources);
    for (const uri of wanted) {
      if (!this.#legacyUris.has(uri)) {
        await connection.subscribeResource(uri, options);
        this.#legacyUris.add(uri);
      }
    }
    for (const uri of [...this.#legacyUris]) {
      if (!wanted.has(uri)) {
        this.#legacyUris.delete(uri);
        await connection.unsubscribeResource(uri, options).catch(() => undefined);
      }
    }
  }

  /** Ends every subscription (the client closed). */
  closeAll(): void {
    for (const entry of this.#entries) entry.end('local');
    this.#entries.clear();
    this.#listen = undefined;
    this.#legacyConnection = undefined;
    this.#legacyUris.clear();
  }

  /** Ends every subscription as lost (the client gave up reconnecting). */
  failAll(): void {
    for (const entry of this.#entries) entry.end('remote');
    this.#entries.clear();
  }
}
