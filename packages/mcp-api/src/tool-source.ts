// McpToolSource: a set of named sessions, addressed with mcp:// URIs.
import type { McpTool } from './mcp-tool.js';
import type { McpRequestOptions } from './request-options.js';
import type { McpSession } from './session.js';
import { McpConfigError } from './errors/mcp-config-error.js';

export interface ListToolsAcrossOptions extends McpRequestOptions {
  /** Only these server aliases; all when omitted. */
  servers?: string[];
}

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
});
