// MCPServers: many MCP servers under aliases, as one McpToolSource. Connects them in
// parallel, reports each one's fate (a failing server never takes the others down, and is
// never silently dropped), names tools `server__tool` without collisions, resolves
// `mcp://server/tool` addresses and flattened names, and tells when a tool list changes.
// Any McpSession can be registered, not only MCPClient.
import {
  formatMcpUri,
  McpConfigError,
  type McpError,
  parseMcpUri,
  McpConnectionError,
  type CallToolResult,
  type McpRequestOptions,
  type McpSession,
  type McpTool,
  type McpToolSource,
  type McpToolsChangedEvent,
  type ListToolsAcrossOptions,
  ToolNamer,
} from '@tframex/mcp-api';
import type { McpClientEvents, McpEventListener, McpEventSource } from '@tframex/mcp-telemetry-api';
import { MCPClient, type CallToolOptions } from '../client/mcp-client.js';
import type { MCPClientOptions } from '../client/mcp-client-options.js';
import {
  loadMcpServersConfig,
  type LoadMcpServersConfigOptions,
} from '../config/load-mcp-servers-config.js';
import { MCPToolAdapter, type MCPToolAdapterOptions } from './mcp-tool-adapter.js';
import { EventFanIn } from './event-fan-in.js';
import {
  connectSession,
  registeredSession,
  toMcpError,
  type SessionExtras,
} from './registered-session.js';
import { ToolChangeWatch } from './tool-change-watch.js';

export type ServerState = 'idle' | 'connecting' | 'connected' | 'failed' | 'closed';

/** Where one server stands, with its last error when it failed. */
export interface ServerStatus {
  server: string;
  state: ServerState;
  error?: McpError;
  /** Tools it offered at the last listing. */
  toolCount?: number;
  protocolEra?: string;
  transport?: string;
}

export interface MCPServersOptions {
  /**
   * Servers by alias: options for a new MCPClient, a client you made (named as its alias),
   * or any other McpSession (an MCPTestClient, a BalancedSession...; its tools are named
   * under the alias). MCPServers owns its sessions: `close()` and `remove()` close them,
   * yours included.
   */
  servers: Record<string, MCPClientOptions | McpSession>;
  /** Options merged under every server given as options (timeouts, security, handlers...). */
  defaults?: Partial<MCPClientOptions>;
  /** Adapter settings for the McpTools this source hands out. */
  tools?: Omit<MCPToolAdapterOptions, 'namer'> & { maxNameLength?: number };
}

/** Tools across servers, and the servers that could not list theirs. */
export interface CollectedTools {
  tools: McpTool[];
  failures: { server: string; error: McpError }[];
}

export class MCPServers implements McpToolSource, McpEventSource<McpClientEvents> {
  readonly #clients = new Map<string, McpSession & SessionExtras>();
  readonly #status = new Map<string, ServerStatus>();
  readonly #adapters = new Map<string, MCPToolAdapter>();
  readonly #namer: ToolNamer;
  readonly #adapterOptions: Omit<MCPToolAdapterOptions, 'namer'>;
  readonly #defaults: Partial<MCPClientOptions>;
  readonly #events = new EventFanIn();
  readonly #toolWatch = new ToolChangeWatch({
    onListenerError: (error, server) =>
      this.#events.reportListenerError({
        server,
        source: 'other',
        event: 'tools-changed',
        error,
      }),
  });

  /**
   * Builds a client per server. Bad options anywhere throw one McpConfigError naming each
   * server's problems; nothing connects until `connect()`.
   */
  constructor(options: MCPServersOptions) {
    if (
      typeof options !== 'object' ||
      options === null ||
      typeof options.servers !== 'object' ||
      options.servers === null
    ) {
      throw new McpConfigError('MCPServers needs { servers: { <alias>: options } }', {
        field: 'servers',
        expected: 'an object of server options by alias',
        received: options,
      });
    }
    const { maxNameLength, ...adapterOptions } = options.tools ?? {};
    this.#namer = new ToolNamer(maxNameLength !== undefined ? { maxLength: maxNameLength } : {});
    this.#adapterOptions = adapterOptions;
    this.#defaults = options.defaults ?? {};
    const problems: string[] = [];
    for (const [alias, entry] of Object.entries(options.servers)) {
      try {
        this.add(alias, entry);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (problems.length > 0) {
      throw new McpConfigError(`Some MCP servers are misconfigured:\n- ${problems.join('\n- ')}`, {
        field: 'servers',
        expected: 'valid options for every server',
      });
    }
  }

  /** Reads an `mcpServers` JSON file (Claude Desktop, Cursor, VS Code, TFrameX) or object. */
  static async fromConfig(
    source: string | object,
    options: LoadMcpServersConfigOptions & Omit<MCPServersOptions, 'servers'> = {},
  ): Promise<MCPServers> {
    const { defaults, tools, ...loadOptions } = options;
    const servers = await loadMcpServersConfig(source, loadOptions);
    return new MCPServers({
      servers,
      ...(defaults ? { defaults } : {}),
      ...(tools ? { tools } : {}),
    });
  }

  get serverNames(): readonly string[] {
    return [...this.#clients.keys()];
  }

  /** Adds a server (not yet connected). The alias must be new. */
  add(alias: string, entry: MCPClientOptions | MCPClient): MCPClient;
  add(alias: string, entry: McpSession): McpSession;
  add(alias: string, entry: MCPClientOptions | McpSession): McpSession {
    if (this.#clients.has(alias)) {
      throw new McpConfigError(`Server "${alias}" is already registered`, {
        field: `servers.${alias}`,
        expected: 'a new alias',
        received: alias,
      });
    }
    const client = registeredSession(alias, entry, this.#defaults);
    this.#clients.set(alias, client);
    this.#status.set(alias, { server: alias, state: 'idle' });
    this.#adapters.set(
      alias,
      new MCPToolAdapter(client, { ...this.#adapterOptions, namer: this.#namer, server: alias }),
    );
    this.#events.addSource(alias, client);
    client.on?.('list:changed', (event) => {
      if (event.list === 'tools' && event.count !== undefined)
        this.#patchStatus(alias, { toolCount: event.count });
    });
    this.#toolWatch.add(alias, client);
    return client;
  }

  /** Closes and forgets a server. */
  async remove(alias: string): Promise<boolean> {
    const client = this.#clients.get(alias);
    if (!client) return false;
    this.#events.removeSource(alias);
    this.#clients.delete(alias);
    this.#status.delete(alias);
    this.#adapters.delete(alias);
    this.#namer.forgetServer(alias);
    await this.#toolWatch.remove(alias);
    await client.close();
    return true;
  }

  #patchStatus(alias: string, patch: Partial<ServerStatus>): void {
    const current = this.#status.get(alias);
    if (current) this.#status.set(alias, { ...current, ...patch });
  }

  /**
   * Connects every server in parallel. Resolves with each server's status; one failing
   * server does not fail the others. With `requireAll`, rejects (after all attempts) with an
   * McpConnectionError naming every server that failed.
   */
  async connect(
    options: { requireAll?: boolean; signal?: AbortSignal } = {},
  ): Promise<ServerStatus[]> {
    await Promise.all(
      [...this.#clients].map(async ([alias, client]) => {
        this.#patchStatus(alias, { state: 'connecting' });
        this.#status.set(alias, await connectSession(alias, client, options.signal));
      }),
    );
    const statuses = this.status();
    const failed = statuses.filter((status) => status.state === 'failed');
    if (options.requireAll && failed.length > 0) {
      throw new McpConnectionError(
        `${failed.length} of ${statuses.length} MCP servers failed to connect: ${failed.map((s) => `${s.server} (${s.error?.message})`).join('; ')}`,
        {
          cause: new AggregateError(failed.map((s) => s.error)),
          retryable: false,
        },
      );
    }
    return statuses;
  }

  /** Every server's status, in registration order. */
  status(): ServerStatus[] {
    return [...this.#status.values()].map((status) => ({ ...status }));
  }

  /** The MCPClient registered under `server` (undefined for other kinds of session). */
  getClient(server: string): MCPClient | undefined {
    const session = this.#clients.get(server);
    return session instanceof MCPClient ? session : undefined;
  }

  getSession(server: string): McpSession | undefined {
    return this.#clients.get(server);
  }

  #usable(servers?: string[]): [string, McpSession][] {
    const wanted = servers ? new Set(servers) : undefined;
    return [...this.#clients].filter(
      ([alias]) => (!wanted || wanted.has(alias)) && this.#status.get(alias)?.state !== 'failed',
    );
  }

  /** Tools across servers, with the servers that failed to list theirs. */
  async collectTools(options: ListToolsAcrossOptions = {}): Promise<CollectedTools> {
    const { servers, ...request } = options;
    for (const alias of servers ?? []) this.#known(alias, `mcp://${alias}/*`);
    const failures: CollectedTools['failures'] = [];
    const lists = await Promise.all(
      this.#usable(servers).map(async ([alias]) => {
        try {
          const tools = await this.#adapters.get(alias)!.createTools(undefined, request);
          this.#patchStatus(alias, { toolCount: tools.length });
          return tools;
        } catch (error) {
          const failure = toMcpError(error, alias);
          failures.push({ server: alias, error: failure });
          this.#patchStatus(alias, { error: failure });
          return [];
        }
      }),
    );
    for (const [alias, status] of this.#status) {
      if (status.state === 'failed' && (!servers || servers.includes(alias)) && status.error)
        failures.push({ server: alias, error: status.error });
    }
    return { tools: lists.flat(), failures };
  }

  /**
   * Tools across the servers that answer. A server that fails is left out of the list and
   * reported in `status()` (and by `collectTools`); when every server fails, this rejects.
   */
  async listTools(options: ListToolsAcrossOptions = {}): Promise<McpTool[]> {
    const { tools, failures } = await this.collectTools(options);
    const asked = options.servers?.length ?? this.#clients.size;
    if (asked > 0 && failures.length >= asked) {
      throw new McpConnectionError(
        `No MCP server could list its tools: ${failures.map((f) => `${f.server} (${f.error.message})`).join('; ')}`,
        {
          cause: new AggregateError(failures.map((f) => f.error)),
        },
      );
    }
    return tools;
  }

  #known(alias: string, uri: string): McpSession {
    const client = this.#clients.get(alias);
    if (!client) {
      throw new McpConfigError(
        `No MCP server "${alias}" for ${uri}; known servers: ${this.serverNames.join(', ') || 'none'}`,
        {
          field: 'uri',
          expected: `one of ${this.serverNames.join(', ')}`,
          received: uri,
        },
      );
    }
    return client;
  }

  /** `mcp://server/*` → every tool of the server; `mcp://server/tool` → that tool. */
  async resolveTools(uri: string, options: McpRequestOptions = {}): Promise<McpTool[]> {
    const parsed = parseMcpUri(uri);
    const client = this.#known(parsed.server, uri);
    const adapter = this.#adapters.get(parsed.server)!;
    if (parsed.wildcard) return adapter.createTools(undefined, options);
    const tool = (await client.listTools(options)).find(
      (candidate) => candidate.name === parsed.name,
    );
    if (!tool) {
      const names = (await client.listTools(options)).map((candidate) => candidate.name);
      throw new McpConfigError(
        `Server "${parsed.server}" has no tool "${parsed.name}" (${uri}); it has: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`,
        {
          field: 'uri',
          expected: `a tool of "${parsed.server}"`,
          received: uri,
        },
      );
    }
    return [adapter.createTool(tool)];
  }

  async resolveTool(uri: string, options: McpRequestOptions = {}): Promise<McpTool> {
    const tools = await this.resolveTools(uri, options);
    if (parseMcpUri(uri).wildcard) {
      throw new McpConfigError(
        `${uri} names every tool of a server; resolveTool needs one (use resolveTools)`,
        { field: 'uri', expected: 'mcp://<server>/<tool>', received: uri },
      );
    }
    return tools[0]!;
  }

  /** Calls `mcp://server/tool` directly. */
  async callTool(
    uri: string,
    args: Record<string, unknown> = {},
    options?: CallToolOptions,
  ): Promise<CallToolResult> {
    const parsed = parseMcpUri(uri);
    if (parsed.wildcard)
      throw new McpConfigError(`${uri} names no single tool`, {
        field: 'uri',
        expected: 'mcp://<server>/<tool>',
        received: uri,
      });
    return this.#known(parsed.server, uri).callTool(parsed.name, args, options);
  }

  /**
   * The tool an LLM called by its flattened name (`db__query`), or undefined when no server
   * offers it. Names are a pure function of server and tool, so a name from an earlier
   * listing (or another process) resolves too.
   */
  async findTool(name: string, options: McpRequestOptions = {}): Promise<McpTool | undefined> {
    const known = this.#namer.resolve(name);
    if (known && this.#clients.has(known.server)) {
      const tools = await this.#adapters.get(known.server)!.createTools(undefined, options);
      const found = tools.find((tool) => tool.name === name);
      if (found) return found;
    }
    // Not named yet (or renamed since): name every server's tools and look again.
    const { tools } = await this.collectTools(options);
    return tools.find((tool) => tool.name === name);
  }

  /**
   * Tells `listener` when a server's tool list changes, in either era and for any kind of
   * session (each server is watched through `subscribe({ toolsListChanged })` while at
   * least one listener is registered). Returns a function that removes the listener.
   */
  onToolsChanged(listener: (event: McpToolsChangedEvent) => void): () => void {
    return this.#toolWatch.listen(listener);
  }

  /** The mcp:// address of a server's tool. */
  uriFor(server: string, tool: string): string {
    return formatMcpUri(server, tool);
  }

  /**
   * Listens to an event of every server (and of servers added later). Sessions forward an
   * event only while someone listens, so unobserved telemetry stays free.
   */
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

  /** Closes every server. */
  async close(): Promise<void> {
    await this.#toolWatch.close();
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
    for (const alias of this.#status.keys()) this.#patchStatus(alias, { state: 'closed' });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
