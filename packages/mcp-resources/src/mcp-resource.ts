// MCPResource: one resource on an MCP server — generic (list, read, templates, watch) or typed
// (postgresql, filesystem, s3, rest, keyvalue, messagequeue) through a driver that maps the
// type's operations onto the server's tools.
import {
  McpConfigError,
  McpProtocolError,
  paginate,
  type McpSession,
  type ResourceTemplate,
  type Tool,
} from '@tframex/mcp-api';
import { AesGcmEncryption } from './cache/at-rest-encryption.js';
import { ResourceCache } from './cache/resource-cache.js';
import { decodeContent, type ResourceContent } from './content/resource-content.js';
import { BUILTIN_DRIVERS } from './drivers/builtin-drivers.js';
import { createDriverContext } from './drivers/driver-context.js';
import type {
  ExecuteOptions,
  HttpMethod,
  KeyValueSetOptions,
  ListOptions,
  OperationOptions,
  PublishReceipt,
  ReadOptions,
  RestRequestOptions,
  SqlResult,
  SqlRows,
} from './drivers/operation-options.js';
import type {
  DriverContext,
  DriverOperation,
  DriverOperations,
  ResourceDriver,
} from './drivers/resource-driver.js';
import { selectDriver } from './drivers/select-driver.js';
import { GENERIC_OPERATIONS } from './generic/generic-driver.js';
import type { ResourceEntry } from './listing/resource-entry.js';
import { ResourceListing } from './listing/resource-listing.js';
import {
  parseResourceOptions,
  type MCPResourceOptions,
  type ParsedResourceOptions,
} from './options/resource-options.js';
import type { ResourceType } from './resource-type.js';
import { resolveSession } from './session/resource-client.js';
import { expandUriTemplate, type TemplateVariables } from './uri-template.js';
import { ResourceWatch, type ResourceChangeListener } from './watch/resource-watch.js';

export interface WatchOptions extends ReadOptions {
  /** Read once at the start too (reason `initial`). */
  initial?: boolean;
}

interface Bound {
  readonly context: DriverContext;
  readonly operations: DriverOperations;
  readonly driver: string;
}

export class MCPResource {
  /** The mcp:// URI as given. */
  readonly uri: string;
  /** Alias of the server the resource lives on. */
  readonly server: string;
  /** The `<name>` part of the URI. */
  readonly name: string;
  readonly type: ResourceType | undefined;
  readonly #options: ParsedResourceOptions;
  readonly #session: McpSession;
  readonly #cache: ResourceCache | undefined;
  #bound: Promise<Bound> | undefined;
  /** The binding once it is made: operations skip an await on it. */
  #current: Bound | undefined;
  #stopToolWatch: (() => void) | undefined;

  constructor(options: MCPResourceOptions) {
    this.#options = parseResourceOptions(options);
    this.uri = options.uri;
    this.server = this.#options.uri.server;
    this.name = this.#options.uri.name;
    this.type = this.#options.type;
    this.#session = resolveSession(this.#options.client, this.server);
    const { cache } = this.#options;
    if (cache !== false) {
      const encryption = this.#options.encryptAtRest
        ? this.#options.encryption instanceof Uint8Array || this.#options.encryption === undefined
          ? new AesGcmEncryption(this.#options.encryption)
          : this.#options.encryption
        : undefined;
      this.#cache = new ResourceCache({ ...cache, ...(encryption ? { encryption } : {}) });
    }
  }

  /** The session the resource talks to. */
  get session(): McpSession {
    return this.#session;
  }

  /** Name of the driver in use (`generic` for an untyped resource); lists the server's tools once. */
  async driverName(options: OperationOptions = {}): Promise<string> {
    return (await this.#bind(options)).driver;
  }

  /** Reads `path` (relative to the resource, or an absolute resource URI) and decodes it by MIME type. */
  async read(path = '', options: ReadOptions = {}): Promise<unknown> {
    return decodeContent(await this.readContent(path, options));
  }

  /** Reads `path` without decoding: text or bytes with the MIME type. */
  async readContent(path = '', options: ReadOptions = {}): Promise<ResourceContent> {
    const bound = this.#current ?? (await this.#bind(options));
    const read = this.#operation(bound, 'read');
    // The URI too: resources may share one `cache.store`.
    const key = `${this.uri}\u0000${bound.driver}\u0000${path}`;
    if (this.#cache && !options.fresh) {
      const cached = await this.#cache.get(key);
      if (cached) return cached;
    }
    let content: ResourceContent;
    try {
      content = await read(bound.context, path, options);
    } catch (error) {
      throw this.#failed(error);
    }
    await this.#cache?.set(key, content, content.ttlMs);
    return content;
  }

  /** Entries under `path`: `await` for an array, `for await` to walk them page by page. */
  list(path = '', options: ListOptions = {}): ResourceListing<ResourceEntry> {
    return new ResourceListing(() => this.#listEntries(path, options));
  }

  async *#listEntries(path: string, options: ListOptions): AsyncGenerator<ResourceEntry> {
    const bound = await this.#bind(options);
    yield* this.#operation(bound, 'list')(bound.context, path, options);
  }

  /** The server's resource templates, page by page. */
  templates(options: OperationOptions = {}): ResourceListing<ResourceTemplate> {
    const session = this.#session;
    return new ResourceListing(() => paginate(session, 'resourceTemplates', options));
  }

  /** Fills a resource template (RFC 6570) and reads the resource it names. */
  async readTemplate(
    template: string | ResourceTemplate,
    variables: TemplateVariables,
    options: ReadOptions = {},
  ): Promise<unknown> {
    const uriTemplate = typeof template === 'string' ? template : template.uriTemplate;
    return this.read(expandUriTemplate(uriTemplate, variables), options);
  }

  /**
   * Calls `listener` with the new value whenever the server says `path` changed (either era);
   * a listener that throws is reported to `onError` and the watch goes on.
   */
  async watch(
    path: string,
    listener: ResourceChangeListener,
    options: WatchOptions = {},
  ): Promise<ResourceWatch> {
    const content = await this.readContent(path, { ...options, fresh: true });
    const uri = content.uri;
    return ResourceWatch.start({
      session: this.#session,
      uri,
      read: async () => this.read(uri, { ...options, fresh: true }),
      invalidate: () => this.#cache?.deleteUri(uri),
      listener,
      onError: this.#options.onError,
      initial: options.initial ?? false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Runs SQL with `?` (or `$n`) placeholders bound to `params`; resolves with the rows. */
  async execute<Row = Record<string, unknown>>(
    sql: string,
    options: ExecuteOptions = {},
  ): Promise<SqlRows<Row>> {
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new McpConfigError('execute() needs SQL text', {
        field: 'sql',
        expected: 'a non-empty SQL string',
        received: sql,
      });
    }
    if (options.params !== undefined && !Array.isArray(options.params)) {
      throw new McpConfigError('execute() params must be an array', {
        field: 'params',
        expected: 'an array of values for ? or $n placeholders',
        received: typeof options.params,
      });
    }
    const bound = this.#current ?? (await this.#bind(options));
    let result: SqlResult;
    try {
      result = await this.#operation(bound, 'execute')(bound.context, sql, options);
    } catch (error) {
      throw this.#failed(error);
    }
    const rows = result.rows as Row[];
    // Beside the rows, not among them: equality, spreading and JSON see just the rows.
    const extra = (value: unknown) => ({ value, enumerable: false });
    Object.defineProperties(rows, {
      ...(result.rowCount !== undefined ? { rowCount: extra(result.rowCount) } : {}),
      ...(result.command !== undefined ? { command: extra(result.command) } : {}),
      ...(result.truncated ? { truncated: extra(true) } : {}),
    });
    return rows as SqlRows<Row>;
  }

  /** Key-value: the value of `key` (undefined when absent). REST: `GET path` with `params`. */
  async get(keyOrPath: string, options: RestRequestOptions = {}): Promise<unknown> {
    const bound = this.#current ?? (await this.#bind(options));
    if (!bound.operations.get) return this.#request(bound, 'GET', keyOrPath, options);
    try {
      return await this.#operation(bound, 'get')(bound.context, keyOrPath, options);
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** Key-value: stores `value` (objects as JSON) under `key`. */
  async set(key: string, value: unknown, options: KeyValueSetOptions = {}): Promise<void> {
    const bound = this.#current ?? (await this.#bind(options));
    try {
      await this.#operation(bound, 'set')(bound.context, key, value, options);
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** Key-value: removes `key` (true when it existed). REST: `DELETE path`. */
  async delete(keyOrPath: string, options: RestRequestOptions = {}): Promise<unknown> {
    const bound = this.#current ?? (await this.#bind(options));
    if (!bound.operations.delete) return this.#request(bound, 'DELETE', keyOrPath, options);
    try {
      return await this.#operation(bound, 'delete')(bound.context, keyOrPath, options);
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** REST: `POST path` with a JSON `body`. */
  async post(path: string, options: RestRequestOptions = {}): Promise<unknown> {
    return this.#request(await this.#bind(options), 'POST', path, options);
  }

  /** REST: `PUT path` with a JSON `body`. */
  async put(path: string, options: RestRequestOptions = {}): Promise<unknown> {
    return this.#request(await this.#bind(options), 'PUT', path, options);
  }

  /** REST: `PATCH path` with a JSON `body`. */
  async patch(path: string, options: RestRequestOptions = {}): Promise<unknown> {
    return this.#request(await this.#bind(options), 'PATCH', path, options);
  }

  /** Message queue: publishes `payload` (objects as JSON) to `topic`. */
  async publish(
    topic: string,
    payload: unknown,
    options: OperationOptions = {},
  ): Promise<PublishReceipt> {
    if (typeof topic !== 'string' || topic === '') {
      throw new McpConfigError('publish() needs a topic', {
        field: 'topic',
        expected: 'a non-empty topic name',
        received: topic,
      });
    }
    const bound = this.#current ?? (await this.#bind(options));
    try {
      return await this.#operation(bound, 'publish')(bound.context, topic, payload, options);
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** Drops cached reads (of every path). */
  invalidate(): void {
    this.#cache?.clear();
  }

  /** Stops watching the server's tool list. The session stays open: it belongs to the caller. */
  close(): void {
    this.#stopToolWatch?.();
    this.#stopToolWatch = undefined;
  }

  async #request(
    bound: Bound,
    method: HttpMethod,
    path: string,
    options: RestRequestOptions,
  ): Promise<unknown> {
    try {
      return await this.#operation(bound, 'request')(bound.context, { ...options, method, path });
    } catch (error) {
      throw this.#failed(error);
    }
  }

  #operation<K extends DriverOperation>(bound: Bound, op: K): NonNullable<DriverOperations[K]> {
    const fn = bound.operations[op];
    if (!fn) {
      const can = (Object.keys(bound.operations) as DriverOperation[]).filter(
        (key) => typeof bound.operations[key] === 'function',
      );
      throw new McpConfigError(
        `A ${this.type ?? 'generic'} resource (driver ${bound.driver}) has no ${op === 'request' ? 'HTTP methods' : `${op}()`}; it offers ${can.join(', ')}`,
        {
          field: 'type',
          expected: `a resource type that offers ${op}`,
          received: this.type ?? 'generic',
        },
      );
    }
    return fn.bind(bound.operations) as NonNullable<DriverOperations[K]>;
  }

  /**
   * Passes `error` on; an unknown tool (-32602/-32601) means the server's tools changed under
   * us, so the driver is chosen again next time (legacy servers also say so with
   * tools/list_changed).
   */
  #failed(error: unknown): unknown {
    if (McpProtocolError.isInstance(error) && (error.code === -32602 || error.code === -32601)) {
      this.#forget();
    }
    return error;
  }

  #forget(): void {
    this.#bound = undefined;
    this.#current = undefined;
  }

  #bind(options: OperationOptions): Promise<Bound> {
    if (!this.#bound) {
      const attempt = this.#choose(options);
      this.#bound = attempt;
      attempt.then(
        (bound) => {
          if (this.#bound === attempt) this.#current = bound;
        },
        () => {
          if (this.#bound === attempt) this.#bound = undefined;
        },
      );
    }
    return this.#bound;
  }

  async #choose(options: OperationOptions): Promise<Bound> {
    const session = this.#session;
    const type = this.type;
    let tools: Tool[] = [];
    if (type !== undefined) {
      this.#stopToolWatch ??= session.onNotification('notifications/tools/list_changed', () =>
        this.#forget(),
      );
      tools = await session.listTools({
        ...(options.signal ? { signal: options.signal } : {}),
        ...(this.#options.timeoutMs !== undefined ? { timeoutMs: this.#options.timeoutMs } : {}),
      });
    }
    const toolMap = new Map(tools.map((tool) => [tool.name, tool]));
    const view = { tools: toolMap, capabilities: session.capabilities };
    const driver: ResourceDriver | undefined =
      type === undefined
        ? undefined
        : selectDriver(
            type,
            [...this.#options.drivers, ...BUILTIN_DRIVERS[type]],
            view,
            session.name,
          );
    const context = createDriverContext({
      session,
      type,
      name: this.name,
      tools: toolMap,
      capabilities: session.capabilities,
      maxBytes: this.#options.maxBytes,
      encryptTransport: this.#options.encryptTransport,
      timeoutMs: this.#options.timeoutMs,
    });
    return { context, operations: driver ?? GENERIC_OPERATIONS, driver: driver?.name ?? 'generic' };
  }
}
