// MockMCPServer: a real MCP server (the official SDK's McpServer) for tests, served over
// HTTP (both protocol eras on one URL), stdio or an in-memory pair, that records what it is
// asked and can be told to misbehave.
import type { Readable, Writable } from 'node:stream';
import type { JsonSchema, LoggingLevel, PromptMessage } from '@tframex/mcp-api';
import type { Transport as ClientTransport } from '@modelcontextprotocol/client';
import {
  fromJsonSchema,
  InMemoryTransport,
  type StandardSchemaWithJSON,
} from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';
import { AuthGate, serverAuthSchema, type MockServerAuth } from '../auth/server-auth.js';
import { ignore } from '../config/ignore.js';
import { parseOptions, usageError } from '../config/parse-options.js';
import { FaultInjector } from '../faults/fault-injector.js';
import type { RecordedNotification, RecordedRequest } from '../recording/recorded-request.js';
import { RequestLog, type RequestMatcher, type WaitOptions } from '../recording/request-log.js';
import {
  TOOL_TAGS_META_KEY,
  type MockPromptContent,
  type MockPromptOptions,
  type MockResourceOptions,
  type MockResourceReader,
  type MockResourceTemplateOptions,
  type MockResourceTemplateReader,
  type MockSchema,
  type MockToolHandler,
  type MockToolOptions,
} from './definitions.js';
import type { RecordedHttpRequest } from './http-log.js';
import { HttpEndpoint, type MockServerEra } from './http-endpoint.js';
import { anyObject, InstanceFactory } from './instance-factory.js';
import { ListPaging } from './list-paging.js';
import { NodeListener } from './node-listener.js';
import { Registry, type RegistryChange } from './registry.js';
import { WireBinding } from './wire-binding.js';

export interface MockMCPServerOptions {
  /** Server name reported to clients (default `mock-mcp-server`). */
  name?: string;
  /** Server version reported to clients (default `1.0.0`). */
  version?: string;
  title?: string;
  instructions?: string;
  /** What clients must present over HTTP (none by default). */
  auth?: MockServerAuth;
  /** Seed of the PRNG behind probabilistic faults (default 1). */
  seed?: number;
  /** Sees errors the SDK reports out of band (rejected requests, broken streams). */
  onError?: (error: Error) => void;
  /**
   * Serve tools/list, resources/list, resources/templates/list and prompts/list in pages of
   * this many entries, with opaque cursors (default: every list whole, in one answer).
   */
  pageSize?: number;
}

export interface HttpStartOptions {
  transport?: 'http';
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default `/mcp`. */
  path?: string;
  /** Which protocol eras to serve (default both, on one URL). */
  era?: MockServerEra;
  /** Larger POST bodies get 413 (default 4 MiB). */
  maxRequestBodyBytes?: number;
  /** SSE keep-alive comment interval in ms (SDK default 15 000; 0 disables). */
  sseKeepAliveMs?: number;
  /**
   * Serve HTTPS: certificate and key (PEM); with `requestCert`, clients must present a
   * certificate signed by `ca` (mutual TLS). `createTestCertificates()` makes a set.
   */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
}

export interface MemoryStartOptions {
  transport: 'memory';
  era?: MockServerEra;
}

export interface StdioStartOptions {
  transport: 'stdio';
  era?: MockServerEra;
  /** Default `process.stdin`. */
  stdin?: Readable;
  /** Default `process.stdout`. */
  stdout?: Writable;
}

export type MockServerStartOptions = HttpStartOptions | MemoryStartOptions | StdioStartOptions;

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const eraSchema = z.enum(['legacy', 'modern', 'both'], { error: "'legacy', 'modern' or 'both'" });

const pageSizeSchema = z
  .number()
  .int({ error: 'a whole number of entries (1 or more)' })
  .positive({ error: 'a whole number of entries (1 or more)' });

const optionsSchema = z.object({
  name: z.string().min(1, { error: 'a non-empty name' }).optional(),
  version: z.string().min(1, { error: 'a non-empty version' }).optional(),
  title: z.string().optional(),
  instructions: z.string().optional(),
  auth: serverAuthSchema.optional(),
  seed: z.number().int({ error: 'an integer seed' }).optional(),
  onError: z
    .custom<(error: Error) => void>((v) => typeof v === 'function', { error: 'a function' })
    .optional(),
  pageSize: pageSizeSchema.optional(),
});

const startSchema = z.discriminatedUnion(
  'transport',
  [
    z.object({
      transport: z.literal('http'),
      host: z.string().min(1).optional(),
      port: z
        .number()
        .int()
        .min(0, { error: 'a port (0-65535)' })
        .max(65535, { error: 'a port (0-65535)' })
        .optional(),
      path: z
        .string()
        .regex(/^\/[^?#]*$/, { error: 'a path starting with "/"' })
        .optional(),
      era: eraSchema.optional(),
      maxRequestBodyBytes: z
        .number()
        .int()
        .positive({ error: 'a positive number of bytes' })
        .optional(),
      sseKeepAliveMs: z.number().int().nonnegative({ error: 'milliseconds ≥ 0' }).optional(),
      tls: z
        .object(
          {
            cert: z.string({ error: 'the server certificate (PEM)' }),
            key: z.string({ error: 'the server key (PEM)' }),
            ca: z.string({ error: 'the CA for client certificates (PEM)' }).optional(),
            requestCert: z.boolean().optional(),
          },
          { error: 'TLS settings: { cert, key, ca?, requestCert? }' },
        )
        .optional(),
    }),
    z.object({ transport: z.literal('memory'), era: eraSchema.optional() }),
    z.object({
      transport: z.literal('stdio'),
      era: eraSchema.optional(),
      stdin: z
        .custom<Readable>((v) => typeof v === 'object' && v !== null && 'on' in v, {
          error: 'a readable stream',
        })
        .optional(),
      stdout: z
        .custom<Writable>((v) => typeof v === 'object' && v !== null && 'write' in v, {
          error: 'a writable stream',
        })
        .optional(),
    }),
  ],
  { error: "transport 'http', 'memory' or 'stdio'" },
);

const nameSchema = z
  .string()
  .min(1, { error: 'a non-empty name' })
  .max(128, { error: 'at most 128 characters' });
const handlerSchema = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  error: 'a function',
});
const schemaLike = z.custom<MockSchema>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { error: 'a zod schema or a JSON Schema object' },
);
const toolOptionsSchema = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: schemaLike.optional(),
  outputSchema: schemaLike.optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  tags: z.array(z.string()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
const resourceOptionsSchema = z.object({
  name: z.string().min(1).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().min(1).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
const templateOptionsSchema = resourceOptionsSchema.extend({
  list: handlerSchema.optional(),
  complete: z.record(z.string(), handlerSchema).optional(),
});
const promptOptionsSchema = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        required: z.boolean().optional(),
        complete: handlerSchema.optional(),
      }),
    )
    .optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

function isStandardSchema(schema: MockSchema): schema is StandardSchemaWithJSON {
  return '~standard' in schema;
}

function toStandardSchema(
  schema: MockSchema,
  field: string,
  input: boolean,
): StandardSchemaWithJSON {
  if (isStandardSchema(schema)) {
    const standard = (schema as { '~standard': { jsonSchema?: unknown; vendor?: string } })[
      '~standard'
    ];
    if (standard.jsonSchema === undefined && standard.vendor !== 'zod') {
      throw usageError(
        field,
        'a Standard Schema with JSON Schema output (zod ≥ 4.2) or a JSON Schema object',
        `Invalid ${field}: the schema cannot be converted to JSON Schema`,
      );
    }
    return schema;
  }
  if (input && (schema as JsonSchema).type !== 'object') {
    throw usageError(
      field,
      'a JSON Schema with type "object"',
      `Invalid ${field}: MCP tool arguments are an object (type "object")`,
    );
  }
  return fromJsonSchema(schema as Parameters<typeof fromJsonSchema>[0]);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The URI a resource added by name gets: `mock:///<name>`. */
function resourceUriFor(name: string): string {
  return new URL(`mock:///${name.split('/').map(encodeURIComponent).join('/')}`).href;
}

function defaultMimeType(value: unknown): string | undefined {
  if (typeof value === 'function' || value === undefined) return undefined;
  if (typeof value === 'string') return 'text/plain';
  if (value instanceof Uint8Array || value instanceof ArrayBuffer)
    return 'application/octet-stream';
  return 'application/json';
}

export class MockMCPServer implements AsyncDisposable {
  readonly name: string;
  readonly #registry = new Registry();
  readonly #factory: InstanceFactory;
  readonly #log = new RequestLog();
  readonly #httpLog: RecordedHttpRequest[] = [];
  readonly #faults: FaultInjector;
  readonly #paging = new ListPaging();
  readonly #onError: (error: Error) => void;
  readonly #wires = new Set<WireBinding>();
  #auth: AuthGate | undefined;
  #endpoint: HttpEndpoint | undefined;
  #listener: NodeListener | undefined;
  #url: string | undefined;
  #running = false;
  #stopped: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(options: MockMCPServerOptions = {}) {
    const parsed = parseOptions(optionsSchema, options, 'MockMCPServer.options');
    this.name = parsed.name ?? 'mock-mcp-server';
    this.#factory = new InstanceFactory(this.#registry, {
      name: this.name,
      version: parsed.version ?? '1.0.0',
      title: parsed.title,
      instructions: parsed.instructions,
    });
    this.#faults = new FaultInjector(parsed.seed ?? 1);
    this.#paging.pageSize = parsed.pageSize;
    this.#onError = options.onError ?? ignore;
    this.#auth = options.auth ? new AuthGate(options.auth) : undefined;
    this.#registry.onChange((change) => this.#notifyModern(change));
  }

  // ---- definitions -------------------------------------------------------------------

  /**
   * Adds (or replaces) a tool. The handler gets the arguments (validated against
   * `inputSchema` when given) and a MockRequestContext.
   */
  addTool<S extends StandardSchemaWithJSON>(
    name: string,
    handler: MockToolHandler<StandardSchemaWithJSON.InferOutput<S>>,
    options: MockToolOptions & { inputSchema: S },
  ): this;
  addTool(name: string, handler: MockToolHandler, options?: MockToolOptions): this;
  addTool(name: string, handler: MockToolHandler<never>, options: MockToolOptions = {}): this {
    parseOptions(nameSchema, name, 'addTool.name');
    parseOptions(handlerSchema, handler, 'addTool.handler');
    const parsed = parseOptions(toolOptionsSchema, options, 'addTool.options');
    const meta =
      parsed.tags || parsed.meta
        ? { ...parsed.meta, ...(parsed.tags ? { [TOOL_TAGS_META_KEY]: parsed.tags } : {}) }
        : undefined;
    this.#registry.setTool(name, {
      name,
      handler: handler as MockToolHandler,
      title: parsed.title,
      description: parsed.description,
      inputSchema: options.inputSchema
        ? toStandardSchema(options.inputSchema, 'addTool.options.inputSchema', true)
        : anyObject(),
      outputSchema: options.outputSchema
        ? toStandardSchema(options.outputSchema, 'addTool.options.outputSchema', false)
        : undefined,
      annotations: options.annotations,
      meta,
    });
    return this;
  }

  /** Removes a tool; connected clients are told the tool list changed. False if there was none. */
  removeTool(name: string): boolean {
    return this.#registry.setTool(name, undefined);
  }

  /**
   * Adds (or replaces) a resource, by URI (`file:///docs/a.txt`) or by name (it then gets the
   * URI `mock:///<name>`). Content is a value (string, bytes, JSON) or a reader function.
   */
  addResource(
    uriOrName: string,
    contentOrReader: unknown,
    options: MockResourceOptions = {},
  ): this {
    parseOptions(nameSchema.max(2048), uriOrName, 'addResource.uriOrName');
    const parsed = parseOptions(resourceOptionsSchema, options, 'addResource.options');
    let uri: string;
    if (SCHEME.test(uriOrName)) {
      try {
        uri = new URL(uriOrName).href;
      } catch {
        throw usageError(
          'addResource.uriOrName',
          'a URI or a name',
          `Invalid addResource.uriOrName: ${uriOrName} is not a valid URI`,
        );
      }
    } else {
      uri = resourceUriFor(uriOrName);
    }
    const read: MockResourceReader =
      typeof contentOrReader === 'function'
        ? (contentOrReader as MockResourceReader)
        : () => contentOrReader;
    this.#registry.setResource(uri, {
      uri,
      name: parsed.name ?? uriOrName,
      read,
      title: parsed.title,
      description: parsed.description,
      mimeType: parsed.mimeType ?? defaultMimeType(contentOrReader),
      meta: parsed.meta,
    });
    return this;
  }

  /** Removes a resource by URI or listed name. */
  removeResource(uriOrName: string): boolean {
    const entry = [...this.#registry.resources.values()].find(
      (resource) => resource.uri === uriOrName || resource.name === uriOrName,
    );
    return entry ? this.#registry.setResource(entry.uri, undefined) : false;
  }

  /** Adds a resource template (RFC 6570, e.g. `users://{id}/profile`) read by `reader`. */
  addResourceTemplate(
    uriTemplate: string,
    reader: MockResourceTemplateReader,
    options: MockResourceTemplateOptions = {},
  ): this {
    parseOptions(
      z.string().regex(SCHEME, { error: 'a URI template with a scheme' }),
      uriTemplate,
      'addResourceTemplate.uriTemplate',
    );
    parseOptions(handlerSchema, reader, 'addResourceTemplate.reader');
    parseOptions(templateOptionsSchema, options, 'addResourceTemplate.options');
    const name = options.name ?? uriTemplate;
    this.#registry.setTemplate(name, { uriTemplate, name, read: reader, options });
    return this;
  }

  /** Removes a resource template by template or listed name. */
  removeResourceTemplate(templateOrName: string): boolean {
    const entry = [...this.#registry.templates.values()].find(
      (template) => template.uriTemplate === templateOrName || template.name === templateOrName,
    );
    return entry ? this.#registry.setTemplate(entry.name, undefined) : false;
  }

  /** Adds (or replaces) a prompt: a handler, a fixed string, or fixed messages. */
  addPrompt(name: string, content: MockPromptContent, options: MockPromptOptions = {}): this {
    parseOptions(nameSchema, name, 'addPrompt.name');
    parseOptions(
      z.union(
        [
          handlerSchema,
          z.string(),
          z.array(
            z.object({
              role: z.enum(['user', 'assistant']),
              content: z.object({ type: z.string() }).loose(),
            }),
          ),
        ],
        {
          error: 'a function, a string or prompt messages',
        },
      ),
      content,
      'addPrompt.content',
    );
    const parsed = parseOptions(promptOptionsSchema, options, 'addPrompt.options');
    const handler =
      typeof content === 'function'
        ? content
        : () => (typeof content === 'string' ? content : (content as PromptMessage[]));
    this.#registry.setPrompt(name, {
      name,
      handler,
      title: parsed.title,
      description: parsed.description,
      arguments: options.arguments,
      meta: parsed.meta,
    });
    return this;
  }

  /** Removes a prompt. */
  removePrompt(name: string): boolean {
    return this.#registry.setPrompt(name, undefined);
  }

  /** Names of the tools currently offered. */
  get toolNames(): string[] {
    return [...this.#registry.tools.keys()];
  }

  // ---- lifecycle ---------------------------------------------------------------------

  /** Serves HTTP on 127.0.0.1 (an ephemeral port by default) and resolves with the URL. */
  start(options?: HttpStartOptions): Promise<string>;
  /** Opens an in-memory connection and resolves with the client's end of it. */
  start(options: MemoryStartOptions): Promise<ClientTransport>;
  /** Serves the process's stdin/stdout (or the given streams) until the client closes them. */
  start(options: StdioStartOptions): Promise<void>;
  async start(options: MockServerStartOptions = {}): Promise<string | ClientTransport | void> {
    const parsed = parseOptions(startSchema, { transport: 'http', ...options }, 'start');
    if (this.#running) {
      throw usageError(
        'start',
        'a server that is not running',
        'The mock server is already running: stop() it first',
      );
    }
    this.#running = true;
    let resolve!: () => void;
    this.#stopped = { promise: new Promise<void>((r) => (resolve = r)), resolve };
    try {
      switch (parsed.transport) {
        case 'http':
          return await this.#startHttp(parsed);
        case 'memory':
          return this.createMemoryTransport({ era: parsed.era ?? 'both' });
        case 'stdio':
          this.#startStdio(
            parsed.era ?? 'both',
            parsed.stdin ?? process.stdin,
            parsed.stdout ?? process.stdout,
          );
          return;
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** The HTTP URL, once `start()` served HTTP. */
  get url(): string {
    if (this.#url === undefined) {
      throw usageError(
        'url',
        'a server started over HTTP',
        'The mock server is not serving HTTP: await start() first',
      );
    }
    return this.#url;
  }

  get running(): boolean {
    return this.#running;
  }

  /**
   * Breaks every open connection and keeps serving, as a network blip would: HTTP sockets
   * (SSE streams and requests in flight) are destroyed, in-memory and stdio connections
   * closed. Legacy HTTP sessions survive on the server; clients reconnect to go on.
   */
  dropConnections(): void {
    this.#listener?.dropConnections();
    for (const wire of [...this.#wires]) void wire.close();
  }

  /** Resolves when the current run ends (stop(), or the stdio client closing the pipe). */
  get stopped(): Promise<void> {
    return this.#stopped?.promise ?? Promise.resolve();
  }

  /**
   * A new in-memory connection: connect an SDK Client (or MCPTestClient) to the returned
   * transport. Works whether or not the server was started; stop() closes it.
   */
  createMemoryTransport(options: { era?: MockServerEra } = {}): ClientTransport {
    const era =
      parseOptions(eraSchema.optional(), options.era, 'createMemoryTransport.era') ?? 'both';
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const binding: WireBinding = new WireBinding(serverSide, {
      transport: 'memory',
      era,
      factory: this.#factory,
      log: this.#log,
      faults: this.#faults,
      paging: this.#paging,
      onError: this.#onError,
      onClosed: () => this.#wires.delete(binding),
    });
    this.#wires.add(binding);
    return clientSide;
  }

  /**
   * The HTTP face without a port: answers a web-standard Request as the HTTP server would
   * (what the msw handlers forward to).
   */
  fetch(request: Request): Promise<Response> {
    this.#endpoint ??= this.#createEndpoint({
      era: 'both',
      path: '/mcp',
      maxRequestBodyBytes: DEFAULT_MAX_BODY_BYTES,
      sseKeepAliveMs: undefined,
    });
    return this.#endpoint.fetch(request);
  }

  /** Closes every socket, session, connection and timer. Idempotent; the server can start again. */
  async stop(): Promise<void> {
    const endpoint = this.#endpoint;
    const listener = this.#listener;
    this.#endpoint = undefined;
    this.#listener = undefined;
    this.#url = undefined;
    await endpoint?.close();
    await listener?.close();
    const wires = [...this.#wires];
    this.#wires.clear();
    await Promise.all(wires.map((wire) => wire.close()));
    await this.#factory.closeAll();
    this.#log.abortWaiters();
    this.#running = false;
    this.#stopped?.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // ---- server-initiated traffic ---------------------------------------------------------

  /** Tells subscribed clients a resource changed (`notifications/resources/updated`). */
  notifyResourceUpdated(uri: string): void {
    this.#factory.notifyResourceUpdated(uri);
    this.#endpoint?.modernNotifier?.resourceUpdated(uri);
  }

  notifyToolsChanged(): void {
    this.#factory.notifyToolsChanged();
    this.#endpoint?.modernNotifier?.toolsChanged();
  }

  notifyResourcesChanged(): void {
    this.#factory.notifyResourcesChanged();
    this.#endpoint?.modernNotifier?.resourcesChanged();
  }

  notifyPromptsChanged(): void {
    this.#factory.notifyPromptsChanged();
    this.#endpoint?.modernNotifier?.promptsChanged();
  }

  /**
   * Sends a log message (`notifications/message`) to every connection that can receive one
   * unprompted: legacy sessions, stdio and memory. (Modern HTTP has no such channel; log from
   * inside a handler with `context.log` instead.)
   */
  log(level: LoggingLevel, data: unknown, logger?: string): void {
    this.#factory.log(level, data, logger);
  }

  // ---- recording ------------------------------------------------------------------------

  /** Every JSON-RPC request received, in arrival order. */
  get requests(): RecordedRequest[] {
    return this.#log.requests;
  }

  /** Every notification the clients sent, in arrival order. */
  get notifications(): RecordedNotification[] {
    return this.#log.notifications;
  }

  /** Every HTTP request, including GET streams, DELETEs and metadata lookups. */
  get httpRequests(): RecordedHttpRequest[] {
    return [...this.#httpLog];
  }

  /** `tools/call` requests of one tool. */
  callsTo(tool: string): RecordedRequest[] {
    return this.#log.callsTo(tool);
  }

  requestsFor(method: string): RecordedRequest[] {
    return this.#log.requestsFor(method);
  }

  /** Forgets every recorded request, notification and HTTP exchange. */
  clearRecords(): void {
    this.#log.clear();
    this.#httpLog.length = 0;
  }

  /** The first request (already received or still to come) matching a method or predicate. */
  waitForRequest(matcher: RequestMatcher, options?: WaitOptions): Promise<RecordedRequest> {
    return this.#log.waitForRequest(matcher, options);
  }

  waitForNotification(
    matcher: string | ((notification: RecordedNotification) => boolean),
    options?: WaitOptions,
  ): Promise<RecordedNotification> {
    return this.#log.waitForNotification(matcher, options);
  }

  // ---- faults, sessions, auth -------------------------------------------------------------

  /** Entries per list page, or undefined when lists are served whole. */
  get pageSize(): number | undefined {
    return this.#paging.pageSize;
  }

  /** Serves lists in pages of `size` entries from the next list request on (undefined: whole). */
  setPageSize(size: number | undefined): this {
    this.#paging.pageSize = parseOptions(pageSizeSchema.optional(), size, 'setPageSize.size');
    return this;
  }

  /** Injects faults: `server.faults.inject({ tool: 'search', fault: fault.latency(500) })`. */
  get faults(): FaultInjector {
    return this.#faults;
  }

  /** Ids of the open legacy HTTP sessions. */
  get sessions(): string[] {
    return this.#endpoint?.sessionIds ?? [];
  }

  /** Ends one legacy session (or all); its next request gets 404. Resolves with how many ended. */
  async killSession(sessionId?: string): Promise<number> {
    const endpoint = this.#endpoint;
    if (!endpoint) return 0;
    const ids = sessionId === undefined ? endpoint.sessionIds : [sessionId];
    const killed = await Promise.all(ids.map((id) => endpoint.killSession(id)));
    return killed.filter(Boolean).length;
  }

  /** Changes what clients must present (undefined: nothing), effective for the next request. */
  setAuth(auth: MockServerAuth | undefined): void {
    const parsed = parseOptions(serverAuthSchema.optional(), auth, 'setAuth.auth');
    this.#auth = parsed ? new AuthGate(auth as MockServerAuth) : undefined;
  }

  // ---- internals ----------------------------------------------------------------------------

  #createEndpoint(options: ConstructorParameters<typeof HttpEndpoint>[1]): HttpEndpoint {
    return new HttpEndpoint(
      {
        factory: this.#factory,
        log: this.#log,
        faults: this.#faults,
        paging: this.#paging,
        auth: () => this.#auth,
        httpLog: this.#httpLog,
        onError: this.#onError,
      },
      options,
    );
  }

  async #startHttp(options: HttpStartOptions): Promise<string> {
    const path = options.path ?? '/mcp';
    const maxRequestBodyBytes = options.maxRequestBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    await this.#endpoint?.close();
    const endpoint = this.#createEndpoint({
      era: options.era ?? 'both',
      path,
      maxRequestBodyBytes,
      sseKeepAliveMs: options.sseKeepAliveMs,
    });
    this.#endpoint = endpoint;
    const host = options.host ?? '127.0.0.1';
    this.#listener = await NodeListener.listen(
      (request, connection) => {
        const { pathname } = new URL(request.url);
        if (pathname !== path && !pathname.startsWith('/.well-known/')) {
          return Promise.resolve(Response.json({ error: 'not_found' }, { status: 404 }));
        }
        return endpoint.fetch(request, { connection });
      },
      {
        host,
        port: options.port ?? 0,
        maxRequestBodyBytes,
        onError: this.#onError,
        ...(options.tls ? { tls: options.tls } : {}),
      },
    );
    const hostPart = host.includes(':') ? `[${host}]` : host;
    this.#url = `${options.tls ? 'https' : 'http'}://${hostPart}:${this.#listener.port}${path}`;
    return this.#url;
  }

  #startStdio(era: MockServerEra, stdin: Readable, stdout: Writable): void {
    const binding: WireBinding = new WireBinding(new StdioServerTransport(stdin, stdout), {
      transport: 'stdio',
      era,
      factory: this.#factory,
      log: this.#log,
      faults: this.#faults,
      paging: this.#paging,
      onError: this.#onError,
      rawOutput: stdout,
      onClosed: () => {
        this.#wires.delete(binding);
        // The client hung up: a stdio server's life ends with its pipe.
        void this.stop();
      },
    });
    this.#wires.add(binding);
  }

  #notifyModern(change: RegistryChange): void {
    const notify = this.#endpoint?.modernNotifier;
    if (!notify) return;
    if (change.kind === 'tool') notify.toolsChanged();
    else if (change.kind === 'prompt') notify.promptsChanged();
    else notify.resourcesChanged();
  }
}
