// MCPToolAdapter: turns the tools of an MCP session into McpTools an agent can call, with
// LLM-friendly names (`server__tool`, ≤ 64 characters, collision-free) and schemas whose
// local `$ref`s are inlined.
import {
  formatMcpUri,
  isValidServerAlias,
  McpConfigError,
  parseMcpUri,
  McpToolError,
  type CallToolResult,
  type McpSession,
  type McpTool,
  type McpToolContext,
  type Tool,
} from '@tframex/mcp-api';
import { dereferenceSchema, type DereferenceOptions } from '../tools/dereference-schema.js';
import { ToolNamer } from '@tframex/mcp-api';

export interface MCPToolAdapterOptions {
  /** Alias the tools are named and addressed under (default: the session's name). */
  server?: string;
  /** Shared namer, so names stay unique across the servers of a registry. Default: a new one. */
  namer?: ToolNamer;
  /** Name tools `server__tool` (default) or keep the server's own names. */
  flattenNames?: boolean;
  /** Inline local `$ref`s of input and output schemas (default true), with these limits. */
  dereference?: boolean | DereferenceOptions;
  /** Reject with McpToolError when a tool reports `isError`, instead of resolving with the result. Default false. */
  throwOnToolError?: boolean;
}

export class MCPToolAdapter {
  readonly session: McpSession;
  readonly namer: ToolNamer;
  readonly #flatten: boolean;
  readonly #dereference: DereferenceOptions | undefined;
  readonly #throwOnToolError: boolean;
  readonly #server: string | undefined;

  constructor(session: McpSession, options: MCPToolAdapterOptions = {}) {
    this.session = session;
    this.namer = options.namer ?? new ToolNamer();
    this.#flatten = options.flattenNames ?? true;
    this.#dereference =
      options.dereference === false
        ? undefined
        : options.dereference === true || options.dereference === undefined
          ? {}
          : options.dereference;
    this.#throwOnToolError = options.throwOnToolError ?? false;
    this.#server = options.server;
  }

  /**
   * An McpTool for one of the session's tools: given its definition, at once; given its
   * address (`mcp://database/query`, or the bare name `query`), once the session's listing
   * has it. An address of another server, or a tool the server lacks, is an McpConfigError.
   */
  createTool(tool: Tool): McpTool;
  createTool(uri: string, options?: McpToolContext): Promise<McpTool>;
  createTool(tool: Tool | string, options?: McpToolContext): McpTool | Promise<McpTool> {
    if (typeof tool === 'string') return this.#createToolByUri(tool, options);
    return this.#createTool(tool);
  }

  async #createToolByUri(uri: string, options?: McpToolContext): Promise<McpTool> {
    const server = this.#server ?? this.session.name;
    let name = uri;
    if (uri.startsWith('mcp:')) {
      const parsed = parseMcpUri(uri);
      if (parsed.wildcard || parsed.server !== server) {
        throw new McpConfigError(
          parsed.wildcard
            ? `${uri} names every tool of a server; createTool needs one (use createTools)`
            : `${uri} names a tool of "${parsed.server}", but this adapter serves "${server}"`,
          { field: 'uri', expected: `mcp://${server}/<tool>`, received: uri },
        );
      }
      name = parsed.name;
    }
    const tools = await this.session.listTools(options);
    const found = tools.find((candidate) => candidate.name === name);
    if (!found) {
      throw new McpConfigError(
        `Server "${server}" has no tool "${name}"; it has: ${tools
          .slice(0, 20)
          .map((candidate) => candidate.name)
          .join(', ')}${tools.length > 20 ? ', …' : ''}`,
        { field: 'uri', expected: `a tool of "${server}"`, received: uri },
      );
    }
    return this.#createTool(found);
  }

  #createTool(tool: Tool): McpTool {
    const session = this.session;
    const server = this.#server ?? session.name;
    const originalName = tool.name;
    const throwOnToolError = this.#throwOnToolError;
    const deref = this.#dereference;
    const inputSchema = deref ? dereferenceSchema(tool.inputSchema, deref) : tool.inputSchema;
    const outputSchema =
      tool.outputSchema && deref ? dereferenceSchema(tool.outputSchema, deref) : tool.outputSchema;
    return {
      name: this.#flatten ? this.namer.nameFor(server, originalName) : originalName,
      description: tool.description ?? tool.title ?? originalName,
      inputSchema,
      ...(outputSchema ? { outputSchema } : {}),
      ...(tool.title ? { title: tool.title } : {}),
      ...(tool.annotations ? { annotations: tool.annotations } : {}),
      ...(isValidServerAlias(server) ? { uri: formatMcpUri(server, originalName) } : {}),
      server,
      originalName,
      async invoke(
        args: Record<string, unknown>,
        context?: McpToolContext,
      ): Promise<CallToolResult> {
        const result = await session.callTool(originalName, args, context);
        if (throwOnToolError && result.isError) {
          const text = result.content
            .map((block) => (block.type === 'text' ? block.text : ''))
            .join(' ')
            .trim();
          throw new McpToolError(
            `tool "${originalName}" on "${server}" failed${text ? `: ${text}` : ''}`,
            {
              server,
              method: 'tools/call',
              toolName: originalName,
              result,
            },
          );
        }
        return result;
      },
    };
  }

  /** McpTools for the given tools, or for every tool the session lists. */
  async createTools(tools?: Tool[], options?: McpToolContext): Promise<McpTool[]> {
    const source = tools ?? (await this.session.listTools(options));
    return source.map((tool) => this.#createTool(tool));
  }
}
