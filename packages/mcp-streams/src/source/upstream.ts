// The one upstream subscription of a stream, shared by all its subscribers: notification
// handlers, one McpSubscription for resources and list changes, resource readers, and the
// watch on the session that turns reconnects into gap markers and a closed session into the
// end of every iterator.
import {
  McpConfigError,
  McpConnectionError,
  McpProtocolError,
  type LoggingLevel,
  type McpNotification,
  type McpSession,
  type McpSubscription,
  type McpSubscriptionEvent,
  type McpSubscriptionFilter,
} from '@tframex/mcp-api';
import { payloadEvent, type McpStreamEventInit } from '../stream-event.js';
import { ResourceReader } from './resource-reader.js';
import {
  LOGGING_LEVELS,
  type McpResolvableSource,
  type McpResourceReadMode,
  type McpStreamSource,
} from './stream-source.js';

export interface UpstreamInit {
  session: McpSession;
  streamUri: string;
  sources: readonly McpResolvableSource[];
  logLevel: LoggingLevel | undefined;
  emit: (event: McpStreamEventInit) => void;
  reportError: (error: unknown, where: string) => void;
  /** The upstream cannot go on: the session closed, or a lost subscription could not be renewed. */
  ended: (reason: 'session-closed' | 'stream-closed') => void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isClosed = (session: McpSession): boolean => session.state === 'closed';

export class Upstream {
  readonly #init: UpstreamInit;
  readonly #cleanups: (() => void)[] = [];
  readonly #readers = new Map<string, ResourceReader>();
  #subscription: McpSubscription | undefined;
  #filter: McpSubscriptionFilter | undefined;
  #stopped = false;
  /** A reconnect began and no gap marker has been sent for it yet. */
  #gapOpen = false;
  /** Nothing was emitted since the last gap marker (a second marker would say nothing new). */
  #justGapped = false;

  constructor(init: UpstreamInit) {
    this.#init = init;
  }

  async start(): Promise<void> {
    const { session } = this.#init;
    if (session.state === 'closed') {
      throw new McpConnectionError(`Session "${session.name}" is closed`, {
        server: session.name,
      });
    }
    try {
      const sources = await this.#resolve();
      this.#watchSession();
      if (sources.some((source) => source.kind === 'log')) {
        // In the 2026-07-28 era a server sends log messages only within requests that name a
        // level: without one, the stream would hear nothing. (Connect first to know the era.)
        if (!this.#init.logLevel && session.protocolEra === undefined) await session.ping();
        const level =
          this.#init.logLevel ?? (session.protocolEra === 'modern' ? 'debug' : undefined);
        if (level) await session.setLoggingLevel(level);
      }
      for (const source of sources) this.#listen(source);
      await this.#subscribe(sources);
      await Promise.all([...this.#readers.values()].map((reader) => reader.prime()));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const reader of this.#readers.values()) reader.stop();
    const subscription = this.#subscription;
    this.#subscription = undefined;
    await subscription?.close().catch((error: unknown) => {
      this.#init.reportError(error, 'closing the upstream subscription');
    });
  }

  #emit(event: McpStreamEventInit): void {
    this.#justGapped = event.source === 'gap';
    this.#init.emit(event);
  }

  #gap(reason: 'reconnected' | 'resubscribed'): void {
    this.#gapOpen = false;
    if (this.#justGapped) return;
    this.#emit({ type: 'gap', source: 'gap', reason, data: undefined });
    // In append mode what was appended while disconnected is still there: read it now.
    for (const reader of this.#readers.values()) reader.updated();
  }

  /** Names from the stream URI become resources the server lists (or a clear error). */
  async #resolve(): Promise<McpStreamSource[]> {
    const { session, streamUri } = this.#init;
    const pending = this.#init.sources.filter((source) => source.kind === 'resource-name');
    const listed = pending.length > 0 ? await session.listResources() : [];
    return this.#init.sources.map((source): McpStreamSource => {
      if (source.kind !== 'resource-name') return source;
      const match = listed.find((r) => r.name === source.name || r.uri === source.name);
      if (!match) {
        const names = listed.map((r) => r.name).slice(0, 20);
        throw new McpConfigError(
          `Unknown stream ${streamUri}: server "${session.name}" lists no resource named "${source.name}"` +
            ` (it lists ${names.length === 0 ? 'no resources' : names.map((n) => `"${n}"`).join(', ')}).` +
            ` Streams are logs, progress, list-changes, notifications/<method>, or a listed resource.`,
          { field: 'uri', expected: 'a stream the server offers', received: streamUri },
        );
      }
      return { kind: 'resource', uri: match.uri, ...(source.read ? { read: source.read } : {}) };
    });
  }

  #watchSession(): void {
    const { session } = this.#init;
    const closedNow = () => {
      if (this.#stopped) return;
      this.#init.ended('session-closed');
    };
    if (session.onStateChange) {
      this.#cleanups.push(
        session.onStateChange((change) => {
          if (change.state === 'reconnecting') this.#gapOpen = true;
          // With an McpSubscription the session says when it is restored (`restored`): the
          // gap is marked then, once the events can flow again.
          else if (change.state === 'connected' && this.#gapOpen && !this.#subscription)
            this.#gap('reconnected');
          else if (change.state === 'closed') closedNow();
        }),
      );
    }
    void session.closed?.then(closedNow);
  }

  #listen(source: McpStreamSource): void {
    const { session } = this.#init;
    const on = (method: string, handle: (notification: McpNotification) => void) =>
      this.#cleanups.push(session.onNotification(method, handle));
    switch (source.kind) {
      case 'log':
        on('notifications/message', (notification) => this.#log(notification));
        break;
      case 'progress':
        on('notifications/progress', ({ method, params }) => {
          if (!isRecord(params) || typeof params['progress'] !== 'number') {
            this.#malformed(method, 'params.progress is not a number');
            return;
          }
          this.#emit({ type: 'progress', source: 'progress', method, data: params });
        });
        break;
      case 'notification':
        on(source.method, ({ method, params }) =>
          this.#emit(payloadEvent(params, method, 'notification', method)),
        );
        break;
      case 'resource': {
        const read: McpResourceReadMode = source.read ?? 'snapshot';
        this.#readers.set(
          source.uri,
          new ResourceReader({
            session,
            uri: source.uri,
            read,
            emit: (event) => this.#emit(event),
            reportError: this.#init.reportError,
          }),
        );
        break;
      }
      case 'list-changed':
        break;
    }
  }

  #log({ method, params }: McpNotification): void {
    const level = params?.['level'];
    if (!LOGGING_LEVELS.includes(level as LoggingLevel)) {
      this.#malformed(method, `params.level ${JSON.stringify(level)} is not a logging level`);
      return;
    }
    const logger = params?.['logger'];
    this.#emit({
      type: 'log',
      source: 'log',
      method,
      level: level as LoggingLevel,
      ...(typeof logger === 'string' ? { logger } : {}),
      data: params?.['data'],
    });
  }

  #malformed(method: string, why: string): void {
    this.#init.reportError(
      new McpProtocolError(`Skipped a malformed ${method} notification: ${why}`, {
        server: this.#init.session.name,
        method,
      }),
      'notification',
    );
  }

  async #subscribe(sources: readonly McpStreamSource[]): Promise<void> {
    const filter: McpSubscriptionFilter = {};
    const resources = sources.flatMap((s) => (s.kind === 'resource' ? [s.uri] : []));
    if (resources.length > 0) filter.resources = resources;
    for (const source of sources) {
      if (source.kind !== 'list-changed') continue;
      const lists = source.lists ?? ['tools', 'resources', 'prompts'];
      if (lists.includes('tools')) filter.toolsListChanged = true;
      if (lists.includes('resources')) filter.resourcesListChanged = true;
      if (lists.includes('prompts')) filter.promptsListChanged = true;
    }
    if (Object.keys(filter).length === 0) return;
    const { session, streamUri } = this.#init;
    if (resources.length > 0 && session.protocolEra !== 'modern') {
      const capabilities = session.capabilities ?? (await session.ping(), session.capabilities);
      const resourceCaps = capabilities?.resources as { subscribe?: boolean } | undefined;
      if (capabilities && !resourceCaps?.subscribe) {
        throw new McpConfigError(
          `Server "${session.name}" does not offer resource subscriptions, so ${streamUri} cannot follow ${resources.join(', ')}`,
          { field: 'uri', expected: 'a server with capabilities.resources.subscribe' },
        );
      }
    }
    this.#filter = filter;
    await this.#openSubscription();
    const honoured = this.#subscription!.filter;
    const missing = resources.filter((uri) => !(honoured.resources ?? resources).includes(uri));
    if (missing.length > 0) {
      throw new McpConfigError(
        `Server "${session.name}" would not subscribe ${streamUri} to ${missing.join(', ')}`,
        { field: 'uri', expected: 'a resource the server notifies about' },
      );
    }
  }

  async #openSubscription(): Promise<void> {
    const subscription = await this.#init.session.subscribe(this.#filter!, (event) =>
      this.#onSubscriptionEvent(event),
    );
    this.#subscription = subscription;
    void subscription.closed.then((end) => {
      if (this.#stopped || this.#subscription !== subscription || end === 'local') return;
      void this.#renew();
    });
  }

  /** The server ended the subscription (or it was lost) while the session lives: renew it. */
  async #renew(): Promise<void> {
    const { session } = this.#init;
    if (isClosed(session)) return; // the session watch ends the stream
    try {
      await this.#openSubscription();
      this.#gap('resubscribed');
    } catch (error) {
      if (this.#stopped) return;
      this.#init.reportError(error, 'renewing the upstream subscription');
      this.#init.ended(isClosed(session) ? 'session-closed' : 'stream-closed');
    }
  }

  #onSubscriptionEvent(event: McpSubscriptionEvent): void {
    if (this.#stopped) return;
    switch (event.type) {
      case 'resource-updated':
        this.#readers.get(event.uri)?.updated();
        break;
      case 'list-changed':
        this.#emit({ type: 'list-changed', source: 'list-changed', data: { list: event.list } });
        break;
      case 'restored':
        this.#gap('reconnected');
        break;
    }
  }
}
