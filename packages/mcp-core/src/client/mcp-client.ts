// MCPClient: one MCP server, any transport, both protocol eras, made production-grade.
// A thin facade: requests go through the RequestExecutor (middleware → admission → retries
// → rate limit → circuit breaker → the least busy pooled session); the ConnectionPool keeps
// the sessions, the ToolCatalog the tool list, the NotificationRouter what servers push.
import {
  McpConfigError,
  McpConnectionError,
  parseMcpUri,
  type CallToolResult,
  type Completion,
  type CompletionArgument,
  type CompletionReference,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type McpError,
  type McpListItems,
  type McpListKind,
  type McpMiddleware,
  type McpNotificationHandler,
  type McpPage,
  type McpPageOptions,
  type McpProtocolEra,
  type McpRequestOptions,
  type McpServerRequestHandler,
  type McpServerRequestMethod,
  type McpSession,
  type McpSessionState,
  type McpSessionStateChange,
  type McpSubscription,
  type McpSubscriptionFilter,
  type McpSubscriptionListener,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@tframex/mcp-api';
import type {
  McpClientEvents,
  McpEventListener,
  McpEventSource,
  McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';
import type { SdkConnection, TransportSpec } from '../adapter/sdk-adapter.js';
import { MiddlewarePipeline } from '../middleware/middleware-pipeline.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { clientResilience } from '../resilience/client-resilience.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import { RetryPolicy } from '../resilience/retry-policy.js';
import { compileToolFilter, type ToolFilter } from '../tools/tool-filter.js';
import { AdmissionQueue } from './admission-queue.js';
import type { ClientRequest } from './client-request.js';
import type { ClientSettings } from './client-settings.js';
import { ClientTelemetry } from './client-telemetry.js';
import { clientSnapshot } from './client-snapshot.js';
import { ConnectionPool } from './connection-pool.js';
import { resolveClientSettings, type MCPClientOptions } from './mcp-client-options.js';
import { NotificationRouter } from './notification-router.js';
import { RequestExecutor } from './request-executor.js';
import { ServerRequestRouter } from './server-request-router.js';
import { SessionLifecycle, sessionStateOf } from './session-lifecycle.js';
import { sessionRequests, toPage } from './session-requests.js';
import { SubscriptionHub } from './subscription-hub.js';
import { ToolCaller, type CallToolOptions } from './tool-caller.js';
import { ToolCatalog } from './tool-catalog.js';

export type { CallToolOptions };

const SERVER_REQUEST_METHODS: ReadonlySet<string> = new Set([
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
]);

/** Options of `listTools`. */
export interface ListToolsOptions extends McpRequestOptions {
  /** Ask the server even when a cached list is fresh. */
  refresh?: boolean;
}

export class MCPClient implements McpSession, McpEventSource<McpClientEvents> {
  readonly name: string;
  readonly settings: Readonly<ClientSettings>;
  readonly #telemetry: ClientTelemetry;
  readonly #retry: RetryPolicy;
  readonly #pipeline = new MiddlewarePipeline();
  readonly #breaker: CircuitBreaker | undefined;
  readonly #limiter: RateLimiter | undefined;
  readonly #queue: AdmissionQueue;
  readonly #pool: ConnectionPool;
  readonly #releaseResilience: () => void;
  readonly #subscriptions: SubscriptionHub;
  readonly #notifications: NotificationRouter;
  readonly #catalog: ToolCatalog;
  readonly #executor: RequestExecutor;
  readonly #tools: ToolCaller;
  readonly #router: ServerRequestRouter;
  readonly #lifecycle: SessionLifecycle;
  #closed = false;
  #logLevel: LoggingLevel | undefined;

  /**
   * Validates the options (an McpConfigError lists every problem) and prepares the client;
   * nothing connects until `connect()` or the first request.
   */
  constructor(options: MCPClientOptions) {
    const settings = resolveClientSettings(options);
    this.settings = settings;
    this.name = settings.name;
    const telemetry = (this.#telemetry = new ClientTelemetry(settings.name));
    const retry = new RetryPolicy({
      retryAttempts: settings.retryAttempts,
      retryDelayMs: settings.retryDelayMs,
      retryMaxDelayMs: settings.retryMaxDelayMs,
      jitter: settings.retryJitter,
      retryNonIdempotent: settings.retryNonIdempotent,
    });
    // Owned (from options) or shared instances (RateLimitHandler, MCPCircuitBreaker).
    const resilience = clientResilience(settings, telemetry.hub);
    this.#breaker = resilience.breaker;
    this.#limiter = resilience.limiter;
    this.#releaseResilience = resilience.release;
    this.#queue = new AdmissionQueue({
      server: settings.name,
      maxInFlight: settings.maxConnections,
      maxQueued: settings.maxQueuedRequests,
      closedError: () => this.#closedError(),
    });
    this.#subscriptions = new SubscriptionHub(
      () => ({ timeoutMs: this.settings.timeoutMs }),
      (error, event) => telemetry.listenerError('subscription-listener', event, error),
    );
    this.#catalog = new ToolCatalog({
      server: settings.name,
      security: settings.security,
      debounceMs: settings.toolsChangedDebounceMs,
      list: (listOptions) =>
        this.#request({
          method: 'tools/list',
          params: {},
          options: listOptions,
          idempotent: true,
          operation: (connection, sdkOptions) => connection.listTools(sdkOptions),
        }),
      onListed: () => this.#watchToolList(),
      onRefreshed: (count) => telemetry.listChanged('tools', count),
    });
    this.#notifications = new NotificationRouter(telemetry, this.#subscriptions, () =>
      this.#catalog.changed(),
    );
    this.#router = new ServerRequestRouter(settings.name, settings.handlers);
    this.#lifecycle = new SessionLifecycle((error) =>
      telemetry.listenerError('other', 'state', error),
    );
    this.#pool = new ConnectionPool(settings, telemetry, {
      serverRequestHandlers: () => this.#router.handlers(),
      onStateChange: (_index, change) => {
        if (this.#closed) return;
        this.#lifecycle.set(
          sessionStateOf(this.#pool.slots.map((slot) => slot.state)),
          change.error,
        );
      },
      onNotification: (index, method, params) => this.#notifications.route(index, method, params),
      onOpened: (index, connection, reconnected) => this.#opened(index, connection, reconnected),
      onLost: (index) => {
        // With subscribers waiting for events, come back at once rather than on next use.
        if (index === 0 && this.#subscriptions.size > 0 && !this.#closed) {
          void this.#pool.slots[0]!.get().catch(() => undefined);
        }
      },
    });
    this.#executor = new RequestExecutor({
      settings,
      telemetry,
      pipeline: this.#pipeline,
      queue: this.#queue,
      retry,
      limiter: this.#limiter,
      breaker: this.#breaker,
      pool: this.#pool,
      isClosed: () => this.#closed,
      closedError: () => this.#closedError(),
      toolsKnown: () => this.#catalog.known,
      router: this.#router,
      learnIdempotent: (tool, signal) =>
        this.listTools({ signal }).then(
          () => this.#catalog.isIdempotent(tool),
          () => false,
        ),
    });
    this.#tools = new ToolCaller(settings.name, this.#executor, this.#catalog, settings.security);
    this.#retry = retry;
  }

  // --- McpSession: identity -------------------------------------------------------------

  get serverInfo(): Implementation | undefined {
    return this.#pool.primary?.serverInfo;
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.#pool.primary?.capabilities;
  }
  get protocolVersion(): string | undefined {
    return this.#pool.primary?.protocolVersion;
  }
  get protocolEra(): McpProtocolEra | undefined {
    return this.#pool.primary?.protocolEra;
  }
  get instructions(): string | undefined {
    return this.#pool.primary?.instructions;
  }
  /** Whether at least one pooled session is connected. */
  get isConnected(): boolean {
    return this.#pool.isConnected;
  }
  /** The transport actually in use (`sse` after a fallback from Streamable HTTP). */
  get transportKind(): TransportSpec['kind'] {
    return this.#pool.transportKind;
  }
  /** Process ids of the stdio servers this client runs. */
  get pids(): number[] {
    return this.#pool.pids;
  }

  /** The client's circuit breaker, when `circuitBreaker` is configured. */
  get circuitBreaker(): CircuitBreaker | undefined {
    return this.#breaker;
  }
  /** The client's rate limiter, when `rateLimit` is configured. */
  get rateLimiter(): RateLimiter | undefined {
    return this.#limiter;
  }

  // --- events and middleware -------------------------------------------------------------

  on<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): () => void {
    return this.#telemetry.on(event, listener);
  }
  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.#telemetry.off(event, listener);
  }

  /** Adds a middleware around every request (see MiddlewarePipeline for the order). */
  use(middleware: McpMiddleware): () => void {
    return this.#pipeline.use(middleware);
  }

  onNotification(method: string, handler: McpNotificationHandler): () => void {
    return this.#notifications.on(method, handler);
  }

  // --- lifecycle ------------------------------------------------------------------------

  /** Sets up a session that just opened, before any request uses it. */
  async #opened(index: number, connection: SdkConnection, reconnected: boolean): Promise<void> {
    if (reconnected && index === 0) {
      this.#catalog.invalidate();
      void this.#subscriptions.apply(connection).catch(() => undefined);
    }
    // A new session knows nothing of what the client asked of the old one.
    if (this.#logLevel !== undefined) {
      await connection.setLoggingLevel(this.#logLevel, { timeoutMs: this.settings.timeoutMs });
    }
  }

  /**
   * Connects every pooled session. Transient failures are retried with backoff; a server
   * that only speaks the legacy SSE transport is detected and used.
   */
  async connect(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#assertOpen();
    await this.#retry.execute(() => this.#pool.connectPrimary(options.signal), {
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
      onRetry: (info) => this.#telemetry.retry({ method: 'initialize' }, undefined, info),
    });
    await this.#pool.connectRest(options.signal);
    this.#pool.startKeepalive();
  }

  /** Ends every session, stops stdio servers and timers. In-flight requests reject with McpCancelledError. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#catalog.close();
    this.#subscriptions.closeAll();
    this.#releaseResilience();
    await this.#pool.close();
    this.#queue.close();
    this.#lifecycle.set('closed');
  }

  /** Where the client stands as one session: the best state of its pooled connections. */
  get state(): McpSessionState {
    return this.#lifecycle.state;
  }

  /** Tells `listener` about every change of `state`; returns a function that removes it. */
  onStateChange(listener: (change: McpSessionStateChange) => void): () => void {
    return this.#lifecycle.onChange(listener);
  }

  /** Settles (never rejects) once the client is closed. */
  get closed(): Promise<void> {
    return this.#lifecycle.closed;
  }

  /** Where the server stands now: connections, requests in flight and queued, circuit, last success and error. */
  snapshot(): McpTelemetrySnapshot {
    return clientSnapshot({
      server: this.name,
      state: this.#lifecycle.state,
      pool: this.#pool,
      telemetry: this.#telemetry,
      queued: this.#queue.queued + (this.#limiter?.queueLength ?? 0),
      circuit: this.#breaker?.state,
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #closedError(): McpConnectionError {
    return new McpConnectionError(`the client for "${this.name}" is closed`, {
      server: this.name,
      retryable: false,
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw this.#closedError();
  }

  #request<T>(request: ClientRequest<T>): Promise<T> {
    return this.#executor.run(request);
  }

  /**
   * Keeps the cached tool list fresh. A legacy server pushes `tools/list_changed` on its own;
   * a 2026-07-28 server only on a `subscriptions/listen` stream, so once there is a list to
   * keep fresh the client holds one open (and reopens it after reconnects) with no user
   * subscription needed.
   */
  #watchToolList(): void {
    const connection = this.#pool.primary;
    if (
      this.#closed ||
      connection?.protocolEra !== 'modern' ||
      connection.capabilities?.tools?.listChanged !== true ||
      this.#subscriptions.watchingToolChanges
    )
      return;
    this.#subscriptions.watchToolChanges(true);
    // A stream that cannot open now is tried again with the next listing.
    void this.#subscriptions
      .apply(connection)
      .catch(() => this.#subscriptions.watchToolChanges(false));
  }

  // --- McpSession: requests ---------------------------------------------------------------

  /** Every tool (all pages). Cached until the server says the list changed, or `refresh`. */
  listTools(options?: ListToolsOptions): Promise<Tool[]> {
    return this.#catalog.list(options);
  }

  /** Tools refused by the security policy at the last listing (schemas past the limits), with why. */
  get rejectedTools(): { name: string; error: McpError }[] {
    return this.#catalog.rejected;
  }

  /**
   * Tools that match a filter: by capability or tags (read from `_meta`, including other MCP
   * frameworks' conventions), annotations, name pattern. Uses the cached tool list.
   */
  async discoverTools(filter: ToolFilter = {}, options?: ListToolsOptions): Promise<Tool[]> {
    const matches = compileToolFilter(filter);
    const tools = await this.listTools(options);
    const context = {
      server: this.name,
      ...(this.protocolVersion ? { protocolVersion: this.protocolVersion } : {}),
      ...(this.protocolEra ? { protocolEra: this.protocolEra } : {}),
    };
    return tools.filter((tool) => matches(tool, context));
  }

  /**
   * The full description of `mcp://<server>/<tool>` (or a bare tool name) on this server,
   * or undefined when the server has no such tool. A URI naming another server is an
   * McpConfigError: a client speaks to its own server only.
   */
  async getToolInfo(uriOrName: string, options?: ListToolsOptions): Promise<Tool | undefined> {
    let name = uriOrName;
    if (uriOrName.toLowerCase().startsWith('mcp://')) {
      const uri = parseMcpUri(uriOrName);
      if (uri.server !== this.name) {
        throw new McpConfigError(
          `${uriOrName} names server "${uri.server}", but this client is "${this.name}"`,
          {
            field: 'uri',
            expected: `mcp://${this.name}/<tool>`,
            received: uriOrName,
          },
        );
      }
      if (uri.wildcard) {
        throw new McpConfigError(`${uriOrName} names every tool; getToolInfo needs one`, {
          field: 'uri',
          expected: 'mcp://<server>/<tool>',
          received: uriOrName,
        });
      }
      name = uri.name;
    }
    return (await this.listTools(options)).find((tool) => tool.name === name);
  }

  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<CallToolResult> {
    return this.#tools.call(name, args, options);
  }

  listResources(options?: McpRequestOptions): Promise<Resource[]> {
    return this.#request(sessionRequests.listResources(options));
  }

  listResourceTemplates(options?: McpRequestOptions): Promise<ResourceTemplate[]> {
    return this.#request(sessionRequests.listResourceTemplates(options));
  }

  readResource(uri: string, options?: McpRequestOptions): Promise<ReadResourceResult> {
    return this.#request(sessionRequests.readResource(uri, options));
  }

  listPrompts(options?: McpRequestOptions): Promise<Prompt[]> {
    return this.#request(sessionRequests.listPrompts(options));
  }

  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: McpRequestOptions,
  ): Promise<GetPromptResult> {
    return this.#request(sessionRequests.getPrompt(name, args, options));
  }

  complete(
    ref: CompletionReference,
    argument: CompletionArgument,
    options?: McpRequestOptions & { context?: { arguments?: Record<string, string> } },
  ): Promise<Completion> {
    return this.#request(sessionRequests.complete(ref, argument, options));
  }

  /**
   * Sets the server's log level (`notifications/message` below it stop), on every pooled
   * session and on sessions opened later. In the modern era the level travels in each
   * request's `_meta`.
   */
  async setLoggingLevel(level: LoggingLevel, options?: McpRequestOptions): Promise<void> {
    let used: SdkConnection | undefined;
    await this.#request({
      method: 'logging/setLevel',
      params: { level },
      options,
      idempotent: true,
      operation: (c, o, p) => {
        used = c;
        return c.setLoggingLevel(p.level as LoggingLevel, o);
      },
    });
    this.#logLevel = level;
    // The other pooled sessions, too.
    await Promise.all(
      this.#pool.slots.map((slot) =>
        slot.current && slot.current !== used
          ? slot.current
              .setLoggingLevel(level, { timeoutMs: this.settings.timeoutMs })
              .catch(() => undefined)
          : undefined,
      ),
    );
  }

  /**
   * Sends any request, for methods the typed API lacks (tasks, extensions), through the same
   * middleware, limits, retries (only when `idempotent`) and telemetry as the typed ones.
   * Resolves with the JSON-RPC result as the server sent it.
   */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options?: McpRequestOptions & { idempotent?: boolean },
  ): Promise<Record<string, unknown>> {
    return this.#request(sessionRequests.generic(method, params, options));
  }

  /** Sends a notification to the server (on the first pooled session). */
  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    this.#assertOpen();
    const connection = await this.#pool.slots[0]!.get();
    await connection.notify(method, params);
  }

  /** One page of a list; `paginate(client, list)` walks them all in constant memory. */
  async listPage<K extends McpListKind>(
    list: K,
    options?: McpPageOptions,
  ): Promise<McpPage<McpListItems[K]>> {
    return toPage(list, await this.#request(sessionRequests.listPage(list, options)));
  }

  /**
   * Installs the handler for a kind of server request (sampling, elicitation, roots),
   * replacing the one given as an option or before; returns a function that removes it.
   * The capability is announced by sessions opened from then on (connect after installing).
   * A request's own `serverRequestHandlers` answer the server requests made during it.
   */
  setServerRequestHandler(
    method: McpServerRequestMethod,
    handler: McpServerRequestHandler,
  ): () => void {
    if (!SERVER_REQUEST_METHODS.has(method)) {
      throw new McpConfigError(
        `setServerRequestHandler: unknown method ${JSON.stringify(method)}`,
        {
          field: 'method',
          expected: [...SERVER_REQUEST_METHODS].join(' | '),
          received: method,
        },
      );
    }
    if (typeof handler !== 'function') {
      throw new McpConfigError('setServerRequestHandler: handler must be a function', {
        field: 'handler',
        expected: 'a function (params, context) => result',
        received: handler,
      });
    }
    return this.#router.set(method, handler);
  }

  ping(options?: McpRequestOptions): Promise<void> {
    return this.#request(sessionRequests.ping(options));
  }

  /**
   * Subscribes to resource updates and list changes in either era. Subscriptions survive
   * reconnects; `closed` settles when you close them or the client closes.
   */
  async subscribe(
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    options?: McpRequestOptions,
  ): Promise<McpSubscription> {
    this.#assertOpen();
    const connection = await this.#pool.slots[0]!.get(options?.signal);
    return this.#subscriptions.add(connection, filter, listener);
  }
}
