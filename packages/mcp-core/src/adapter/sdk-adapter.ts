// The one module of mcp-core that imports the official MCP SDK. Everything else speaks
// @tframex/mcp-api shapes and McpErrors, so an SDK upgrade touches this file alone.
import {
  Client,
  InMemoryTransport,
  InsufficientScopeError,
  LOG_LEVEL_META_KEY,
  ProtocolError,
  SSEClientTransport,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type Tool as SdkTool,
  type ClientCapabilities,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  McpAuthError,
  McpCancelledError,
  McpConnectionError,
  McpError,
  McpProtocolError,
  McpTimeoutError,
  type CallToolResult,
  type Completion,
  type CompletionArgument,
  type CompletionReference,
  type GetPromptResult,
  type Implementation,
  type LoggingLevel,
  type McpProgress,
  type McpProtocolEra,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@tframex/mcp-api';
import { CONNECTION_LOST_MARKER } from '../http/mcp-fetch.js';
import { REQUEST_SIGNAL_HEADER, requestSignals } from '../http/node-http-fetch.js';

/** The 2026-07-28 revision: the first of the modern (stateless) era. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** How to reach a server. Built by the client from MCPConfig. */
export type TransportSpec =
  | {
      kind: 'stdio';
      command: string;
      args: string[];
      env?: Record<string, string>;
      cwd?: string;
      /** Largest message the server may write, in bytes. */
      maxMessageBytes?: number;
    }
  | { kind: 'streamable-http'; url: URL; headers: Record<string, string>; fetch: FetchLike }
  | { kind: 'sse'; url: URL; headers: Record<string, string>; fetch: FetchLike }
  | { kind: 'memory'; transport: unknown };

export type TransportKind = TransportSpec['kind'];

/** Server-initiated requests the client can answer, in MCP's JSON shapes. */
export interface ServerRequestHandlers {
  sampling?: (
    params: Record<string, unknown>,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  elicitation?: (
    params: Record<string, unknown>,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  roots?: () => Promise<{ roots: { uri: string; name?: string }[] }>;
}

export interface SdkConnectionOptions {
  clientInfo: Implementation;
  /** `auto` negotiates; `legacy` speaks 2025-11-25; `modern` pins 2026-07-28. */
  protocol: 'auto' | 'legacy' | 'modern';
  handlers: ServerRequestHandlers;
  /** Every server notification except progress (which reaches the request's onProgress). */
  onNotification: (method: string, params: Record<string, unknown> | undefined) => void;
  /** The connection ended without `close()` being called (process exit, stream lost). */
  onUnexpectedClose: (reason: McpError) => void;
  /** Transport-level errors that belong to no request (a dropped GET stream, stderr noise). */
  onTransportError?: (error: McpError) => void;
  /** Lines the stdio server wrote to stderr. */
  onStderr?: (text: string) => void;
  /** A known era from an earlier connect, to skip the probe (stdio spawns a probe process). */
  knownEra?: McpProtocolEra;
}

export interface SdkRequestOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** Ask the server for progress on long operations even without `onProgress` (default true). */
  requestProgress?: boolean;
  onProgress?: (progress: McpProgress) => void;
  meta?: Record<string, unknown>;
}

export interface SdkSubscriptionHandle {
  readonly honoredFilter: {
    resources: string[];
    toolsListChanged: boolean;
    resourcesListChanged: boolean;
    promptsListChanged: boolean;
  };
  close(): Promise<void>;
  readonly closed: Promise<'local' | 'graceful' | 'remote'>;
}

const noop = (): void => undefined;

/** Cache hints (2026-07-28 `ttlMs` / `cacheScope`) of results, kept beside them without copying. */
const CACHE_HINTS = new WeakMap<object, { ttlMs?: number; scope?: string }>();

function noteCacheHints<T extends object>(value: T, result: object): T {
  const raw = result as { ttlMs?: unknown; cacheScope?: unknown };
  if (typeof raw.ttlMs === 'number' || typeof raw.cacheScope === 'string') {
    CACHE_HINTS.set(value, {
      ...(typeof raw.ttlMs === 'number' ? { ttlMs: raw.ttlMs } : {}),
      ...(typeof raw.cacheScope === 'string' ? { scope: raw.cacheScope } : {}),
    });
  }
  return value;
}

/** The server's cache hints for a result this module returned, if it sent any. */
export function cacheHintsOf(value: unknown): { ttlMs?: number; scope?: string } | undefined {
  return typeof value === 'object' && value !== null ? CACHE_HINTS.get(value) : undefined;
}
const TERMINATE_SESSION_TIMEOUT_MS = 2_000;

function buildTransport(spec: TransportSpec, onStderr?: (text: string) => void): Transport {
  switch (spec.kind) {
    case 'stdio': {
      const transport = new StdioClientTransport({
        command: spec.command,
        args: spec.args,
        ...(spec.env ? { env: spec.env } : {}),
        ...(spec.cwd ? { cwd: spec.cwd } : {}),
        ...(spec.maxMessageBytes ? { maxBufferSize: spec.maxMessageBytes } : {}),
        stderr: 'pipe',
      });
      const stderr = transport.stderr;
      if (stderr && onStderr)
        stderr.on('data', (chunk: Buffer) => onStderr(chunk.toString('utf8')));
      else stderr?.on('data', noop);
      return transport;
    }
    case 'streamable-http':
      return carryRequestSignalsInHeaders(
        new StreamableHTTPClientTransport(spec.url, {
          fetch: spec.fetch,
          requestInit: { headers: spec.headers },
          // Redirects are followed by our fetch stack (allow-list + credential hygiene).
          redirectPolicy: 'follow',
          reconnectionOptions: {
            maxReconnectionDelay: 30_000,
            initialReconnectionDelay: 1_000,
            reconnectionDelayGrowFactor: 1.5,
            maxRetries: 2,
          },
        }),
      );
    case 'sse':
      return new SSEClientTransport(spec.url, {
        fetch: spec.fetch,
        requestInit: { headers: spec.headers },
        redirectPolicy: 'follow',
      });
    case 'memory':
      return spec.transport as Transport;
  }
}

let nextSignalToken = 0;

/**
 * The Streamable HTTP transport combines each request's own abort signal with its long-lived
 * one (`AbortSignal.any`), which on Node 20 leaves a record on the long-lived signal for
 * every request: heap that grows with every call. This wrapper hands the request's signal to
 * our fetch by a token in a private header instead, so the transport sees no per-request
 * signal; the fetch aborts the exchange when either signal fires.
 */
function carryRequestSignalsInHeaders(transport: Transport): Transport {
  const send = (
    message: JSONRPCMessage,
    options?: Parameters<Transport['send']>[1],
  ): Promise<void> => {
    const requestSignal = options?.requestSignal;
    if (!requestSignal) return transport.send(message, options);
    const token = String(++nextSignalToken);
    requestSignals.set(token, requestSignal);
    const { requestSignal: _carried, ...rest } = options;
    return transport
      .send(message, { ...rest, headers: { ...rest.headers, [REQUEST_SIGNAL_HEADER]: token } })
      .finally(() => requestSignals.delete(token));
  };
  return new Proxy(transport, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** Creates a linked in-memory transport pair (client side first). */
export function createLinkedMemoryTransports(): [unknown, unknown] {
  return InMemoryTransport.createLinkedPair();
}

function mcpErrorInCauses(error: unknown): McpError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (McpError.isInstance(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Set by our fetch on the error it synthesises when an answer stream breaks. */
function isConnectionLost(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as Record<string, unknown>)[CONNECTION_LOST_MARKER] === true
  );
}

/** JSON-RPC error of a 2026-07-28 server whose `Mcp-Param-*` headers disagree with the body. */
const HEADER_MISMATCH_ERROR_CODE = -32020;

/** A JSON-RPC error that the SDK wraps as a ProtocolError. */
function protocolCode(error: unknown): number | undefined {
  return error instanceof ProtocolError ? error.code : undefined;
}

/**
 * Maps anything the SDK (or fetch beneath it) throws onto the McpError family. `signal`
 * tells a caller's abort from a timeout: the SDK rejects both with RequestTimeout.
 */
export function toMcpError(
  error: unknown,
  context: {
    server: string;
    method: string;
    transport: TransportKind;
    signal?: AbortSignal;
    timeoutMs?: number;
    closing?: boolean;
  },
): McpError {
  const base = { server: context.server, method: context.method, cause: error };
  if (McpError.isInstance(error)) return error;
  // Our fetch stack throws McpErrors (security refusals, 429s, lost sessions); the SDK may
  // wrap them (e.g. in a failed version probe). The McpError is the true reason.
  const inner = mcpErrorInCauses(error);
  if (inner) return inner;
  if (context.signal?.aborted) {
    return new McpCancelledError(`${context.method} to "${context.server}" was cancelled`, {
      ...base,
      reason: context.signal.reason,
    });
  }
  if (error instanceof SdkHttpError) {
    const status = error.status;
    if (status === 401)
      return new McpAuthError(`"${context.server}" refused the credentials (HTTP 401)`, {
        ...base,
        reason: 'unauthorized',
        status,
      });
    if (status === 403)
      return new McpAuthError(`"${context.server}" denied access (HTTP 403)`, {
        ...base,
        reason: 'access_denied',
        status,
      });
    const retryable = status === 408 || status === 429 || status >= 500;
    return new McpConnectionError(
      `"${context.server}" answered HTTP ${status} to ${context.method}`,
      {
        ...base,
        status,
        transport: context.transport,
        retryable,
      },
    );
  }
  // A 403 insufficient_scope that no auth plugin could step up past (or none was given).
  if (error instanceof InsufficientScopeError) {
    return new McpAuthError(
      `"${context.server}" needs more scope than the credentials carry${error.requiredScope ? ` (${error.requiredScope})` : ''}`,
      { ...base, reason: 'insufficient_scope', status: 403 },
    );
  }
  if (error instanceof UnauthorizedError) {
    return new McpAuthError(`"${context.server}" requires authorization`, {
      ...base,
      reason: 'unauthorized',
      status: 401,
    });
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new McpTimeoutError(
          `${context.method} to "${context.server}" timed out after ${context.timeoutMs ?? '?'} ms`,
          {
            ...base,
            timeoutMs: context.timeoutMs,
            phase: context.method === 'initialize' ? 'connect' : 'request',
          },
        );
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
      case SdkErrorCode.SendFailed:
        if (context.closing) {
          return new McpCancelledError(
            `${context.method} to "${context.server}" was cancelled: the client closed`,
            base,
          );
        }
        return new McpConnectionError(
          `the connection to "${context.server}" closed during ${context.method}`,
          { ...base, transport: context.transport },
        );
      case SdkErrorCode.CapabilityNotSupported:
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        return new McpProtocolError(
          `"${context.server}" does not support ${context.method}: ${error.message}`,
          { ...base, code: -32601 },
        );
      case SdkErrorCode.EraNegotiationFailed:
        return new McpConnectionError(
          `could not agree on a protocol version with "${context.server}": ${error.message}`,
          {
            ...base,
            transport: context.transport,
            retryable: false,
          },
        );
      default:
        return new McpProtocolError(
          `${context.method} to "${context.server}" failed: ${error.message}`,
          { ...base, code: -32603, data: error.data },
        );
    }
  }
  const code = protocolCode(error);
  if (error instanceof ProtocolError && isConnectionLost(error.data)) {
    return new McpConnectionError(
      `the connection to "${context.server}" broke during ${context.method}`,
      { ...base, transport: context.transport },
    );
  }
  if (code !== undefined && error instanceof ProtocolError) {
    return new McpProtocolError(
      `"${context.server}" rejected ${context.method}: ${error.message}`,
      { ...base, code, data: error.data },
    );
  }
  // fetch() failures (refused, reset, DNS) arrive as TypeErrors with a coded cause.
  if (
    error instanceof TypeError ||
    (error instanceof Error && typeof (error as { code?: unknown }).code === 'string')
  ) {
    return new McpConnectionError(`cannot reach "${context.server}": ${error.message}`, {
      ...base,
      transport: context.transport,
    });
  }
  return new McpProtocolError(
    `${context.method} to "${context.server}" failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      ...base,
      code: -32603,
    },
  );
}

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
  #closing = false;
  #closed = false;
  /** Modern era: the log level to announce in each request's `_meta`. */
  #logLevel: LoggingLevel | undefined;

  private constructor(client: Client, transport: Transport, server: string, kind: TransportKind) {
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
    const transport = buildTransport(spec, options.onStderr);
    const connection = new SdkConnection(client, transport, server, spec.kind);

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
    } = {
      timeout: options.timeoutMs,
    };
    if (options.signal) sdk.signal = options.signal;
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
      return call(this.#sdkOptions(options, withProgress)).then(undefined, (error: unknown) => {
        throw this.#toError(error, method, options);
      });
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
      return noteCacheHints(result.tools as Tool[], result);
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
      return noteCacheHints(result.resources as Resource[], result);
    });
  }

  listResourceTemplates(options: SdkRequestOptions): Promise<ResourceTemplate[]> {
    return this.#run('resources/templates/list', options, async (o) => {
      const result = await this.#client.listResourceTemplates(this.#params({}, options.meta), o);
      return noteCacheHints(result.resourceTemplates as ResourceTemplate[], result);
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
        return noteCacheHints(result, result);
      },
      true,
    );
  }

  listPrompts(options: SdkRequestOptions): Promise<Prompt[]> {
    return this.#run('prompts/list', options, async (o) => {
      const result = await this.#client.listPrompts(this.#params({}, options.meta), o);
      return noteCacheHints(result.prompts as Prompt[], result);
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

/** For tests and diagnostics: a JSON-RPC message type guard that needs no SDK import elsewhere. */
export type { JSONRPCMessage };
