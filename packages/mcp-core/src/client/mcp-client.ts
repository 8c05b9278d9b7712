// MCPClient: one MCP server, any transport, both protocol eras, made production-grade.
// A thin facade: requests go through the RequestExecutor (middleware → admission → retries
// → rate limit → circuit breaker → the least busy pooled session); the ConnectionPool keeps
// the sessions, the ToolCatalog the tool list, the NotificationRouter what servers push.
// assembleClient builds and wires those parts; the facade only validates and calls.
import {
  McpConnectionError,
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
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import { compileToolFilter, type ToolFilter } from '../tools/tool-filter.js';
import { assembleClient, type ClientParts } from './assemble-client.js';
import type { ClientRequest } from './client-request.js';
import type { ClientSettings } from './client-settings.js';
import { clientSnapshot } from './client-snapshot.js';
import { resolveClientSettings, type MCPClientOptions } from './mcp-client-options.js';
import { sessionRequests, toPage } from './session-requests.js';
import { type CallToolOptions } from './tool-caller.js';
import { toolNameInUri } from './tool-name-in-uri.js';

export type { CallToolOptions };

/** Options of `listTools`. */
export interface ListToolsOptions extends McpRequestOptions {
  /** Ask the server even when a cached list is fresh. */
  refresh?: boolean;
}

export class MCPClient implements McpSession, McpEventSource<McpClientEvents> {
  readonly name: string;
  readonly settings: Readonly<ClientSettings>;
  readonly #p: ClientParts;
  #closed = false;

  /**
   * Validates the options (an McpConfigError lists every problem) and prepares the client;
   * nothing connects until `connect()` or the first request.
   */
  constructor(options: MCPClientOptions) {
    const settings = resolveClientSettings(options);
    this.settings = settings;
    this.name = settings.name;
    this.#p = assembleClient(settings, {
      isClosed: () => this.#closed,
      closedError: () => this.#closedError(),
    });
  }

  // --- McpSession: identity -------------------------------------------------------------

  get serverInfo(): Implementation | undefined {
    return this.#p.pool.primary?.serverInfo;
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.#p.pool.primary?.capabilities;
  }
  get protocolVersion(): string | undefined {
    return this.#p.pool.primary?.protocolVersion;
  }
  get protocolEra(): McpProtocolEra | undefined {
    return this.#p.pool.primary?.protocolEra;
  }
  get instructions(): string | undefined {
    return this.#p.pool.primary?.instructions;
  }
  /** Whether at least one pooled session is connected. */
  get isConnected(): boolean {
    return this.#p.pool.isConnected;
  }
  /** The transport actually in use (`sse` after a fallback from Streamable HTTP). */
  get transportKind(): TransportSpec['kind'] {
    return this.#p.pool.transportKind;
  }
  /** Process ids of the stdio servers this client runs. */
  get pids(): number[] {
    return this.#p.pool.pids;
  }

  /** The client's circuit breaker, when `circuitBreaker` is configured. */
  get circuitBreaker(): CircuitBreaker | undefined {
    return this.#p.breaker;
  }
  /** The client's rate limiter, when `rateLimit` is configured. */
  get rateLimiter(): RateLimiter | undefined {
    return this.#p.limiter;
  }

  // --- events and middleware -------------------------------------------------------------

  on<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): () => void {
    return this.#p.telemetry.on(event, listener);
  }
  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.#p.telemetry.off(event, listener);
  }

  /** Adds a middleware around every request (see MiddlewarePipeline for the order). */
  use(middleware: McpMiddleware): () => void {
    return this.#p.pipeline.use(middleware);
  }

  onNotification(method: string, handler: McpNotificationHandler): () => void {
    return this.#p.notifications.on(method, handler);
  }

  // --- lifecycle ------------------------------------------------------------------------

  /**
   * Connects every pooled session. Transient failures are retried with backoff; a server
   * that only speaks the legacy SSE transport is detected and used.
   */
  async connect(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#assertOpen();
    await this.#p.retry.execute(() => this.#p.pool.connectPrimary(options.signal), {
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
      onRetry: (info) => this.#p.telemetry.retry({ method: 'initialize' }, undefined, info),
    });
    await this.#p.pool.connectRest(options.signal);
    this.#p.pool.startKeepalive();
  }

  /** Ends every session, stops stdio servers and timers. In-flight requests reject with McpCancelledError. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#p.catalog.close();
    this.#p.subscriptions.closeAll();
    this.#p.releaseResilience();
    await this.#p.pool.close();
    this.#p.queue.close();
    this.#p.lifecycle.set('closed');
  }

  /** Where the client stands as one session: the best state of its pooled connections. */
  get state(): McpSessionState {
    return this.#p.lifecycle.state;
  }

  /** Tells `listener` about every change of `state`; returns a function that removes it. */
  onStateChange(listener: (change: McpSessionStateChange) => void): () => void {
    return this.#p.lifecycle.onChange(listener);
  }

  /** Settles (never rejects) once the client is closed. */
  get closed(): Promise<void> {
    return this.#p.lifecycle.closed;
  }

  /** Where the server stands now: connections, requests in flight and queued, circuit, last success and error. */
  snapshot(): McpTelemetrySnapshot {
    return clientSnapshot({
      server: this.name,
      state: this.#p.lifecycle.state,
      pool: this.#p.pool,
      telemetry: this.#p.telemetry,
      queued: this.#p.queue.queued + (this.#p.limiter?.queueLength ?? 0),
      circuit: this.#p.breaker?.state,
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
    return this.#p.executor.run(request);
  }

  // --- McpSession: requests ---------------------------------------------------------------

  /** Every tool (all pages). Cached until the server says the list changed, or `refresh`. */
  listTools(options?: ListToolsOptions): Promise<Tool[]> {
    return this.#p.catalog.list(options);
  }

  /** Tools refused by the security policy at the last listing (schemas past the limits), with why. */
  get rejectedTools(): { name: string; error: McpError }[] {
    return this.#p.catalog.rejected;
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
    const name = toolNameInUri(uriOrName, this.name);
    return (await this.listTools(options)).find((tool) => tool.name === name);
  }

  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<CallToolResult> {
    return this.#p.tools.call(name, args, options);
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
    // The other pooled sessions, too, and those opened later.
    await this.#p.logLevel.spread(level, used, this.#p.pool);
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
    const connection = await this.#p.pool.slots[0]!.get();
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
    return this.#p.router.set(method, handler);
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
    const connection = await this.#p.pool.slots[0]!.get(options?.signal);
    return this.#p.subscriptions.add(connection, filter, listener);
  }
}
