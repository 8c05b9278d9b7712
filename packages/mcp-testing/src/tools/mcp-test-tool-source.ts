// MCPTestToolSource: an McpToolSource over named sessions (MCPTestClient or any McpSession),
// for testing code that takes tools from a source (agents, resources) without mcp-core. Tools
// get flattened, collision-free names from mcp-api's ToolNamer and schemas with local `$ref`s
// inlined; each server's list is cached until the server says it changed.
import {
  formatMcpUri,
  isValidServerAlias,
  McpConfigError,
  McpConnectionError,
  McpError,
  parseMcpUri,
  ToolNamer,
  type CallToolResult,
  type ListToolsAcrossOptions,
  type McpRequestOptions,
  type McpSession,
  type McpSubscription,
  type McpTool,
  type McpToolContext,
  type McpToolSource,
  type McpToolsChangedEvent,
  type Tool,
} from '@tframex/mcp-api';
import { ignore } from '../config/ignore.js';
import { usageError } from '../config/parse-options.js';
import { inlineLocalRefs } from './inline-local-refs.js';

export interface MCPTestToolSourceOptions {
  /** Sessions by alias: the alias is the address (`mcp://db/query`, `db__query`). */
  servers: Record<string, McpSession>;
  /** Longest flattened name (default 64, as LLM APIs allow; at least 24). */
  maxNameLength?: number;
  /**
   * Watch each server for tool-list changes (a `toolsListChanged` subscription, opened on
   * first use) and cache its list meanwhile. Default true. Without it, every lookup lists
   * again and `onToolsChanged` stays silent.
   */
  watch?: boolean;
}

/** Tools across servers, and the servers that could not list theirs. */
export interface CollectedTestTools {
  tools: McpTool[];
  failures: { server: string; error: McpError }[];
}

interface ServerEntry {
  readonly alias: string;
  readonly session: McpSession;
  /** The cached listing, while the watch vouches for it. */
  tools: Promise<McpTool[]> | undefined;
  /** Bumped on every change, so a listing that raced one is not cached. */
  generation: number;
  watch: Promise<McpSubscription | undefined> | undefined;
  /** Whether the watch hears tool-list changes (only then is the cache trusted). */
  watching: boolean;
}

function isSession(value: unknown): value is McpSession {
  const session = value as McpSession | null;
  return (
    typeof session === 'object' &&
    session !== null &&
    typeof session.listTools === 'function' &&
    typeof session.callTool === 'function' &&
    typeof session.subscribe === 'function'
  );
}

function toMcpError(error: unknown, server: string): McpError {
  return McpError.isInstance(error)
    ? error
    : new McpConnectionError(
        `"${server}" failed: ${error instanceof Error ? error.message : String(error)}`,
        { server, cause: error },
      );
}

export class MCPTestToolSource implements McpToolSource, AsyncDisposable {
  readonly #servers = new Map<string, ServerEntry>();
  readonly #namer: ToolNamer;
  readonly #watch: boolean;
  readonly #listeners = new Set<(event: McpToolsChangedEvent) => void>();

  constructor(options: MCPTestToolSourceOptions) {
    if (typeof options !== 'object' || options === null || typeof options.servers !== 'object') {
      throw usageError(
        'MCPTestToolSource.options.servers',
        'an object of sessions by alias',
        'MCPTestToolSource needs { servers: { <alias>: session } }',
      );
    }
    if (options.maxNameLength !== undefined && typeof options.maxNameLength !== 'number') {
      throw usageError(
        'MCPTestToolSource.options.maxNameLength',
        'a whole number from 24 to 1024',
        'MCPTestToolSource: maxNameLength must be a whole number from 24 to 1024',
      );
    }
    this.#namer = new ToolNamer(
      options.maxNameLength !== undefined ? { maxLength: options.maxNameLength } : {},
    );
    this.#watch = options.watch ?? true;
    for (const [alias, session] of Object.entries(options.servers)) this.add(alias, session);
  }

  get serverNames(): readonly string[] {
    return [...this.#servers.keys()];
  }

  getSession(server: string): McpSession | undefined {
    return this.#servers.get(server)?.session;
  }

  /** Registers a session under a new alias. */
  add(alias: string, session: McpSession): this {
    const field = `MCPTestToolSource.servers.${alias}`;
    if (!isValidServerAlias(alias)) {
      throw usageError(
        field,
        'an alias of letters, digits, "_", "." and "-" (at most 64)',
        `MCPTestToolSource: "${alias}" cannot be a server alias (letters, digits, "_", "." and "-", at most 64)`,
      );
    }
    if (this.#servers.has(alias)) {
      throw usageError(field, 'a new alias', `MCPTestToolSource: "${alias}" is already registered`);
    }
    if (!isSession(session)) {
      throw usageError(
        field,
        'an McpSession (an MCPTestClient, an MCPClient, ...)',
        `MCPTestToolSource: the server "${alias}" is not an McpSession`,
      );
    }
    this.#servers.set(alias, {
      alias,
      session,
      tools: undefined,
      generation: 0,
      watch: undefined,
      watching: false,
    });
    return this;
  }

  /** Forgets a server and stops watching it. The session stays open: it is the caller's. */
  async remove(alias: string): Promise<boolean> {
    const entry = this.#servers.get(alias);
    if (!entry) return false;
    this.#servers.delete(alias);
    this.#namer.forgetServer(alias);
    const watch = await entry.watch?.catch(() => undefined);
    await watch?.close().catch(ignore);
    return true;
  }

  /** Tools across the servers, with the servers that failed to list theirs. */
  async collectTools(options: ListToolsAcrossOptions = {}): Promise<CollectedTestTools> {
    const { servers, ...request } = options;
    const entries = servers
      ? servers.map((alias) => this.#known(alias, `mcp://${alias}/*`))
      : [...this.#servers.values()];
    const failures: CollectedTestTools['failures'] = [];
    const lists = await Promise.all(
      entries.map((entry) =>
        this.#toolsOf(entry, request).catch((error: unknown) => {
          failures.push({ server: entry.alias, error: toMcpError(error, entry.alias) });
          return [];
        }),
      ),
    );
    return { tools: lists.flat(), failures };
  }

  /**
   * Tools across the servers that answer; a server that fails is left out (see
   * `collectTools`), and when every server asked fails, this rejects.
   */
  async listTools(options: ListToolsAcrossOptions = {}): Promise<McpTool[]> {
    const { tools, failures } = await this.collectTools(options);
    const asked = options.servers?.length ?? this.#servers.size;
    if (asked > 0 && failures.length >= asked) {
      throw new McpConnectionError(
        `No MCP server could list its tools: ${failures.map((f) => `${f.server} (${f.error.message})`).join('; ')}`,
        { cause: new AggregateError(failures.map((f) => f.error)) },
      );
    }
    return tools;
  }

  /** `mcp://server/*` → every tool of the server; `mcp://server/tool` → that tool. */
  async resolveTools(uri: string, options: McpRequestOptions = {}): Promise<McpTool[]> {
    const parsed = parseMcpUri(uri);
    const entry = this.#known(parsed.server, uri);
    const tools = await this.#toolsOf(entry, options);
    if (parsed.wildcard) return tools;
    const tool = tools.find((candidate) => candidate.originalName === parsed.name);
    if (!tool) {
      const names = tools.map((candidate) => candidate.originalName ?? candidate.name);
      throw new McpConfigError(
        `Server "${parsed.server}" has no tool "${parsed.name}" (${uri}); it has: ${names.slice(0, 20).join(', ') || 'none'}${names.length > 20 ? ', …' : ''}`,
        { field: 'uri', expected: `a tool of "${parsed.server}"`, received: uri },
      );
    }
    return [tool];
  }

  async resolveTool(uri: string, options: McpRequestOptions = {}): Promise<McpTool> {
    if (parseMcpUri(uri).wildcard) {
      throw new McpConfigError(
        `${uri} names every tool of a server; resolveTool needs one (use resolveTools)`,
        { field: 'uri', expected: 'mcp://<server>/<tool>', received: uri },
      );
    }
    const [tool] = await this.resolveTools(uri, options);
    return tool!;
  }

  /**
   * The tool an LLM called by its flattened name (`db__query`), or undefined when no server
   * offers it. Names are the same in every run, so a name from an earlier listing resolves
   * after a restart too.
   */
  async findTool(name: string, options: McpRequestOptions = {}): Promise<McpTool | undefined> {
    const known = this.#namer.resolve(name);
    const entry = known ? this.#servers.get(known.server) : undefined;
    if (entry) {
      const tools = await this.#toolsOf(entry, options);
      const found = tools.find((tool) => tool.name === name);
      if (found) return found;
    }
    // Not named yet (or renamed by a change): name every server's tools and look again.
    const tools = await this.listTools(options);
    return tools.find((tool) => tool.name === name);
  }

  /** Tells `listener` when a server's tool list changes (the cached list is forgotten first). */
  onToolsChanged(listener: (event: McpToolsChangedEvent) => void): () => void {
    const entry = (event: McpToolsChangedEvent) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Stops watching every server. The sessions stay open: they are the caller's. */
  async close(): Promise<void> {
    const watches = [...this.#servers.values()].map((entry) => entry.watch);
    for (const entry of this.#servers.values()) {
      entry.watch = undefined;
      entry.tools = undefined;
      entry.watching = false;
    }
    await Promise.all(
      watches.map(async (watch) => {
        const subscription = await watch?.catch(() => undefined);
        await subscription?.close().catch(ignore);
      }),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- internals ------------------------------------------------------------------------

  #known(alias: string, uri: string): ServerEntry {
    const entry = this.#servers.get(alias);
    if (!entry) {
      throw new McpConfigError(
        `No MCP server "${alias}" for ${uri}; known servers: ${this.serverNames.join(', ') || 'none'}`,
        {
          field: 'uri',
          expected: `one of ${this.serverNames.join(', ') || '(none)'}`,
          received: uri,
        },
      );
    }
    return entry;
  }

  async #toolsOf(entry: ServerEntry, options: McpRequestOptions): Promise<McpTool[]> {
    if (this.#watch) await this.#watchOf(entry, options);
    if (entry.tools && entry.watching) return entry.tools;
    const generation = entry.generation;
    const listing = entry.session
      .listTools(options)
      .then((tools) => tools.map((tool) => this.#toMcpTool(entry, tool)));
    if (entry.watching) {
      entry.tools = listing;
      listing.then(
        () => {
          // A change arrived while listing: this answer may already be old.
          if (entry.generation !== generation && entry.tools === listing) entry.tools = undefined;
        },
        () => {
          if (entry.tools === listing) entry.tools = undefined;
        },
      );
    }
    return listing;
  }

  /** Opens the server's tool-list watch once; a failed or ended one is opened again on next use. */
  #watchOf(entry: ServerEntry, options: McpRequestOptions): Promise<McpSubscription | undefined> {
    entry.watch ??= entry.session
      .subscribe(
        { toolsListChanged: true },
        (event) => {
          if (
            (event.type === 'list-changed' && event.list === 'tools') ||
            // Changes may have been missed while the connection was down.
            event.type === 'restored'
          )
            this.#changed(entry);
        },
        options,
      )
      .then(
        (subscription) => {
          entry.watching = subscription.filter.toolsListChanged === true;
          void subscription.closed.then(() => {
            if (this.#servers.get(entry.alias) !== entry) return;
            entry.watch = undefined;
            entry.watching = false;
            entry.tools = undefined;
          });
          return subscription;
        },
        () => {
          // No watch: list every time, and try to watch again next time.
          entry.watch = undefined;
          entry.watching = false;
          return undefined;
        },
      );
    return entry.watch;
  }

  #changed(entry: ServerEntry): void {
    if (this.#servers.get(entry.alias) !== entry) return;
    entry.generation++;
    entry.tools = undefined;
    for (const listener of [...this.#listeners]) {
      try {
        listener({ server: entry.alias });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        process.emitWarning(`An onToolsChanged listener of MCPTestToolSource threw: ${reason}`, {
          type: 'MCPTestToolSourceListenerError',
        });
      }
    }
  }

  #toMcpTool(entry: ServerEntry, tool: Tool): McpTool {
    const { alias, session } = entry;
    const originalName = tool.name;
    const outputSchema = tool.outputSchema ? inlineLocalRefs(tool.outputSchema) : undefined;
    return {
      name: this.#namer.nameFor(alias, originalName),
      description: tool.description ?? tool.title ?? originalName,
      inputSchema: inlineLocalRefs(tool.inputSchema),
      ...(outputSchema ? { outputSchema } : {}),
      ...(tool.title ? { title: tool.title } : {}),
      ...(tool.annotations ? { annotations: tool.annotations } : {}),
      uri: formatMcpUri(alias, originalName),
      server: alias,
      originalName,
      invoke: (args: Record<string, unknown>, context?: McpToolContext): Promise<CallToolResult> =>
        session.callTool(originalName, args, context),
    };
  }
}
