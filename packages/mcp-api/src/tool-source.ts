// McpToolSource: a set of named sessions, addressed with mcp:// URIs.
import type { McpTool } from './mcp-tool.js';
import type { McpRequestOptions } from './request-options.js';
import type { McpSession } from './session.js';
import { McpConfigError } from './errors/mcp-config-error.js';

export interface ListToolsAcrossOptions extends McpRequestOptions {
  /** Only these server aliases; all when omitted. */
  servers?: string[];
}

/** A server's tool list changed (the source has already forgotten the old one). */
export interface McpToolsChangedEvent {
  /** Alias of the server whose tools changed. */
  readonly server: string;
  /** Number of tools after the change, when the source listed them again. */
  readonly count?: number;
}

/**
 * A set of named sessions. The tools it hands out are ready for an LLM: flattened names
 * (`server__tool`, within 64 characters, collision-free across servers), schemas with local
 * `$ref`s inlined, `uri`, `server` and `originalName` set.
 */
export interface McpToolSource {
  /** Aliases of the servers this source knows. */
  readonly serverNames: readonly string[];
  /** The session registered under `server`, if any. */
  getSession(server: string): McpSession | undefined;
  /** Resolves `mcp://server/name` (or `mcp://server/*`) to tools. Unknown names reject with McpConfigError. */
  resolveTools(uri: string, options?: McpRequestOptions): Promise<McpTool[]>;
  /** Resolves `mcp://server/tool` to exactly one tool. */
  resolveTool(uri: string, options?: McpRequestOptions): Promise<McpTool>;
  /** Tools across servers, with flattened, collision-free names. */
  listTools(options?: ListToolsAcrossOptions): Promise<McpTool[]>;

  /**
   * The tool an LLM called by its flattened name (`db__query`), or undefined when no server
   * offers it. Optional: `findTool` (the function) falls back to `listTools`.
   */
  findTool?(name: string, options?: McpRequestOptions): Promise<McpTool | undefined>;
  /** Tells `listener` when a server's tool list changes. Returns a function that removes it. */
  onToolsChanged?(listener: (event: McpToolsChangedEvent) => void): () => void;
}

/**
 * The tool of `source` named `name` (flattened, as an LLM answers), through the source's own
 * `findTool` where it has one, else by listing its tools.
 */
export async function findTool(
  source: McpToolSource,
  name: string,
  options?: McpRequestOptions,
): Promise<McpTool | undefined> {
  if (source.findTool) return source.findTool(name, options);
  const tools = await source.listTools(options);
  return tools.find((tool) => tool.name === name);
}

function unknown(uri: string): never {
  throw new McpConfigError(`No MCP server can resolve "${uri}": the tool source is empty`, {
    field: 'uri',
    expected: 'a server registered with the tool source',
    received: uri,
  });
}

/** A source with no servers: the default where no MCP servers are configured. */
export const EMPTY_TOOL_SOURCE: McpToolSource = Object.freeze({
  serverNames: Object.freeze([]) as readonly string[],
  getSession: () => undefined,
  resolveTools: async (uri: string) => unknown(uri),
  resolveTool: async (uri: string) => unknown(uri),
  listTools: async () => [],
  findTool: async () => undefined,
  onToolsChanged: () => () => undefined,
});
