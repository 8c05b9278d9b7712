// MCPTestClient: an McpSession on the official SDK client, for tests. Connects to a URL, a
// MockMCPServer (its HTTP URL, or an in-memory pair) or a stdio command, lazily on first use,
// and adds executeTool / getResource for terse assertions.
import {
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
  type McpNotification,
  type McpNotificationHandler,
  type McpProtocolEra,
  type McpRequestOptions,
  type McpSession,
  type McpSubscription,
  type McpSubscriptionEnd,
  type McpSubscriptionFilter,
  type McpSubscriptionListener,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@tframex/mcp-api';
import { createAuthFetch, type FetchFunction, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import {
  Client,
  LOG_LEVEL_META_KEY,
  StreamableHTTPClientTransport,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type Notification,
  type RequestOptions,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as z from 'zod';
import { ignore } from '../config/ignore.js';
import { parseOptions } from '../config/parse-options.js';
import { MockMCPServer } from '../server/mock-mcp-server.js';
import { observeHttp, observingFetch, type HttpObservation } from './http-observer.js';
import { TestResource } from './test-resource.js';
import { toMcpError } from './to-mcp-error.js';
import { toolErrorText, toolValue } from './tool-value.js';

/** A stdio server to spawn, e.g. from `mockServerCommand(...)`. */
export interface StdioCommand {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export type MCPTestClientTarget = string | URL | MockMCPServer | StdioCommand;

export interface MCPTestClientOptions {
  /** Alias of the session (`McpSession.name`); default `test`. */
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

const NOTIFICATION_METHODS = [
  'notifications/message',
  'notifications/resources/updated',
  'notifications/resources/list_changed',
  'notifications/tools/list_changed',
  'notifications/prompts/list_changed',
  'notifications/elicitation/complete',
] as const;

const DEFAULT_TIMEOUT_MS = 60_000;

interface Connection {
  readonly client: Client;
  readonly transport: Transport;
  readonly kind: string;
}

interface LiveSubscription {
  readonly filter: McpSubscriptionFilter;
  readonly listener: McpSubscriptionListener;
  end(reason: McpSubscriptionEnd): void;
}

function notificationOf(notification: Notification): McpNotification {
  return notification.params === undefined
    ? { method: notification.method }
    : { method: notification.method, params: notification.params as Record<string, unknown> };
}

export class MCPTestClient implements McpSession, AsyncDisposable {
  readonly name: string;
  readonly #target: MCPTestClientTarget;
  readonly #options: MCPTestClientOptions;
  readonly #timeoutMs: number;
  readonly #handlers = new Map<string, Set<McpNotificationHandler>>();
  readonly #subscriptions = new Set<LiveSubscription>();
  #connection: Promise<Connection> | undefined;
  #logLevel: LoggingLevel | undefined;
  #current: Connection | undefined;
  #closed = false;

  constructor(target: MCPTestClientTarget, options: MCPTestClientOptions = {}) {
    parseOptions(targetSchema, target, 'MCPTestClient.target');
    parseOptions(optionsSchema, options, 'MCPTestClient.options');
    this.#target = target;
    this.#options = options;
    this.name = options.name ?? (target instanceof MockMCPServer ? target.name : 'test');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
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
    return this.#current?.transport.sessionId;
  }
  /** The official SDK client underneath, once connected. */
  get sdk(): Client | undefined {
    return this.#current?.client;
  }

  /** Connects now (otherwise the first request does). */
  async connect(options: McpRequestOptions = {}): Promise<void> {
    await this.#ready(options);
  }

  listTools(options: McpRequestOptions = {}): Promise<Tool[]> {
    return this.#call('tools/list', options, async (client, request) => {
      const { tools } = await client.listTools(this.#listParams(options), request);
      return tools as Tool[];
    });
  }

  callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: McpRequestOptions = {},
  ): Promise<CallToolResult> {
    return this.#call('tools/call', options, async (client, request) => {
      const result = await client.callTool(
        { name, arguments: args, ...this.#metaParam(options) },
        request,
      );
      return result as CallToolResult;
    });
  }

  listResources(options: McpRequestOptions = {}): Promise<Resource[]> {
    return this.#call('resources/list', options, async (client, request) => {
      const { resources } = await client.listResources(this.#listParams(options), request);
      return resources as Resource[];
    });
  }

  listResourceTemplates(options: McpRequestOptions = {}): Promise<ResourceTemplate[]> {
    return this.#call('resources/templates/list', options, async (client, request) => {
      const { resourceTemplates } = await client.listResourceTemplates(
        this.#listParams(options),
        request,
      );
      return resourceTemplates as ResourceTemplate[];
    });
  }

  readResource(uri: string, options: McpRequestOptions = {}): Promise<ReadResourceResult> {
    return this.#call('resources/read', options, async (client, request) => {
      const result = await client.readResource({ uri, ...this.#metaParam(options) }, request);
      return result as ReadResourceResult;
    });
  }

  listPrompts(options: McpRequestOptions = {}): Promise<Prompt[]> {
    return this.#call('prompts/list', options, async (client, request) => {
      const { prompts } = await client.listPrompts(this.#listParams(options), request);
      return prompts as Prompt[];
    });
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    options: McpRequestOptions = {},
  ): Promise<GetPromptResult> {
    return this.#call('prompts/get', options, async (client, request) => {
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
    return this.#call('completion/complete', options, async (client, request) => {
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
    return this.#call('logging/setLevel', options, async (client, request) => {
      if (client.getProtocolEra() === 'modern') this.#logLevel = level;
      else await client.setLoggingLevel(level, request);
    });
  }

  /** Checks the server answers: `ping` on legacy connections, `server/discover` on modern ones (which have no ping). */
  ping(options: McpRequestOptions = {}): Promise<void> {
    return this.#call('ping', options, async (client, request) => {
      if (client.getProtocolEra() === 'modern') await client.discover(request);
      else await client.ping(request);
    });
  }

  subscribe(
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    options: McpRequestOptions = {},
  ): Promise<McpSubscription> {
    const method = 'subscribe';
    return this.#call(method, options, async (client, request) => {
      let resolveClosed!: (end: McpSubscriptionEnd) => void;
      const closed = new Promise<McpSubscriptionEnd>((resolve) => (resolveClosed = resolve));
      let honoured: McpSubscriptionFilter;
      let close: () => Promise<void>;
      const live: LiveSubscription = {
        get filter() {
          return honoured;
        },
        listener,
        end: (reason) => {
          this.#subscriptions.delete(live);
          resolveClosed(reason);
        },
      };
      if (client.getProtocolEra() === 'modern') {
        const subscription = await client.listen(
          {
            ...(filter.toolsListChanged ? { toolsListChanged: true } : {}),
            ...(filter.resourcesListChanged ? { resourcesListChanged: true } : {}),
            ...(filter.promptsListChanged ? { promptsListChanged: true } : {}),
            ...(filter.resources?.length ? { resourceSubscriptions: filter.resources } : {}),
          },
          request,
        );
        const agreed = subscription.honoredFilter;
        honoured = {
          ...(agreed.toolsListChanged ? { toolsListChanged: true } : {}),
          ...(agreed.resourcesListChanged ? { resourcesListChanged: true } : {}),
          ...(agreed.promptsListChanged ? { promptsListChanged: true } : {}),
          ...(agreed.resourceSubscriptions?.length
            ? { resources: [...agreed.resourceSubscriptions] }
            : {}),
        };
        void subscription.closed.then((end) => live.end(end));
        close = () => subscription.close();
      } else {
        const capabilities = client.getServerCapabilities();
        for (const uri of filter.resources ?? []) await client.subscribeResource({ uri }, request);
        honoured = {
          ...(filter.toolsListChanged && capabilities?.tools?.listChanged
            ? { toolsListChanged: true }
            : {}),
          ...(filter.resourcesListChanged && capabilities?.resources?.listChanged
            ? { resourcesListChanged: true }
            : {}),
          ...(filter.promptsListChanged && capabilities?.prompts?.listChanged
            ? { promptsListChanged: true }
            : {}),
          ...(filter.resources?.length ? { resources: [...filter.resources] } : {}),
        };
        close = async () => {
          live.end('local');
          for (const uri of honoured.resources ?? []) {
            await client.unsubscribeResource({ uri }).catch(ignore);
          }
        };
      }
      this.#subscriptions.add(live);
      let closing: Promise<void> | undefined;
      return {
        get filter() {
          return honoured;
        },
        closed,
        close: () => (closing ??= close().finally(() => live.end('local'))),
      };
    });
  }

  onNotification(method: string, handler: McpNotificationHandler): () => void {
    let handlers = this.#handlers.get(method);
    if (!handlers) this.#handlers.set(method, (handlers = new Set()));
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
    };
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
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const connection = await this.#connection?.catch(() => undefined);
    this.#connection = undefined;
    if (connection) await this.#shutdown(connection, true);
    for (const subscription of [...this.#subscriptions]) subscription.end('local');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- internals ------------------------------------------------------------------------

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

  async #call<T>(
    method: string,
    options: McpRequestOptions,
    run: (client: Client, request: RequestOptions) => Promise<T>,
  ): Promise<T> {
    const connection = await this.#ready(options);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const request: RequestOptions = {
      timeout: timeoutMs,
      // The SDK restarts the budget on progress only when a progress callback is passed.
      resetTimeoutOnProgress: true,
      onprogress: (progress) => options.onProgress?.(progress),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const { observation, result } = observeHttp(() => run(connection.client, request));
    try {
      return await result;
    } catch (error) {
      throw this.#fail(
        error,
        method,
        options.signal,
        timeoutMs,
        'request',
        observation,
        connection,
      );
    }
  }

  #fail(
    error: unknown,
    method: string,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    phase: 'connect' | 'request',
    http: HttpObservation,
    connection: Connection | undefined,
  ) {
    const mapped = toMcpError(error, {
      server: this.name,
      method,
      transport: connection?.kind ?? this.#transportKind(),
      timeoutMs,
      phase,
      http,
      ...(signal ? { signal } : {}),
    });
    if (McpSessionExpiredError.isInstance(mapped) && connection && this.#current === connection) {
      // The next call starts a new session instead of repeating the dead one.
      this.#connection = undefined;
      this.#current = undefined;
      void this.#shutdown(connection, false);
    }
    return mapped;
  }

  #transportKind(): string {
    const target = this.#target;
    if (typeof target === 'string' || target instanceof URL) return 'streamable-http';
    if (target instanceof MockMCPServer)
      return target.running && this.#serverUrl(target) ? 'streamable-http' : 'memory';
    return 'stdio';
  }

  #serverUrl(server: MockMCPServer): string | undefined {
    try {
      return server.url;
    } catch {
      return undefined;
    }
  }

  async #ready(options: McpRequestOptions): Promise<Connection> {
    if (this.#closed) {
      throw new McpConnectionError('The client is closed', {
        server: this.name,
        transport: this.#transportKind(),
      });
    }
    this.#connection ??= this.#open(options).catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  async #open(options: McpRequestOptions): Promise<Connection> {
    const { transport, kind } = this.#createTransport();
    const client = this.#createClient();
    const connection: Connection = { client, transport, kind };
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const { observation, result } = observeHttp(() =>
      client.connect(transport, {
        timeout: timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    try {
      await result;
    } catch (error) {
      await client.close().catch(ignore);
      throw this.#fail(
        error,
        'initialize',
        options.signal,
        timeoutMs,
        'connect',
        observation,
        undefined,
      );
    }
    client.onclose = () => {
      if (this.#current === connection) {
        this.#current = undefined;
        this.#connection = undefined;
      }
      for (const subscription of [...this.#subscriptions]) subscription.end('remote');
    };
    this.#current = connection;
    return connection;
  }

  #createTransport(): { transport: Transport; kind: string } {
    const target = this.#target;
    if (target instanceof MockMCPServer) {
      const url = target.running ? this.#serverUrl(target) : undefined;
      return url === undefined
        ? { transport: target.createMemoryTransport(), kind: 'memory' }
        : { transport: this.#httpTransport(url), kind: 'streamable-http' };
    }
    if (typeof target === 'string' || target instanceof URL) {
      return { transport: this.#httpTransport(target), kind: 'streamable-http' };
    }
    return {
      transport: new StdioClientTransport({
        command: target.command,
        ...(target.args ? { args: target.args } : {}),
        ...(target.env ? { env: target.env } : {}),
        ...(target.cwd ? { cwd: target.cwd } : {}),
      }),
      kind: 'stdio',
    };
  }

  #httpTransport(url: string | URL): Transport {
    const base: FetchFunction = this.#options.fetch ?? ((input, init) => fetch(input, init));
    const authed = this.#options.auth
      ? createAuthFetch(this.#options.auth, { fetch: base, server: this.name })
      : base;
    return new StreamableHTTPClientTransport(new URL(url), {
      fetch: observingFetch(authed),
      ...(this.#options.headers ? { requestInit: { headers: this.#options.headers } } : {}),
    });
  }

  #createClient(): Client {
    const options = this.#options;
    const capabilities: ClientCapabilities = {
      ...(options.onSampling ? { sampling: {} } : {}),
      ...(options.onElicitation ? { elicitation: { form: {}, url: {} } } : {}),
      ...(options.roots ? { roots: { listChanged: false } } : {}),
    };
    const era = options.era ?? 'auto';
    const client = new Client(options.clientInfo ?? { name: 'mcp-test-client', version: '1.0.0' }, {
      capabilities,
      versionNegotiation: { mode: era === 'modern' ? { pin: '2026-07-28' } : era },
    });
    if (options.onSampling) {
      const onSampling = options.onSampling;
      client.setRequestHandler('sampling/createMessage', (request) => onSampling(request.params));
    }
    if (options.onElicitation) {
      const onElicitation = options.onElicitation;
      client.setRequestHandler('elicitation/create', (request) => onElicitation(request.params));
    }
    if (options.roots) {
      const roots = options.roots;
      client.setRequestHandler('roots/list', () => ({ roots }));
    }
    for (const method of NOTIFICATION_METHODS) {
      client.setNotificationHandler(method, (notification) =>
        this.#dispatch(notificationOf(notification)),
      );
    }
    client.fallbackNotificationHandler = async (notification) =>
      this.#dispatch(notificationOf(notification));
    return client;
  }

  #dispatch(notification: McpNotification): void {
    for (const key of [notification.method, '*']) {
      for (const handler of this.#handlers.get(key) ?? []) handler(notification);
    }
    const params = notification.params ?? {};
    for (const subscription of this.#subscriptions) {
      const { filter, listener } = subscription;
      switch (notification.method) {
        case 'notifications/resources/updated': {
          const uri = params['uri'];
          if (typeof uri === 'string' && filter.resources?.includes(uri))
            listener({ type: 'resource-updated', uri });
          break;
        }
        case 'notifications/tools/list_changed':
          if (filter.toolsListChanged) listener({ type: 'list-changed', list: 'tools' });
          break;
        case 'notifications/resources/list_changed':
          if (filter.resourcesListChanged) listener({ type: 'list-changed', list: 'resources' });
          break;
        case 'notifications/prompts/list_changed':
          if (filter.promptsListChanged) listener({ type: 'list-changed', list: 'prompts' });
          break;
      }
    }
  }

  async #shutdown(connection: Connection, terminate: boolean): Promise<void> {
    const { client, transport } = connection;
    if (this.#current === connection) this.#current = undefined;
    if (
      terminate &&
      transport instanceof StreamableHTTPClientTransport &&
      transport.sessionId !== undefined
    ) {
      await transport.terminateSession().catch(ignore);
    }
    await client.close().catch(ignore);
  }
}
