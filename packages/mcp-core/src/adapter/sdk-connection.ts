// One live MCP session on the SDK client.
import {
  Client,
  LOG_LEVEL_META_KEY,
  type Tool as SdkTool,
  type ClientCapabilities,
  type Transport,
} from '@modelcontextprotocol/client';
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
  type McpProgress,
  type McpProtocolEra,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@tframex/mcp-api';
import { z } from 'zod';
import { buildTransport } from './build-transport.js';
import { noteCacheHints } from './cache-hints.js';
import { REPORT_OPTION, RequestMeter } from './request-meter.js';
import {
  MODERN_PROTOCOL_VERSION,
  type SdkConnectionOptions,
  type SdkRequestOptions,
  type SdkRequestReport,
  type SdkSubscriptionHandle,
  type TransportKind,
  type TransportSpec,
} from './sdk-types.js';
import { HEADER_MISMATCH_ERROR_CODE, protocolCode, toMcpError } from './to-mcp-error.js';

const noop = (): void => undefined;
/** Any JSON-RPC result object (generic requests are checked by the caller, not here). */
const ANY_RESULT = z.record(z.string(), z.unknown());
const TERMINATE_SESSION_TIMEOUT_MS = 2_000;

function negotiation(
  protocol: SdkConnectionOptions['protocol'],
  knownEra: McpProtocolEra | undefined,
) {
  if (protocol === 'legacy') return { mode: 'legacy' as const };
  if (protocol === 'modern') return { mode: { pin: MODERN_PROTOCOL_VERSION } };
  if (knownEra === 'legacy') return { mode: 'legacy' as const };
  return { mode: 'auto' as const };
}

/**
 * One live MCP session on the SDK client: a connected transport plus the client that
 * speaks over it. Dies with its transport; the managed connection above makes a new one.
 */
export class SdkConnection {
  readonly #client: Client;
  readonly #transport: Transport;
  readonly #server: string;
  readonly #kind: TransportKind;
  readonly #meter: RequestMeter;
  #closing = false;
  #closed = false;
  /** Modern era: the log level to announce in each request's `_meta`. */
  #logLevel: LoggingLevel | undefined;

  private constructor(
    client: Client,
    transport: Transport,
    server: string,
    kind: TransportKind,
    meter: RequestMeter,
  ) {
    this.#meter = meter;
    this.#client = client;
    this.#transport = transport;
    this.#server = server;
    this.#kind = kind;
  }

  /** Opens a transport and runs the handshake (or the modern discover probe). */
  static async open(
    server: string,
    spec: TransportSpec,
    options: SdkConnectionOptions,
    connect: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<SdkConnection> {
    const capabilities: ClientCapabilities = {};
    if (options.handlers.sampling) capabilities.sampling = {};
    // applyDefaults: fields an accepted form leaves out get the requested schema's defaults
    // (SEP-1034), so a handler that answers only what it knows still sends a full form.
    if (options.handlers.elicitation)
      capabilities.elicitation = { form: { applyDefaults: true }, url: {} };
    if (options.handlers.roots) capabilities.roots = { listChanged: true };
    const client = new Client(
      { name: options.clientInfo.name, version: options.clientInfo.version },
      { capabilities, versionNegotiation: negotiation(options.protocol, options.knownEra) },
    );
    const meter = new RequestMeter();
    meter.attachClient(client);
    const transport = buildTransport(spec, meter, options.onStderr);
    const connection = new SdkConnection(client, transport, server, spec.kind, meter);

    const { sampling, elicitation, roots } = options.handlers;
    if (sampling) {
      client.setRequestHandler(
        'sampling/createMessage',
        (request, ctx) =>
          sampling(request.params as Record<string, unknown>, ctx.mcpReq.signal) as never,
      );
    }
    if (elicitation) {
      client.setRequestHandler(
        'elicitation/create',
        (request, ctx) =>
          elicitation(request.params as Record<string, unknown>, ctx.mcpReq.signal) as never,
      );
    }
    if (roots) client.setRequestHandler('roots/list', () => roots() as never);
    client.fallbackNotificationHandler = async (notification) => {
      options.onNotification(
        notification.method,
        notification.params as Record<string, unknown> | undefined,
      );
    };
    client.onclose = () => {
      const unexpected = !connection.#closing;
      connection.#closed = true;
      if (unexpected) {
        options.onUnexpectedClose(
          new McpConnectionError(`the connection to "${server}" was lost`, {
            server,
            transport: spec.kind,
          }),
        );
      }
    };
    client.onerror = (error) => {
      if (connection.#closing) return;
      options.onTransportError?.(
        toMcpError(error, { server, method: 'transport', transport: spec.kind }),
      );
    };

    try {
      await client.connect(transport, {
        timeout: connect.timeoutMs,
        ...(connect.signal ? { signal: connect.signal } : {}),
      });
    } catch (error) {
      connection.#closing = true;
      await client.close().catch(noop);
      throw toMcpError(error, {
        server,
        method: 'initialize',
        transport: spec.kind,
        timeoutMs: connect.timeoutMs,
        ...(connect.signal ? { signal: connect.signal } : {}),
      });
    }
    return connection;
  }

  get serverInfo(): Implementation | undefined {
    return this.#client.getServerVersion() as Implementation | undefined;
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.#client.getServerCapabilities() as ServerCapabilities | undefined;
  }
  get protocolVersion(): string | undefined {
    return this.#client.getNegotiatedProtocolVersion();
  }
  get protocolEra(): McpProtocolEra | undefined {
    return this.#client.getProtocolEra();
  }
  get instructions(): string | undefined {
    return this.#client.getInstructions();
  }
  get sessionId(): string | undefined {
    return (this.#transport as { sessionId?: string }).sessionId;
  }
  /** Process id of a stdio server. */
  get pid(): number | undefined {
    return (this.#transport as { pid?: number | null }).pid ?? undefined;
  }
  get transportKind(): TransportKind {
    return this.#kind;
  }
  get isClosed(): boolean {
    return this.#closed;
  }

  #sdkOptions(options: SdkRequestOptions, withProgress: boolean) {
    const sdk: {
      timeout: number;
      signal?: AbortSignal;
      onprogress?: (progress: McpProgress) => void;
      resetTimeoutOnProgress?: boolean;
      [REPORT_OPTION]?: SdkRequestReport;
    } = {
      timeout: options.timeoutMs,
    };
    if (options.signal) sdk.signal = options.signal;
    if (options.report?.countBytes) sdk[REPORT_OPTION] = options.report;
    // The SDK only restarts the timeout on progress when a progress callback is given,
    // so long operations always get one: a tool that reports progress never times out.
    if (withProgress && (options.onProgress !== undefined || options.requestProgress !== false)) {
      sdk.onprogress = options.onProgress ?? noop;
      sdk.resetTimeoutOnProgress = true;
    }
    return sdk;
  }

  /** Runs one SDK call; whatever it throws becomes an McpError. Not async: one hop less per request. */
  #run<T>(
    method: string,
    options: SdkRequestOptions,
    call: (sdk: { timeout: number; signal?: AbortSignal }) => Promise<T>,
    withProgress = false,
  ): Promise<T> {
    try {
      const running = call(this.#sdkOptions(options, withProgress)).then(
        undefined,
        (error: unknown) => {
          throw this.#toError(error, method, options);
        },
      );
      const report = options.report;
      if (!report?.countBytes) return running;
      return running.finally(() => this.#meter.settled(report));
    } catch (error) {
      return Promise.reject(this.#toError(error, method, options));
    }
  }

  #toError(error: unknown, method: string, options: SdkRequestOptions): McpError {
    return toMcpError(error, {
      server: this.#server,
      method,
      transport: this.#kind,
      timeoutMs: options.timeoutMs,
      closing: this.#closing,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  #params<T extends object>(params: T, meta: Record<string, unknown> | undefined): T {
    const level = this.#logLevel;
    if (level !== undefined) return { ...params, _meta: { [LOG_LEVEL_META_KEY]: level, ...meta } };
    return meta ? { ...params, _meta: meta } : params;
  }

  listTools(options: SdkRequestOptions): Promise<Tool[]> {
    return this.#run('tools/list', options, async (o) => {
      const result = await this.#client.listTools(this.#params({}, options.meta), o);
      noteCacheHints(options.report, result);
      return result.tools as Tool[];
    });
  }

  /**
   * `tool`, the definition from the caller's own tool list, spares the SDK a lookup in its
   * per-connection cache on every call and makes output-schema validation (and the modern
   * era's `Mcp-Param-*` headers) hold on every pooled connection, not only the one that
   * listed. When the server says the definition is stale (header mismatch), `onStale` is
   * told and the call runs once more on the SDK's own lookup, which refreshes its list.
   */
  callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    options: SdkRequestOptions,
    tool?: Tool,
    onStale?: () => void,
  ): Promise<CallToolResult> {
    const params = this.#params({ name, ...(args ? { arguments: args } : {}) }, options.meta);
    return this.#run(
      'tools/call',
      options,
      (o) => {
        if (tool === undefined) return this.#client.callTool(params, o) as Promise<CallToolResult>;
        const sdk: typeof o & { toolDefinition?: SdkTool } = o; // made for this call alone
        sdk.toolDefinition = tool as SdkTool;
        return this.#client.callTool(params, sdk).then(undefined, (error: unknown) => {
          if (protocolCode(error) !== HEADER_MISMATCH_ERROR_CODE) throw error;
          onStale?.();
          sdk.toolDefinition = undefined;
          return this.#client.callTool(params, sdk);
        }) as Promise<CallToolResult>;
      },
      true,
    );
  }

  listResources(options: SdkRequestOptions): Promise<Resource[]> {
    return this.#run('resources/list', options, async (o) => {
      const result = await this.#client.listResources(this.#params({}, options.meta), o);
      noteCacheHints(options.report, result);
      return result.resources as Resource[];
    });
  }

  listResourceTemplates(options: SdkRequestOptions): Promise<ResourceTemplate[]> {
    return this.#run('resources/templates/list', options, async (o) => {
      const result = await this.#client.listResourceTemplates(this.#params({}, options.meta), o);
      noteCacheHints(options.report, result);
      return result.resourceTemplates as ResourceTemplate[];
    });
  }

  readResource(uri: string, options: SdkRequestOptions): Promise<ReadResourceResult> {
    return this.#run(
      'resources/read',
      options,
      async (o) => {
        const result = (await this.#client.readResource(
          this.#params({ uri }, options.meta),
          o,
        )) as ReadResourceResult;
        noteCacheHints(options.report, result);
        return result;
      },
      true,
    );
  }

  listPrompts(options: SdkRequestOptions): Promise<Prompt[]> {
    return this.#run('prompts/list', options, async (o) => {
      const result = await this.#client.listPrompts(this.#params({}, options.meta), o);
      noteCacheHints(options.report, result);
      return result.prompts as Prompt[];
    });
  }

  getPrompt(
    name: string,
    args: Record<string, string> | undefined,
    options: SdkRequestOptions,
  ): Promise<GetPromptResult> {
    return this.#run(
      'prompts/get',
      options,
      async (o) =>
        (await this.#client.getPrompt(
          this.#params({ name, ...(args ? { arguments: args } : {}) }, options.meta),
          o,
        )) as GetPromptResult,
      true,
    );
  }

  complete(
    ref: CompletionReference,
    argument: CompletionArgument,
    context: { arguments?: Record<string, string> } | undefined,
    options: SdkRequestOptions,
  ): Promise<Completion> {
    return this.#run('completion/complete', options, async (o) => {
      const result = await this.#client.complete(
        this.#params({ ref, argument, ...(context ? { context } : {}) }, options.meta) as never,
        o,
      );
      return result.completion as Completion;
    });
  }

  /**
   * Sets the server's log level: `logging/setLevel` on a legacy session; the modern era has
   * no such request, so the level rides in every later request's `_meta`.
   */
  setLoggingLevel(level: LoggingLevel, options: SdkRequestOptions): Promise<void> {
    if (this.protocolEra === 'modern') {
      this.#logLevel = level;
      return Promise.resolve();
    }
    return this.#run('logging/setLevel', options, async (o) => {
      await this.#client.setLoggingLevel(level, o);
    });
  }

  /** Any request, for methods the typed API lacks; resolves with the JSON-RPC result as sent. */
  request(
    method: string,
    params: Record<string, unknown>,
    options: SdkRequestOptions,
  ): Promise<Record<string, unknown>> {
    return this.#run(
      method,
      options,
      async (o) => {
        const result = (await this.#client.request(
          { method, params: this.#params(params, options.meta) },
          ANY_RESULT,
          o,
        )) as Record<string, unknown>;
        noteCacheHints(options.report, result);
        return result;
      },
      true,
    );
  }

  /** One page of a list (`tools/list`, `resources/list`, ...), as the server sent it. */
  listPage(
    method: string,
    cursor: string | undefined,
    options: SdkRequestOptions,
  ): Promise<Record<string, unknown>> {
    const params = this.#params(cursor !== undefined ? { cursor } : {}, options.meta);
    return this.#run(method, options, async (o) => {
      // The typed list calls walk every page when no cursor is given; a request is one page.
      const page = await this.#client.request({ method: method as 'tools/list', params }, o);
      noteCacheHints(options.report, page);
      return page as unknown as Record<string, unknown>;
    });
  }

  /** Sends a notification to the server. */
  notify(method: string, params: Record<string, unknown> | undefined): Promise<void> {
    return this.#run(method, { timeoutMs: 0 }, () =>
      this.#client.notification(params === undefined ? { method } : { method, params }),
    );
  }

  /**
   * A round trip that proves the server answers: `ping` in the legacy era; the modern era
   * has no `ping`, so `server/discover` (cheap and side-effect free) stands in.
   */
  ping(options: SdkRequestOptions): Promise<void> {
    const modern = this.protocolEra === 'modern';
    return this.#run(modern ? 'server/discover' : 'ping', options, async (o) => {
      if (modern) await this.#client.discover(o);
      else await this.#client.ping(o);
    });
  }

  subscribeResource(uri: string, options: SdkRequestOptions): Promise<void> {
    return this.#run('resources/subscribe', options, async (o) => {
      await this.#client.subscribeResource({ uri }, o);
    });
  }

  unsubscribeResource(uri: string, options: SdkRequestOptions): Promise<void> {
    return this.#run('resources/unsubscribe', options, async (o) => {
      await this.#client.unsubscribeResource({ uri }, o);
    });
  }

  /** Opens a modern-era `subscriptions/listen` stream. */
  listen(
    filter: {
      resources?: string[];
      toolsListChanged?: boolean;
      resourcesListChanged?: boolean;
      promptsListChanged?: boolean;
    },
    options: SdkRequestOptions,
  ): Promise<SdkSubscriptionHandle> {
    return this.#run('subscriptions/listen', options, async (o) => {
      const subscription = await this.#client.listen(
        {
          ...(filter.resources?.length ? { resourceSubscriptions: filter.resources } : {}),
          ...(filter.toolsListChanged ? { toolsListChanged: true } : {}),
          ...(filter.resourcesListChanged ? { resourcesListChanged: true } : {}),
          ...(filter.promptsListChanged ? { promptsListChanged: true } : {}),
        },
        o,
      );
      const honored = subscription.honoredFilter as Record<string, unknown>;
      return {
        honoredFilter: {
          resources: (honored.resourceSubscriptions as string[] | undefined) ?? [],
          toolsListChanged: honored.toolsListChanged === true,
          resourcesListChanged: honored.resourcesListChanged === true,
          promptsListChanged: honored.promptsListChanged === true,
        },
        close: () => subscription.close(),
        closed: subscription.closed,
      };
    });
  }

  /** Closes the session (HTTP: ends the server session; stdio: stops the process). Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const transport = this.#transport as { terminateSession?: () => Promise<void> };
    if (this.#kind === 'streamable-http' && this.sessionId && transport.terminateSession) {
      // Ending the server's session is a courtesy: never let a dead server hold up close().
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        transport.terminateSession().catch(noop),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, TERMINATE_SESSION_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    }
    await this.#client.close().catch(noop);
    this.#closed = true;
  }
}
