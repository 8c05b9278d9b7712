// MCPClient: one MCP server, any transport, both protocol eras, made production-grade.
// Every request runs: middleware → rate limit → retries (→ circuit breaker) → the least
// busy pooled session, with telemetry events around each attempt.
import {
  McpConfigError,
  McpConnectionError,
  McpError,
  parseMcpUri,
  McpRateLimitedError,
  McpSessionExpiredError,
  type CallToolResult,
  type Completion,
  type CompletionArgument,
  type CompletionReference,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type McpMiddleware,
  type McpNotificationHandler,
  type McpProtocolEra,
  type McpRequest,
  type McpRequestOptions,
  type McpSession,
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
import {
  McpEventHub,
  type McpClientEvents,
  type McpConnectionState,
  type McpEventListener,
  type McpEventSource,
} from '@tframex/mcp-telemetry-api';
import {
  cacheHintsOf,
  type SdkConnection,
  type SdkRequestOptions,
  type TransportSpec,
} from '../adapter/sdk-adapter.js';
import { createMcpFetch, type McpFetch } from '../http/mcp-fetch.js';
import { MiddlewarePipeline } from '../middleware/middleware-pipeline.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { clientResilience } from '../resilience/client-resilience.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import { RetryPolicy } from '../resilience/retry-policy.js';
import { isIdempotentTool } from '../tools/is-idempotent-tool.js';
import { compileToolFilter, type ToolFilter } from '../tools/tool-filter.js';
import { sleep } from '../resilience/sleep.js';
import type { ClientSettings } from './client-settings.js';
import { resolveClientSettings, type MCPClientOptions } from './mcp-client-options.js';
import { ManagedConnection, type ManagedState } from './managed-connection.js';
import { SubscriptionHub } from './subscription-hub.js';

/** Options of `callTool` beyond the common request options. */
export interface CallToolOptions extends McpRequestOptions {
  /**
   * Declares the call safe to repeat, so transient failures may replay it. By default only
   * tools annotated `readOnlyHint` or `idempotentHint` are replayed (or all, with
   * `retryNonIdempotent`).
   */
  idempotent?: boolean;
}

/** Options of `listTools`. */
export interface ListToolsOptions extends McpRequestOptions {
  /** Ask the server even when a cached list is fresh. */
  refresh?: boolean;
}

type Operation<T> = (
  connection: SdkConnection,
  options: SdkRequestOptions,
  params: Record<string, unknown>,
) => Promise<T>;

const STATE_MAP: Record<ManagedState, McpConnectionState> = {
  idle: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  closed: 'closed',
};

let nextRequestId = 1;

export class MCPClient implements McpSession, McpEventSource<McpClientEvents> {
  readonly name: string;
  readonly settings: Readonly<ClientSettings>;
  readonly #events = new McpEventHub<McpClientEvents>();
  readonly #pipeline = new MiddlewarePipeline();
  readonly #retry: RetryPolicy;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #limiter: RateLimiter | undefined;
  readonly #releaseResilience: () => void;
  readonly #slots: ManagedConnection[];
  readonly #subscriptions: SubscriptionHub;
  readonly #notificationHandlers = new Map<string, Set<McpNotificationHandler>>();
  readonly #fetch: McpFetch | undefined;
  #transportKind: TransportSpec['kind'];
  #tools: Tool[] | undefined;
  #toolIndex: { tools: Tool[]; byName: Map<string, Tool> } | undefined;
  #toolsLoading: Promise<Tool[]> | undefined;
  #toolsChangedTimer: NodeJS.Timeout | undefined;
  #keepaliveTimer: NodeJS.Timeout | undefined;
  #queue: { waiters: (() => void)[]; active: number } = { waiters: [], active: 0 };
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
    this.#retry = new RetryPolicy({
      retryAttempts: settings.retryAttempts,
      retryDelayMs: settings.retryDelayMs,
      retryMaxDelayMs: settings.retryMaxDelayMs,
      jitter: settings.retryJitter,
      retryNonIdempotent: settings.retryNonIdempotent,
    });
    // Owned (from options) or shared instances (RateLimitHandler, MCPCircuitBreaker).
    const resilience = clientResilience(settings, this.#events);
    this.#breaker = resilience.breaker;
    this.#limiter = resilience.limiter;
    this.#releaseResilience = resilience.release;
    const transport = settings.transport;
    this.#transportKind = transport.kind;
    if (transport.kind === 'streamable-http' || transport.kind === 'sse') {
      this.#fetch = createMcpFetch({
        server: this.name,
        ...(settings.auth ? { auth: settings.auth } : {}),
        ...(settings.tls ? { tls: settings.tls } : {}),
        enableCompression: settings.enableCompression,
        ...(settings.maxResponseBytes ? { maxResponseBytes: settings.maxResponseBytes } : {}),
        ...(settings.signHeaders ? { signHeaders: settings.signHeaders } : {}),
        ...(settings.security
          ? {
              checkUrl: (url: URL) =>
                void settings.security!.checkUrl(url, { server: settings.name }),
              checkRedirect: (from: URL, to: URL) =>
                settings.security!.checkRedirect(from, to, { server: settings.name }),
            }
          : {}),
      });
    }
    this.#subscriptions = new SubscriptionHub(() => ({ timeoutMs: this.settings.timeoutMs }));
    const poolSize = transport.kind === 'memory' ? 1 : settings.connectionPoolSize;
    this.#slots = Array.from({ length: poolSize }, (_, index) => this.#makeSlot(index));
  }

  // --- McpSession: identity -------------------------------------------------------------

  get #primary(): SdkConnection | undefined {
    return this.#slots[0]!.current;
  }
  get serverInfo(): Implementation | undefined {
    return this.#primary?.serverInfo;
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.#primary?.capabilities;
  }
  get protocolVersion(): string | undefined {
    return this.#primary?.protocolVersion;
  }
  get protocolEra(): McpProtocolEra | undefined {
    return this.#primary?.protocolEra;
  }
  get instructions(): string | undefined {
    return this.#primary?.instructions;
  }
  /** Whether at least one pooled session is connected. */
  get isConnected(): boolean {
    return this.#slots.some((slot) => slot.current !== undefined);
  }
  /** The transport actually in use (`sse` after a fallback from Streamable HTTP). */
  get transportKind(): TransportSpec['kind'] {
    return this.#transportKind;
  }
  /** Process ids of the stdio servers this client runs. */
  get pids(): number[] {
    return this.#slots.flatMap((slot) =>
      slot.current?.pid !== undefined ? [slot.current.pid] : [],
    );
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
    return this.#events.on(event, listener);
  }
  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.#events.off(event, listener);
  }

  /** Adds a middleware around every request (see MiddlewarePipeline for the order). */
  use(middleware: McpMiddleware): () => void {
    return this.#pipeline.use(middleware);
  }

  onNotification(method: string, handler: McpNotificationHandler): () => void {
    let handlers = this.#notificationHandlers.get(method);
    if (!handlers) this.#notificationHandlers.set(method, (handlers = new Set()));
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  // --- lifecycle ------------------------------------------------------------------------

  #makeSlot(index: number): ManagedConnection {
    return new ManagedConnection(this.name, index, {
      spec: () => this.#spec(),
      connectTimeoutMs: this.settings.connectTimeoutMs,
      sdkOptions: {
        clientInfo: this.settings.clientInfo,
        protocol: this.settings.protocol,
        handlers: this.settings.handlers,
        onNotification: (method, params) => this.#onNotification(index, method, params),
        onTransportError: (error) => {
          if (McpSessionExpiredError.isInstance(error))
            void this.#slots[index]!.reconnect().catch(() => undefined);
        },
      },
      onState: (state, error) => {
        if (!this.#events.hasListeners('connection:state')) return;
        this.#events.emit('connection:state', {
          server: this.name,
          state: STATE_MAP[state],
          transport: this.#transportKind,
          ...(this.#slots[index]?.current?.protocolVersion
            ? { protocolVersion: this.#slots[index].current.protocolVersion }
            : {}),
          ...(error ? { error } : {}),
        });
      },
      onOpened: async (connection, reconnected) => {
        if (reconnected && index === 0) {
          this.#tools = undefined;
          void this.#subscriptions.apply(connection).catch(() => undefined);
        }
        // A new session knows nothing of what the client asked of the old one.
        if (this.#logLevel !== undefined) {
          await connection.setLoggingLevel(this.#logLevel, { timeoutMs: this.settings.timeoutMs });
        }
      },
      onLost: () => {
        // With subscribers waiting for events, come back at once rather than on next use.
        if (index === 0 && this.#subscriptions.size > 0 && !this.#closed) {
          void this.#slots[0]!.get().catch(() => undefined);
        }
      },
    });
  }

  #spec(): TransportSpec {
    const transport = this.settings.transport;
    if (transport.kind === 'stdio') {
      return {
        kind: 'stdio',
        command: transport.command,
        args: transport.args,
        ...(transport.env ? { env: transport.env } : {}),
        ...(transport.cwd ? { cwd: transport.cwd } : {}),
        ...(this.settings.maxResponseBytes
          ? { maxMessageBytes: this.settings.maxResponseBytes }
          : {}),
      };
    }
    if (transport.kind === 'memory') return { kind: 'memory', transport: transport.transport };
    const kind = this.#transportKind === 'sse' ? 'sse' : 'streamable-http';
    return { kind, url: transport.url, headers: this.settings.headers, fetch: this.#fetch!.fetch };
  }

  /**
   * Connects every pooled session. Transient failures are retried with backoff; a server
   * that only speaks the legacy SSE transport is detected and used.
   */
  async connect(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#assertOpen();
    await this.#retry.execute(() => this.#connectPrimary(options.signal), {
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
      onRetry: (info) => this.#emitRetry('initialize', undefined, info),
    });
    await Promise.all(this.#slots.slice(1).map((slot) => slot.get(options.signal)));
    this.#startKeepalive();
  }

  async #connectPrimary(signal?: AbortSignal): Promise<void> {
    const transport = this.settings.transport;
    try {
      await this.#slots[0]!.get(signal);
    } catch (error) {
      const canFallBack =
        transport.kind === 'streamable-http' &&
        transport.fallbackToSse &&
        this.#transportKind === 'streamable-http' &&
        McpConnectionError.isInstance(error) &&
        (error.status === 404 || error.status === 405);
      if (!canFallBack) throw error;
      this.#transportKind = 'sse';
      await this.#slots[0]!.get(signal);
    }
  }

  #startKeepalive(): void {
    const interval = this.settings.keepaliveIntervalMs;
    if (interval <= 0 || this.#keepaliveTimer) return;
    this.#keepaliveTimer = setInterval(() => void this.#keepalive(interval), interval);
    this.#keepaliveTimer.unref();
  }

  async #keepalive(interval: number): Promise<void> {
    const now = performance.now();
    await Promise.all(
      this.#slots.map(async (slot) => {
        const connection = slot.current;
        if (!connection || slot.inFlight > 0 || now - slot.lastActivity < interval) return;
        try {
          await connection.ping({ timeoutMs: Math.min(this.settings.timeoutMs, interval) });
          slot.lastActivity = performance.now();
        } catch {
          if (!this.#closed) await slot.reconnect(connection).catch(() => undefined);
        }
      }),
    );
  }

  /** Ends every session, stops stdio servers and timers. In-flight requests reject with McpCancelledError. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepaliveTimer);
    clearTimeout(this.#toolsChangedTimer);
    this.#subscriptions.closeAll();
    this.#releaseResilience();
    await Promise.all(this.#slots.map((slot) => slot.close()));
    for (const wake of this.#queue.waiters.splice(0)) wake();
    await this.#fetch?.close();
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

  // --- notifications ----------------------------------------------------------------------

  #onNotification(slot: number, method: string, params: Record<string, unknown> | undefined): void {
    if (slot === 0 || method === 'notifications/message') {
      this.#subscriptions.dispatch(method, params);
      if (method === 'notifications/tools/list_changed') this.#toolsChanged();
      else if (
        method === 'notifications/resources/list_changed' ||
        method === 'notifications/prompts/list_changed'
      ) {
        if (this.#events.hasListeners('list:changed')) {
          this.#events.emit('list:changed', {
            server: this.name,
            list: method.includes('/resources/') ? 'resources' : 'prompts',
          });
        }
      }
    }
    if (this.#events.hasListeners('notification')) {
      this.#events.emit('notification', {
        server: this.name,
        method,
        ...(params ? { params } : {}),
      });
    }
    const notification = { method, ...(params ? { params } : {}) };
    for (const key of [method, '*']) {
      const handlers = this.#notificationHandlers.get(key);
      if (handlers) for (const handler of handlers) handler(notification);
    }
  }

  /** Debounced: a burst of list_changed notifications refreshes the tool list once. */
  #toolsChanged(): void {
    this.#tools = undefined;
    clearTimeout(this.#toolsChangedTimer);
    this.#toolsChangedTimer = setTimeout(() => {
      this.#toolsChangedTimer = undefined;
      void this.listTools({ refresh: true }).then(
        (tools) =>
          this.#events.emit('list:changed', {
            server: this.name,
            list: 'tools',
            count: tools.length,
          }),
        () => this.#events.emit('list:changed', { server: this.name, list: 'tools' }),
      );
    }, this.settings.toolsChangedDebounceMs);
    this.#toolsChangedTimer.unref();
  }

  // --- the request path -------------------------------------------------------------------

  #emitRetry(
    method: string,
    target: string | undefined,
    info: { attempt: number; delayMs: number; error: unknown },
  ): void {
    if (!this.#events.hasListeners('retry')) return;
    this.#events.emit('retry', {
      server: this.name,
      method,
      ...(target !== undefined ? { target } : {}),
      attempt: info.attempt,
      delayMs: info.delayMs,
      ...(McpError.isInstance(info.error) ? { errorKind: info.error.kind } : {}),
      error: info.error,
    });
  }

  /** The least busy slot; the first on ties, so a quiet client keeps to one session. */
  #pickSlot(): ManagedConnection {
    const slots = this.#slots;
    let best = slots[0]!;
    for (let i = 1; i < slots.length; i++) if (slots[i]!.inFlight < best.inFlight) best = slots[i]!;
    return best;
  }

  /** Takes a place among `maxConnections` in-flight requests, queueing (bounded) when all are taken. */
  #admit(signal: AbortSignal | undefined): Promise<void> | undefined {
    const max = this.settings.maxConnections;
    if (max === undefined || this.#queue.active < max) {
      this.#queue.active++;
      return undefined;
    }
    if (this.#queue.waiters.length >= this.settings.maxQueuedRequests) {
      throw new McpRateLimitedError(
        `"${this.name}" has ${max} requests in flight and ${this.#queue.waiters.length} queued; the queue is full`,
        {
          server: this.name,
          source: 'local',
        },
      );
    }
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#queue.active++;
        if (this.#closed) {
          this.#release();
          reject(this.#closedError());
        } else resolve();
      };
      const onAbort = () => {
        const at = this.#queue.waiters.indexOf(wake);
        if (at >= 0) this.#queue.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.waiters.push(wake);
    });
  }

  #release(): void {
    this.#queue.active--;
    this.#queue.waiters.shift()?.();
  }

  async #attempt<T>(
    method: string,
    target: string | undefined,
    params: Record<string, unknown>,
    options: McpRequestOptions | undefined,
    attempt: number,
    operation: Operation<T>,
    callId: number,
  ): Promise<T> {
    const slot = this.#pickSlot();
    const events = this.#events;
    const observed = events.hasListeners('request:start') || events.hasListeners('request:end');
    const requestId = nextRequestId++;
    // What request:start says, and request:end repeats.
    const start = observed
      ? {
          requestId,
          callId,
          server: this.name,
          method,
          ...(target !== undefined ? { target } : {}),
          attempt,
          startTime: performance.now(),
        }
      : undefined;
    if (start) events.emit('request:start', start);
    slot.inFlight++;
    let connection: SdkConnection | undefined;
    const sdkOptions: SdkRequestOptions = {
      timeoutMs: options?.timeoutMs ?? this.settings.timeoutMs,
      requestProgress: this.settings.requestProgress,
      signal: options?.signal,
      onProgress: options?.onProgress,
      meta: options?.meta,
    };
    try {
      connection = slot.current ?? (await slot.get(options?.signal));
      const result = await operation(connection, sdkOptions, params);
      if (start) {
        const durationMs = performance.now() - start.startTime;
        events.emit('request:end', { ...start, durationMs, outcome: 'ok' });
      }
      return result;
    } catch (error) {
      if (start) {
        const kind = McpError.isInstance(error) ? error.kind : undefined;
        events.emit('request:end', {
          ...start,
          durationMs: performance.now() - start.startTime,
          outcome: kind === 'cancelled' ? 'cancelled' : kind === 'timeout' ? 'timeout' : 'error',
          ...(kind ? { errorKind: kind } : {}),
          error,
        });
      }
      // The server forgot the session: start a new one so the retry finds it ready.
      if (McpSessionExpiredError.isInstance(error) && connection && !this.#closed) {
        await slot.reconnect(connection).catch(() => undefined);
      }
      throw error;
    } finally {
      slot.inFlight--;
      slot.lastActivity = performance.now();
    }
  }

  /** One attempt through the rate limiter and the circuit breaker, when configured. */
  async #guarded<T>(
    method: string,
    target: string | undefined,
    params: Record<string, unknown>,
    options: McpRequestOptions | undefined,
    attempt: number,
    operation: Operation<T>,
    callId: number,
  ): Promise<T> {
    if (this.#limiter) await this.#limiter.acquire({ signal: options?.signal, method });
    try {
      return this.#breaker
        ? await this.#breaker.execute(() =>
            this.#attempt(method, target, params, options, attempt, operation, callId),
          )
        : await this.#attempt(method, target, params, options, attempt, operation, callId);
    } catch (error) {
      if (
        this.#limiter &&
        McpRateLimitedError.isInstance(error) &&
        error.source === 'server' &&
        error.retryAfterMs
      ) {
        this.#limiter.penalize(error.retryAfterMs, { method });
      }
      throw error;
    }
  }

  async #send<T>(
    method: string,
    target: string | undefined,
    params: Record<string, unknown>,
    options: McpRequestOptions | undefined,
    idempotentHint: boolean,
    operation: Operation<T>,
  ): Promise<T> {
    const signal = options?.signal;
    let idempotent = idempotentHint;
    const admitted = this.#admit(signal);
    if (admitted) await admitted;
    const plain = !this.#limiter && !this.#breaker;
    const callId = nextRequestId++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          // The common case pays for nothing it does not use.
          return plain
            ? await this.#attempt(method, target, params, options, attempt, operation, callId)
            : await this.#guarded(method, target, params, options, attempt, operation, callId);
        } catch (error) {
          if (signal?.aborted || this.#closed) throw error;
          // Whether a failed tool call may run again depends on its annotations: learn them
          // now if we have not yet (a cost only failures pay).
          if (
            !idempotent &&
            method === 'tools/call' &&
            this.#tools === undefined &&
            target !== undefined &&
            (options as CallToolOptions | undefined)?.idempotent === undefined &&
            this.#retry.shouldRetry(error, attempt, { idempotent: true })
          ) {
            idempotent = await this.listTools({ signal }).then(
              () => this.#isIdempotentTool(target),
              () => false,
            );
          }
          if (!this.#retry.shouldRetry(error, attempt, { idempotent })) throw error;
          const delayMs = this.#retry.delayFor(attempt, error);
          this.#emitRetry(method, target, { attempt: attempt + 1, delayMs, error });
          await sleep(delayMs, signal);
        }
      }
    } finally {
      this.#release();
    }
  }

  #request<T>(
    method: string,
    target: string | undefined,
    params: Record<string, unknown>,
    options: McpRequestOptions | undefined,
    idempotent: boolean,
    operation: Operation<T>,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#pipeline.size === 0)
      return this.#send(method, target, params, options, idempotent, operation);
    const request: McpRequest = {
      method,
      params,
      server: this.name,
      target,
      attempt: 1,
      context: new Map(),
    };
    return this.#pipeline.run(request, async (current) => {
      const result = await this.#send(
        current.method,
        current.target,
        current.params ?? {},
        options,
        idempotent,
        operation,
      );
      const cache = cacheHintsOf(result);
      return cache ? { result, cache } : { result };
    }) as Promise<T>;
  }

  // --- McpSession: requests ---------------------------------------------------------------

  /** Every tool (all pages). Cached until the server says the list changed, or `refresh`. */
  listTools(options?: ListToolsOptions): Promise<Tool[]> {
    if (this.#tools && !options?.refresh) return Promise.resolve(this.#tools);
    if (this.#toolsLoading && !options?.refresh) return this.#toolsLoading;
    const loading = this.#request('tools/list', undefined, {}, options, true, (c, o) =>
      c.listTools(o),
    ).then(
      (listed) => {
        const tools = this.#admitTools(listed);
        if (this.#toolsLoading === loading) {
          this.#tools = tools;
          this.#toolsLoading = undefined;
        }
        return tools;
      },
      (error: unknown) => {
        if (this.#toolsLoading === loading) this.#toolsLoading = undefined;
        throw error;
      },
    );
    this.#toolsLoading = loading;
    return loading;
  }

  /** Tools refused by the security policy at the last listing (schemas past the limits), with why. */
  rejectedTools: { name: string; error: McpError }[] = [];

  /** Keeps the tools whose schemas the security policy accepts; one bad tool never hides the rest. */
  #admitTools(tools: Tool[]): Tool[] {
    const security = this.settings.security;
    if (!security) return tools;
    const rejected: { name: string; error: McpError }[] = [];
    const admitted = tools.filter((tool) => {
      try {
        security.checkSchema(tool.inputSchema, { tool: tool.name, server: this.name });
        if (tool.outputSchema)
          security.checkSchema(tool.outputSchema, { tool: tool.name, server: this.name });
        return true;
      } catch (error) {
        if (!McpError.isInstance(error)) throw error;
        rejected.push({ name: tool.name, error });
        return false;
      }
    });
    this.rejectedTools = rejected;
    return admitted;
  }

  /** A tool of the cached list by name (indexed once per listing), or undefined before any. */
  #toolNamed(name: string): Tool | undefined {
    const tools = this.#tools;
    if (tools === undefined) return undefined;
    if (this.#toolIndex?.tools !== tools)
      this.#toolIndex = { tools, byName: new Map(tools.map((tool) => [tool.name, tool])) };
    return this.#toolIndex.byName.get(name);
  }

  #isIdempotentTool(name: string): boolean {
    const tool = this.#toolNamed(name);
    return tool !== undefined && isIdempotentTool(tool);
  }

  /** A server that finds a definition stale gets the list listed afresh. */
  readonly #onStaleTool = (): void => this.#toolsChanged();

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
    if (this.settings.security?.validateSchemas)
      return this.#callToolValidated(name, args, options);
    const tool = this.#toolNamed(name);
    return this.#request(
      'tools/call',
      name,
      { name, arguments: args ?? {} },
      options,
      options?.idempotent ?? (tool !== undefined && isIdempotentTool(tool)),
      (c, o, p) => this.#callOn(c, o, p, tool),
    );
  }

  /** The call itself, with the listed definition of the tool when the name is still `tool`'s. */
  #callOn(
    connection: SdkConnection,
    options: SdkRequestOptions,
    params: Record<string, unknown>,
    tool: Tool | undefined,
  ): Promise<CallToolResult> {
    const name = params.name as string;
    return connection.callTool(
      name,
      params.arguments as Record<string, unknown>,
      options,
      tool?.name === name ? tool : this.#toolNamed(name),
      this.#onStaleTool,
    );
  }

  /** callTool under `security.validateSchemas`: arguments checked before, results after. */
  async #callToolValidated(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions | undefined,
  ): Promise<CallToolResult> {
    const security = this.settings.security!;
    const tool = (await this.listTools(options)).find((candidate) => candidate.name === name);
    if (tool) security.validateArguments(tool, args ?? {}, { server: this.name });
    const result = await this.#request(
      'tools/call',
      name,
      { name, arguments: args ?? {} },
      options,
      options?.idempotent ?? (tool !== undefined && isIdempotentTool(tool)),
      (c, o, p) => this.#callOn(c, o, p, tool),
    );
    if (tool) security.validateResult(tool, result, { server: this.name });
    return result;
  }

  listResources(options?: McpRequestOptions): Promise<Resource[]> {
    return this.#request('resources/list', undefined, {}, options, true, (c, o) =>
      c.listResources(o),
    );
  }

  listResourceTemplates(options?: McpRequestOptions): Promise<ResourceTemplate[]> {
    return this.#request('resources/templates/list', undefined, {}, options, true, (c, o) =>
      c.listResourceTemplates(o),
    );
  }

  readResource(uri: string, options?: McpRequestOptions): Promise<ReadResourceResult> {
    return this.#request('resources/read', uri, { uri }, options, true, (c, o, p) =>
      c.readResource(p.uri as string, o),
    );
  }

  listPrompts(options?: McpRequestOptions): Promise<Prompt[]> {
    return this.#request('prompts/list', undefined, {}, options, true, (c, o) => c.listPrompts(o));
  }

  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: McpRequestOptions,
  ): Promise<GetPromptResult> {
    return this.#request(
      'prompts/get',
      name,
      { name, ...(args ? { arguments: args } : {}) },
      options,
      true,
      (c, o, p) =>
        c.getPrompt(p.name as string, p.arguments as Record<string, string> | undefined, o),
    );
  }

  complete(
    ref: CompletionReference,
    argument: CompletionArgument,
    options?: McpRequestOptions & { context?: { arguments?: Record<string, string> } },
  ): Promise<Completion> {
    const target = ref.type === 'ref/prompt' ? ref.name : ref.uri;
    return this.#request(
      'completion/complete',
      target,
      { ref, argument, ...(options?.context ? { context: options.context } : {}) },
      options,
      true,
      (c, o, p) =>
        c.complete(
          p.ref as CompletionReference,
          p.argument as CompletionArgument,
          p.context as { arguments?: Record<string, string> } | undefined,
          o,
        ),
    );
  }

  /**
   * Sets the server's log level (`notifications/message` below it stop), on every pooled
   * session and on sessions opened later. In the modern era the level travels in each
   * request's `_meta`.
   */
  async setLoggingLevel(level: LoggingLevel, options?: McpRequestOptions): Promise<void> {
    let used: SdkConnection | undefined;
    await this.#request('logging/setLevel', undefined, { level }, options, true, (c, o, p) => {
      used = c;
      return c.setLoggingLevel(p.level as LoggingLevel, o);
    });
    this.#logLevel = level;
    // The other pooled sessions, too.
    await Promise.all(
      this.#slots.map((slot) =>
        slot.current && slot.current !== used
          ? slot.current
              .setLoggingLevel(level, { timeoutMs: this.settings.timeoutMs })
              .catch(() => undefined)
          : undefined,
      ),
    );
  }

  ping(options?: McpRequestOptions): Promise<void> {
    return this.#request('ping', undefined, {}, options, true, (c, o) => c.ping(o));
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
    const connection = await this.#slots[0]!.get(options?.signal);
    return this.#subscriptions.add(connection, filter, listener);
  }
}
