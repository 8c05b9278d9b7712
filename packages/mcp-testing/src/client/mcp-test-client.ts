// MCPTestClient: an McpSession on the official SDK client, for tests. Connects to a URL, a
// MockMCPServer (its HTTP URL, or an in-memory pair) or a stdio command, lazily on first use;
// restores subscriptions after a lost connection; answers server requests with handlers of the
// session or of the request they belong to; emits MCPClient's telemetry events; and adds
// executeTool / getResource for terse assertions.
import {
  LIST_METHODS,
  McpConnectionError,
  McpSessionExpiredError,
  McpToolError,
  type CallToolResult,
  type Completion,
  type CompletionArgument,
  type CompletionReference,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type McpListItems,
  type McpListKind,
  type McpNotification,
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
import type { FetchFunction, McpAuthPlugin } from '@tframex/mcp-auth-api';
import type {
  McpClientEvents,
  McpConnectionState,
  McpEndpointFields,
  McpEventListener,
  McpEventSource,
  McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';
import {
  LOG_LEVEL_META_KEY,
  type Client,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type RequestOptions,
} from '@modelcontextprotocol/client';
import * as z from 'zod';
import { ignore } from '../config/ignore.js';
import { parseOptions, usageError } from '../config/parse-options.js';
import { MockMCPServer } from '../server/mock-mcp-server.js';
import {
  REQUEST_ORIGIN,
  type OriginatedRequestOptions,
  type RequestOrigin,
} from './attributing-client.js';
import { HttpObserver, type HttpObservation } from './http-observer.js';
import { LiveSubscription } from './live-subscription.js';
import type { StreamEnd } from './subscription-union.js';
import { ServerRequestRouter, SERVER_REQUEST_METHODS } from './server-request-router.js';
import { SessionState } from './session-state.js';
import {
  TestConnection,
  transportKindOf,
  type MCPTestClientTarget,
  type StdioCommand,
} from './test-connection.js';
import { TestClientTelemetry, type RequestSubject } from './test-client-telemetry.js';
import { TestResource } from './test-resource.js';
import { toMcpError } from './to-mcp-error.js';
import { toolErrorText, toolValue } from './tool-value.js';

export type { MCPTestClientTarget, StdioCommand };

export interface MCPTestClientOptions {
  /** Alias of the session (`McpSession.name`); default `test`, or the MockMCPServer's name. */
  name?: string;
  /** Applied to every HTTP request (createAuthFetch from @tframex/mcp-auth-api). */
  auth?: McpAuthPlugin;
  /** Extra HTTP headers for every request. */
  headers?: Record<string, string>;
  /** `auto` (default) probes and speaks the modern era when the server does. */
  era?: 'legacy' | 'modern' | 'auto';
  /** Request time budget, in ms (default 60 000, the SDK's); restarts with each progress report. */
  timeoutMs?: number;
  /** The fetch to send HTTP requests with (default: the global one, which msw intercepts). */
  fetch?: FetchFunction;
  /** Client identity sent to the server (default `{ name: 'mcp-test-client', version: '1.0.0' }`). */
  clientInfo?: Implementation;
  /** Answers the server's sampling requests (declares the `sampling` capability). */
  onSampling?: (
    params: CreateMessageRequest['params'],
  ) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Answers the server's elicitation requests (declares the `elicitation` capability). */
  onElicitation?: (params: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>;
  /** Roots offered to the server (declares the `roots` capability). */
  roots?: Array<{ uri: string; name?: string }>;
  /**
   * How often to try to open a new connection when one is lost while subscriptions need it
   * (default 3; 0 gives up at once). When every try fails the session closes for good.
   */
  reconnectAttempts?: number;
  /** Wait before the first reconnection try, doubled for each next one (default 100 ms). */
  reconnectDelayMs?: number;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  error: 'a function',
});
const optionsSchema = z.object({
  name: z.string().min(1, { error: 'a non-empty name' }).optional(),
  auth: z
    .custom<McpAuthPlugin>(
      (v) => typeof v === 'object' && v !== null && typeof (v as McpAuthPlugin).name === 'string',
      {
        error: 'an McpAuthPlugin',
      },
    )
    .optional(),
  headers: z.record(z.string(), z.string(), { error: 'a record of header values' }).optional(),
  era: z.enum(['legacy', 'modern', 'auto'], { error: "'legacy', 'modern' or 'auto'" }).optional(),
  timeoutMs: z.number().positive({ error: 'a positive number of milliseconds' }).optional(),
  fetch: fn.optional(),
  clientInfo: z
    .object({ name: z.string().min(1), version: z.string().min(1) })
    .loose()
    .optional(),
  onSampling: fn.optional(),
  onElicitation: fn.optional(),
  roots: z.array(z.object({ uri: z.string().min(1), name: z.string().optional() })).optional(),
  reconnectAttempts: z
    .number()
    .int({ error: 'a whole number of attempts (0 or more)' })
    .min(0, { error: 'a whole number of attempts (0 or more)' })
    .optional(),
  reconnectDelayMs: z.number().min(0, { error: 'a number of milliseconds (0 or more)' }).optional(),
});
const targetSchema = z.union(
  [
    z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
    z.instanceof(URL).refine((url) => url.protocol === 'http:' || url.protocol === 'https:', {
      error: 'an http(s) URL',
    }),
    z.custom<MockMCPServer>((v) => v instanceof MockMCPServer),
    z.object({ command: z.string().min(1), args: z.array(z.string()).optional() }).loose(),
  ],
  { error: 'a URL, a MockMCPServer or a stdio command { command, args }' },
);

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RECONNECT_ATTEMPTS = 3;
const DEFAULT_RECONNECT_DELAY_MS = 100;
/** Accepts any JSON-RPC result object: the generic `request` returns it as the server sent it. */
const ANY_RESULT = z.record(z.string(), z.unknown());
const LIST_ITEMS: Record<McpListKind, string> = {
  tools: 'tools',
  resources: 'resources',
  resourceTemplates: 'resourceTemplates',
  prompts: 'prompts',
};

/** Session state → the connection state telemetry reports. */
const CONNECTION_STATE: Record<McpSessionState, McpConnectionState> = {
  idle: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  closed: 'closed',
};

type Run<T> = (client: Client, request: RequestOptions, connection: TestConnection) => Promise<T>;

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What a request is about, for telemetry and for the handlers of the server requests it causes. */
function subjectOf(method: string, params: Record<string, unknown> | undefined): RequestSubject {
  const name = params?.['name'];
  const uri = params?.['uri'];
  if (method === 'tools/call' && typeof name === 'string') return { tool: name };
  if (method === 'prompts/get' && typeof name === 'string') return { prompt: name };
  if (method.startsWith('resources/') && typeof uri === 'string') return { resourceUri: uri };
  return {};
}

export class MCPTestClient implements McpSession, McpEventSource<McpClientEvents>, AsyncDisposable {
  readonly name: string;
  readonly #target: MCPTestClientTarget;
  readonly #options: MCPTestClientOptions;
  readonly #timeoutMs: number;
  readonly #reconnectAttempts: number;
  readonly #reconnectDelayMs: number;
  readonly #handlers = new Map<string, Set<McpNotificationHandler>>();
  readonly #subscriptions = new Set<LiveSubscription>();
  readonly #connections = new Set<TestConnection>();
  readonly #router: ServerRequestRouter;
  readonly #http = new HttpObserver();
  readonly #state: SessionState;
  readonly #telemetry: TestClientTelemetry;
  /** Aborted by close(): stops reconnection waits. */
  readonly #lifetime = new AbortController();
  /** The connection requests use next: settled, being opened, or being restored. */
  #connection: Promise<TestConnection> | undefined;
  #current: TestConnection | undefined;
  #logLevel: LoggingLevel | undefined;
  #closing: Promise<void> | undefined;
  /** A replacement being opened (see #replace), so concurrent requests wait for the same one. */
  #replacing: Promise<TestConnection> | undefined;
  /** Why the session closed itself (a lost connection it could not restore). */
  #gaveUp: unknown;
  #connectionState: McpConnectionState = 'disconnected';

  constructor(target: MCPTestClientTarget, options: MCPTestClientOptions = {}) {
    parseOptions(targetSchema, target, 'MCPTestClient.target');
    parseOptions(optionsSchema, options, 'MCPTestClient.options');
    this.#target = target;
    this.#options = options;
    this.name = options.name ?? (target instanceof MockMCPServer ? target.name : 'test');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#reconnectAttempts = options.reconnectAttempts ?? DEFAULT_RECONNECT_ATTEMPTS;
    this.#reconnectDelayMs = options.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS;
    this.#telemetry = new TestClientTelemetry(this.name, {
      endpoint: () => this.#endpoint(),
      connectionState: () => this.#connectionState,
      connectedAt: () => this.#current?.connectedAt,
    });
    this.#state = new SessionState((error) =>
      this.#telemetry.listenerError('other', 'state-change', error),
    );
    this.#router = new ServerRequestRouter(this.name);
    this.#installOptionHandlers(options);
  }

  get serverInfo(): Implementation | undefined {
    return this.#current?.client.getServerVersion();
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.#current?.client.getServerCapabilities() as ServerCapabilities | undefined;
  }
  get protocolVersion(): string | undefined {
    return this.#current?.client.getNegotiatedProtocolVersion();
  }
  get protocolEra(): McpProtocolEra | undefined {
    return this.#current?.client.getProtocolEra();
  }
  get instructions(): string | undefined {
    return this.#current?.client.getInstructions();
  }
  /** `Mcp-Session-Id` of a legacy HTTP session. */
  get sessionId(): string | undefined {
    return this.#current?.sessionId;
  }
  /** The official SDK client underneath, once connected. */
  get sdk(): Client | undefined {
    return this.#current?.client;
  }

  /**
   * `idle` (no connection: before first use, or after one ended with nothing to restore; the
   * next request connects), `connecting`, `connected`, `reconnecting` (replacing a connection:
   * one that was lost while subscriptions needed it, or one that must announce a newly
   * installed server-request handler; requests wait for it), `closed` (for good).
   */
  get state(): McpSessionState {
    return this.#state.current;
  }

  onStateChange(listener: (change: McpSessionStateChange) => void): () => void {
    return this.#state.onChange(listener);
  }

  /** Settles once the session is closed for good: by `close()`, or when it could not restore a lost connection. */
  get closed(): Promise<void> {
    return this.#state.closed;
  }

  // --- telemetry ---------------------------------------------------------------------------

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

  snapshot(): McpTelemetrySnapshot {
    return this.#telemetry.snapshot();
  }

  // --- requests ----------------------------------------------------------------------------

  /** Connects now (otherwise the first request does). */
  async connect(options: McpRequestOptions = {}): Promise<void> {
    await this.#ready(options);
  }

  listTools(options: McpRequestOptions = {}): Promise<Tool[]> {
    return this.#call('tools/list', undefined, options, async (client, request) => {
      const { tools } = await client.listTools(this.#listParams(options), request);
      return tools as Tool[];
    });
  }

  callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: McpRequestOptions = {},
  ): Promise<CallToolResult> {
    return this.#call('tools/call', { tool: name }, options, async (client, request) => {
      const result = await client.callTool(
        { name, arguments: args, ...this.#metaParam(options) },
        request,
      );
      return result as CallToolResult;
    });
  }

  listResources(options: McpRequestOptions = {}): Promise<Resource[]> {
    return this.#call('resources/list', undefined, options, async (client, request) => {
      const { resources } = await client.listResources(this.#listParams(options), request);
      return resources as Resource[];
    });
  }

  listResourceTemplates(options: McpRequestOptions = {}): Promise<ResourceTemplate[]> {
    return this.#call('resources/templates/list', undefined, options, async (client, request) => {
      const { resourceTemplates } = await client.listResourceTemplates(
        this.#listParams(options),
        request,
      );
      return resourceTemplates as ResourceTemplate[];
    });
  }

  readResource(uri: string, options: McpRequestOptions = {}): Promise<ReadResourceResult> {
    return this.#call('resources/read', { resourceUri: uri }, options, async (client, request) => {
      const result = await client.readResource({ uri, ...this.#metaParam(options) }, request);
      return result as ReadResourceResult;
    });
  }

  listPrompts(options: McpRequestOptions = {}): Promise<Prompt[]> {
    return this.#call('prompts/list', undefined, options, async (client, request) => {
      const { prompts } = await client.listPrompts(this.#listParams(options), request);
      return prompts as Prompt[];
    });
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    options: McpRequestOptions = {},
  ): Promise<GetPromptResult> {
    return this.#call('prompts/get', { prompt: name }, options, async (client, request) => {
      const result = await client.getPrompt(
        { name, arguments: args, ...this.#metaParam(options) },
        request,
      );
      return result as GetPromptResult;
    });
  }

  complete(
    ref: CompletionReference,
    argument: CompletionArgument,
    options: McpRequestOptions & { context?: { arguments?: Record<string, string> } } = {},
  ): Promise<Completion> {
    return this.#call('completion/complete', undefined, options, async (client, request) => {
      const { completion } = await client.complete(
        { ref, argument, ...(options.context ? { context: options.context } : {}) },
        request,
      );
      return completion;
    });
  }

  /**
   * Sets the level of log messages the server sends. On modern connections, which have no
   * `logging/setLevel`, every later request carries the level in its `_meta` envelope instead.
   */
  setLoggingLevel(level: LoggingLevel, options: McpRequestOptions = {}): Promise<void> {
    return this.#call('logging/setLevel', undefined, options, async (client, request) => {
      if (client.getProtocolEra() === 'modern') this.#logLevel = level;
      else await client.setLoggingLevel(level, request);
    });
  }

  /** Checks the server answers: `ping` on legacy connections, `server/discover` on modern ones (which have no ping). */
  ping(options: McpRequestOptions = {}): Promise<void> {
    return this.#call('ping', undefined, options, async (client, request) => {
      if (client.getProtocolEra() === 'modern') await client.discover(request);
      else await client.ping(request);
    });
  }

  /**
   * Sends any request (tasks, extensions, methods the typed API lacks) and resolves with the
   * JSON-RPC result as the server sent it. `idempotent` changes nothing here: this client never
   * retries.
   */
  request(
    method: string,
    params: Record<string, unknown> = {},
    options: McpRequestOptions & { idempotent?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    return this.#call(method, subjectOf(method, params), options, async (client, request) => {
      const meta = this.#meta(options);
      const sent = meta
        ? { ...params, _meta: { ...(params['_meta'] as object | undefined), ...meta } }
        : params;
      return (await client.request({ method, params: sent }, ANY_RESULT, request)) as Record<
        string,
        unknown
      >;
    });
  }

  /** Sends a notification to the server. */
  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const connection = await this.#ready({});
    try {
      await connection.client.notification(params === undefined ? { method } : { method, params });
    } catch (error) {
      throw this.#fail(error, method, {}, 'request', {}, connection);
    }
  }

  /** One page of a list, as the server sent it (`paginate(client, list)` walks them all). */
  listPage<K extends McpListKind>(
    list: K,
    options: McpPageOptions = {},
  ): Promise<McpPage<McpListItems[K]>> {
    const method = LIST_METHODS[list];
    return this.#call(method, undefined, options, async (client, request) => {
      const params = {
        ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
        ...this.#metaParam(options),
      };
      // The typed list calls walk every page when no cursor is given; a request is one page.
      const page = (await client.request(
        { method: method as 'tools/list', params },
        request,
      )) as unknown as Record<string, unknown>;
      const items = (page[LIST_ITEMS[list]] ?? []) as McpListItems[K][];
      const nextCursor = page['nextCursor'];
      const ttlMs = page['ttlMs'];
      return {
        items,
        ...(typeof nextCursor === 'string' ? { nextCursor } : {}),
        ...(typeof ttlMs === 'number' ? { ttlMs } : {}),
      };
    });
  }

  subscribe(
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    options: McpRequestOptions = {},
  ): Promise<McpSubscription> {
    return this.#subscribe(filter, listener, options);
  }

  async #subscribe(
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    options: McpRequestOptions,
  ): Promise<McpSubscription> {
    const connection = await this.#ready(options);
    const method =
      connection.client.getProtocolEra() === 'modern'
        ? 'subscriptions/listen'
        : 'resources/subscribe';
    const live = new LiveSubscription(filter, listener, (error) =>
      this.#telemetry.listenerError('subscription-listener', 'subscription', error),
    );
    await this.#call(method, undefined, options, (_client, request, used) =>
      live.attach(used.subscriptions, request),
    );
    this.#subscriptions.add(live);
    void live.closed.then(() => this.#subscriptions.delete(live));
    let closing: Promise<void> | undefined;
    return {
      get filter() {
        return live.honoured;
      },
      closed: live.closed,
      close: () => (closing ??= live.close('local', { timeout: this.#timeoutMs })),
    };
  }

  onNotification(method: string, handler: McpNotificationHandler): () => void {
    let handlers = this.#handlers.get(method);
    if (!handlers) this.#handlers.set(method, (handlers = new Set()));
    // A wrapper per call, so adding one function twice needs two removals.
    const entry: McpNotificationHandler = (notification) => handler(notification);
    handlers.add(entry);
    return () => {
      handlers.delete(entry);
    };
  }

  /**
   * Installs the session's handler for a kind of server request, replacing the one before.
   * The capability must be announced when a connection opens: installed while connected, a
   * handler for a method the connection did not announce makes the client open a new
   * connection that does (a new session in the legacy era), move its subscriptions there
   * (they hear `restored`) and close the old one once its requests have finished. Removing
   * the handler leaves the announcement in place until the next connection; a server request
   * without a handler is answered with a JSON-RPC error.
   */
  setServerRequestHandler(
    method: McpServerRequestMethod,
    handler: McpServerRequestHandler,
  ): () => void {
    if (!SERVER_REQUEST_METHODS.includes(method)) {
      const expected = `one of ${SERVER_REQUEST_METHODS.join(', ')}`;
      throw usageError(
        'MCPTestClient.setServerRequestHandler.method',
        expected,
        `MCPTestClient.setServerRequestHandler: method must be ${expected}, not ${JSON.stringify(method)}`,
      );
    }
    if (typeof handler !== 'function') {
      throw usageError(
        'MCPTestClient.setServerRequestHandler.handler',
        'a function',
        'MCPTestClient.setServerRequestHandler: handler must be a function',
      );
    }
    const remove = this.#router.set(method, handler);
    const current = this.#current;
    if (current && !current.retired && this.#router.lacks(current.methods))
      void this.#ready({}).catch(ignore);
    return remove;
  }

  /**
   * Calls a tool and returns its value: the structured content (unwrapping the SEP-2106
   * `{ result }` wrap of legacy connections), else the text parsed as JSON, else the text.
   * A tool error result (`isError: true`) throws McpToolError.
   */
  // Tests index into the value freely (`rows[0].name`); callers wanting checks pass a type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async executeTool<T = any>(
    name: string,
    args: Record<string, unknown> = {},
    options?: McpRequestOptions,
  ): Promise<T> {
    const result = await this.callTool(name, args, options);
    if (result.isError) {
      throw new McpToolError(toolErrorText(result) || `Tool ${name} failed`, {
        toolName: name,
        result,
        server: this.name,
        method: 'tools/call',
      });
    }
    return toolValue(result) as T;
  }

  /** A resource by listed name or URI, with `read()` and `list()`. */
  getResource(nameOrUri: string): TestResource {
    return new TestResource(this, nameOrUri);
  }

  /** Ends the session (a legacy HTTP session is terminated with DELETE). Idempotent. */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- internals ------------------------------------------------------------------------

  #installOptionHandlers(options: MCPTestClientOptions): void {
    const { onSampling, onElicitation, roots } = options;
    if (onSampling) {
      this.#router.set(
        'sampling/createMessage',
        async (params) =>
          (await onSampling(params as CreateMessageRequest['params'])) as Record<string, unknown>,
      );
    }
    if (onElicitation) {
      this.#router.set(
        'elicitation/create',
        async (params) =>
          (await onElicitation(params as ElicitRequest['params'])) as unknown as Record<
            string,
            unknown
          >,
      );
    }
    if (roots) this.#router.set('roots/list', async () => ({ roots }));
  }

  #meta(options: McpRequestOptions): Record<string, unknown> | undefined {
    if (this.#logLevel === undefined) return options.meta;
    return { [LOG_LEVEL_META_KEY]: this.#logLevel, ...options.meta };
  }

  #metaParam(options: McpRequestOptions): { _meta?: Record<string, unknown> } {
    const meta = this.#meta(options);
    return meta ? { _meta: meta } : {};
  }

  #listParams(options: McpRequestOptions): { _meta: Record<string, unknown> } | undefined {
    const meta = this.#meta(options);
    return meta ? { _meta: meta } : undefined;
  }

  #endpoint(): McpEndpointFields {
    return this.#current?.endpoint() ?? { connection: 0, transport: transportKindOf(this.#target) };
  }

  async #call<T>(
    method: string,
    subject: RequestSubject | undefined,
    options: McpRequestOptions,
    run: Run<T>,
  ): Promise<T> {
    const telemetry = this.#telemetry;
    const trace = telemetry.begin(method, subject);
    let connection: TestConnection | undefined;
    let observation: HttpObservation = {};
    try {
      if (options.serverRequestHandlers) this.#router.adopt(options.serverRequestHandlers);
      connection = await this.#ready(options);
      const used = connection;
      used.inFlight++;
      const target = subject?.tool ?? subject?.prompt ?? subject?.resourceUri;
      const origin: RequestOrigin = {
        method,
        ...(target !== undefined ? { target } : {}),
        ...(options.serverRequestHandlers ? { handlers: options.serverRequestHandlers } : {}),
      };
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const request: OriginatedRequestOptions = {
        timeout: timeoutMs,
        // The SDK restarts the budget on progress only when a progress callback is passed.
        resetTimeoutOnProgress: true,
        onprogress: (progress) => options.onProgress?.(progress),
        ...(options.signal ? { signal: options.signal } : {}),
        [REQUEST_ORIGIN]: origin,
      };
      // Legacy HTTP sessions send a request's server requests on its response stream.
      const scan =
        used.url !== undefined &&
        used.methods.size > 0 &&
        used.client.getProtocolEra() === 'legacy';
      const observed = this.#http.observe(() => run(used.client, request, used), {
        countBytes: telemetry.countsBytes,
        ...(scan ? { onServerRequest: (id) => used.origins.set(id, origin) } : {}),
      });
      observation = observed.observation;
      const result = await observed.result;
      telemetry.end(trace, { result, ...bytesOf(observation) });
      return result;
    } catch (error) {
      // Connection failures arrive already mapped from #ready.
      const mapped =
        connection === undefined
          ? error
          : this.#fail(error, method, options, 'request', observation, connection);
      telemetry.end(trace, { error: mapped, ...bytesOf(observation) });
      throw mapped;
    } finally {
      if (connection) {
        connection.inFlight--;
        if (connection.retired && connection.inFlight === 0)
          void this.#shutdown(connection, connection.endSession);
      }
    }
  }

  #fail(
    error: unknown,
    method: string,
    options: McpRequestOptions,
    phase: 'connect' | 'request',
    http: HttpObservation,
    connection: TestConnection | undefined,
  ) {
    const mapped = toMcpError(error, {
      server: this.name,
      method,
      transport: connection?.kind ?? transportKindOf(this.#target),
      timeoutMs: options.timeoutMs ?? this.#timeoutMs,
      phase,
      http,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // The server forgot the session: the next call starts a new one instead of repeating it.
    if (McpSessionExpiredError.isInstance(mapped) && connection)
      this.#lost(connection, mapped, { sessionGone: true });
    return mapped;
  }

  #closedError(): McpConnectionError {
    if (this.#gaveUp !== undefined) {
      return new McpConnectionError(
        `MCPTestClient "${this.name}" lost its connection and could not restore it after ${this.#reconnectAttempts} attempts`,
        {
          server: this.name,
          transport: transportKindOf(this.#target),
          cause: this.#gaveUp,
          retryable: false,
        },
      );
    }
    return new McpConnectionError('The client is closed', {
      server: this.name,
      transport: transportKindOf(this.#target),
      retryable: false,
    });
  }

  /** The connection to use now: opened on first use, replaced when it must announce more. */
  #ready(options: McpRequestOptions): Promise<TestConnection> {
    if (this.#closing !== undefined || this.#state.current === 'closed')
      return Promise.reject(this.#closedError());
    const current = this.#current;
    if (
      current &&
      !current.retired &&
      this.#connection &&
      !this.#replacing &&
      this.#router.lacks(current.methods)
    ) {
      const replacing = this.#replace(current);
      this.#replacing = replacing;
      this.#connection = replacing;
      void replacing.finally(() => {
        if (this.#replacing === replacing) this.#replacing = undefined;
      });
    }
    this.#connection ??= this.#connectFirst(options);
    return this.#connection;
  }

  async #connectFirst(options: McpRequestOptions): Promise<TestConnection> {
    this.#setState('connecting');
    try {
      const connection = await this.#open(options);
      this.#setState('connected');
      return connection;
    } catch (error) {
      this.#connection = undefined;
      this.#setState('idle', error);
      throw error;
    }
  }

  /** Opens a connection with what the session announces now, and makes it current. */
  async #open(options: McpRequestOptions): Promise<TestConnection> {
    const connection = new TestConnection(
      {
        target: this.#target,
        era: this.#options.era ?? 'auto',
        clientInfo: this.#options.clientInfo ?? { name: 'mcp-test-client', version: '1.0.0' },
        server: this.name,
        ...(this.#options.auth ? { auth: this.#options.auth } : {}),
        ...(this.#options.headers ? { headers: this.#options.headers } : {}),
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      },
      {
        router: this.#router,
        http: this.#http,
        onNotification: (from, notification) => this.#dispatch(from, notification),
        onStreamBroken: (from, members, end) => this.#streamBroken(from, members, end),
        // The session may live on at the server: end it once its requests are done.
        onEventStreamEnded: (from, error) =>
          this.#lost(from, error ?? from.lastError, { sessionGone: false }),
      },
    );
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const { observation, result } = this.#http.observe(() =>
      connection.client.connect(connection.transport, {
        timeout: timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    try {
      await result;
    } catch (error) {
      await connection.shutdown(false);
      const mapped = this.#fail(error, 'initialize', options, 'connect', observation, undefined);
      this.#telemetry.connection('failed', this.#connectionState, {
        error: mapped,
        endpoint: connection.endpoint(),
      });
      this.#connectionState = 'failed';
      throw mapped;
    }
    if (this.#closing !== undefined) {
      await connection.shutdown(true);
      throw this.#closedError();
    }
    connection.opened();
    connection.client.onclose = () =>
      this.#lost(connection, connection.lastError, { sessionGone: true });
    this.#connections.add(connection);
    this.#current = connection;
    return connection;
  }

  /** Opens a connection that announces what `old` lacks, moves subscriptions, retires `old`. */
  async #replace(old: TestConnection): Promise<TestConnection> {
    this.#setState('reconnecting');
    let next: TestConnection;
    try {
      next = await this.#open({});
    } catch {
      // No replacement: keep using the old one (the next request tries again).
      if (this.#current === old) this.#setState('connected');
      return old;
    }
    this.#retire(old);
    this.#setState('connected');
    for (const subscription of this.#subscriptions) void this.#restore(subscription);
    return next;
  }

  /** Stops using a connection; it closes (ending its session) once its requests have finished. */
  #retire(connection: TestConnection): void {
    connection.retired = true;
    if (connection.inFlight === 0) void this.#shutdown(connection, connection.endSession);
  }

  #shutdown(connection: TestConnection, terminate: boolean): Promise<void> {
    return connection.shutdown(terminate).finally(() => this.#connections.delete(connection));
  }

  /**
   * A connection ended without close(): restore it when subscriptions need it, else go idle.
   * Requests still on it finish there (or fail with it); it closes after them.
   */
  #lost(connection: TestConnection, error: unknown, how: { sessionGone: boolean }): void {
    if (connection.retired || this.#current !== connection) return;
    connection.endSession = !how.sessionGone;
    this.#retire(connection);
    this.#current = undefined;
    this.#connection = undefined;
    if (this.#closing !== undefined) return;
    const sessionDurationMs =
      connection.connectedAt === undefined ? undefined : Date.now() - connection.connectedAt;
    if ([...this.#subscriptions].some((subscription) => !subscription.ended)) {
      this.#setState('reconnecting', error, sessionDurationMs, connection);
      this.#connection = this.#reopen();
      this.#connection.catch(ignore);
      for (const subscription of this.#subscriptions) void this.#restore(subscription);
    } else this.#setState('idle', error, sessionDurationMs, connection);
  }

  /** Tries to open a new connection after one was lost; gives up (closes) after the last try. */
  async #reopen(): Promise<TestConnection> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.#reconnectAttempts; attempt++) {
      try {
        await delay(this.#reconnectDelayMs * 2 ** attempt, this.#lifetime.signal);
        const connection = await this.#open({});
        this.#setState('connected');
        return connection;
      } catch (error) {
        if (this.#closing !== undefined) throw this.#closedError();
        lastError = error;
      }
    }
    this.#gaveUp = lastError ?? new Error('reconnectAttempts is 0');
    this.#connection = undefined;
    for (const subscription of this.#subscriptions) subscription.end('remote');
    this.#setState('closed', this.#gaveUp);
    throw this.#closedError();
  }

  /**
   * A listen stream ended while its connection stays: listen again, unless streams keep
   * ending without a single notification in between (a server that will not keep them open).
   */
  #streamBroken(connection: TestConnection, members: LiveSubscription[], end: StreamEnd): void {
    if (connection.retired) return;
    if (++connection.quietBreaks > this.#reconnectAttempts) {
      for (const member of members) member.end(end);
      return;
    }
    for (const member of members) void this.#restore(member);
  }

  /** Attaches a subscription to the current connection again; it hears `restored` once it is. */
  #restore(subscription: LiveSubscription): Promise<void> {
    return (subscription.restoring ??= (async () => {
      let lastError: unknown;
      for (let attempt = 0; attempt <= this.#reconnectAttempts; attempt++) {
        if (subscription.ended) return;
        try {
          if (attempt > 0)
            await delay(this.#reconnectDelayMs * 2 ** (attempt - 1), this.#lifetime.signal);
          const connection = await this.#ready({});
          if (subscription.attachedTo(connection.subscriptions)) return;
          await subscription.attach(connection.subscriptions, { timeout: this.#timeoutMs });
          subscription.deliver({ type: 'restored' });
          return;
        } catch (error) {
          if (this.#closing !== undefined || this.#state.current === 'closed') return;
          lastError = error;
        }
      }
      if (lastError !== undefined) subscription.end('remote');
    })().finally(() => (subscription.restoring = undefined)));
  }

  #setState(
    state: McpSessionState,
    error?: unknown,
    sessionDurationMs?: number,
    ended?: TestConnection,
  ): void {
    const change = this.#state.set(state, error);
    if (!change) return;
    const previous = this.#connectionState;
    const next = CONNECTION_STATE[state];
    this.#connectionState = next;
    // A failed attempt was reported as `failed`; going idle after it is no new disconnection.
    if (previous === 'failed' && next === 'disconnected') return;
    this.#telemetry.connection(next, previous, {
      ...(error !== undefined ? { error } : {}),
      ...(sessionDurationMs !== undefined ? { sessionDurationMs } : {}),
      // A session that ended is described by its own endpoint, not by the (absent) next one.
      ...(ended ? { endpoint: ended.endpoint() } : {}),
    });
  }

  #dispatch(from: TestConnection, notification: McpNotification): void {
    // A connection being replaced may still deliver; its successor delivers the same events.
    if (from.retired) return;
    from.quietBreaks = 0;
    const telemetry = this.#telemetry;
    telemetry.notification(notification.method, notification.params);
    switch (notification.method) {
      case 'notifications/tools/list_changed':
        telemetry.listChanged('tools');
        break;
      case 'notifications/resources/list_changed':
        telemetry.listChanged('resources');
        break;
      case 'notifications/prompts/list_changed':
        telemetry.listChanged('prompts');
        break;
    }
    for (const key of [notification.method, '*']) {
      for (const handler of [...(this.#handlers.get(key) ?? [])]) {
        try {
          handler(notification);
        } catch (error) {
          telemetry.listenerError('notification-handler', notification.method, error);
        }
      }
    }
    for (const subscription of this.#subscriptions) {
      const event = subscription.eventFor(notification);
      if (event) subscription.deliver(event);
    }
  }

  async #close(): Promise<void> {
    this.#lifetime.abort(new Error('closed'));
    const current = this.#current;
    const sessionDurationMs =
      current?.connectedAt === undefined ? undefined : Date.now() - current.connectedAt;
    this.#current = undefined;
    this.#connection = undefined;
    for (const subscription of this.#subscriptions) subscription.end('local');
    await Promise.all([...this.#connections].map((connection) => this.#shutdown(connection, true)));
    this.#setState('closed', undefined, sessionDurationMs, current);
  }
}

function bytesOf(observation: HttpObservation): { bytesSent?: number; bytesReceived?: number } {
  return {
    ...(observation.bytesSent !== undefined ? { bytesSent: observation.bytesSent } : {}),
    ...(observation.bytesReceived !== undefined
      ? { bytesReceived: observation.bytesReceived }
      : {}),
  };
}
