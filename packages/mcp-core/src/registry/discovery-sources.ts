// Where MCPServiceDiscovery finds services: the MCP Registry's HTTP API (GET
// `<base>/v0/servers`, paged by `metadata.nextCursor`) and an MCP server that lists services
// through a tool. Both yield server.json documents (or plain `{ name, url | command, type }`
// entries), which `serversFromServerJson` turns into connection options.
import { McpConfigError, McpConnectionError, type McpSession } from '@tframex/mcp-api';

export interface RegistryApiOptions {
  /** Only servers matching this text (the registry's `search` parameter). */
  search?: string;
  /** Servers per page (default 100). */
  limit?: number;
  /** Most pages to read (default 20): a registry cannot keep the client paging forever. */
  maxPages?: number;
  /** Budget of each page request (default 10 000). */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every server document a registry lists, reading page after page. */
export async function readRegistryApi(
  baseUrl: string | URL,
  options: RegistryApiOptions = {},
): Promise<unknown[]> {
  const base = new URL(baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new McpConfigError('The MCP Registry URL must be http: or https:', {
      field: 'baseUrl',
      expected: 'an http(s) URL',
      received: base.href,
    });
  }
  const doFetch = options.fetch ?? fetch;
  const documents: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 20); page += 1) {
    const url = new URL(`${base.pathname.replace(/\/$/, '')}/v0/servers`, base);
    url.searchParams.set('limit', String(options.limit ?? 100));
    if (options.search) url.searchParams.set('search', options.search);
    if (cursor) url.searchParams.set('cursor', cursor);
    let body: unknown;
    try {
      const response = await doFetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) {
        throw new McpConnectionError(
          `MCP Registry answered ${response.status} for ${url.pathname}`,
          {
            status: response.status,
          },
        );
      }
      body = await response.json();
    } catch (error) {
      if (McpConnectionError.isInstance(error)) throw error;
      throw new McpConnectionError(`MCP Registry at ${base.origin} could not be read`, {
        cause: error,
      });
    }
    if (!isObject(body) || !Array.isArray(body.servers)) {
      throw new McpConnectionError('MCP Registry answered without a "servers" list', {
        retryable: false,
      });
    }
    documents.push(...body.servers);
    const next = isObject(body.metadata) ? body.metadata.nextCursor : undefined;
    if (typeof next !== 'string' || next.length === 0 || next === cursor) break;
    cursor = next;
  }
  return documents;
}

/**
 * The services an MCP server lists through a tool: the tool's `structuredContent` (or its
 * text, as JSON) holding `{ servers: [...] }` or a list, of server.json documents or plain
 * `{ name, url | command, args, type }` entries.
 */
export async function readServicesTool(
  session: McpSession,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<unknown[]> {
  const result = await session.callTool(tool, args);
  if (result.isError) {
    throw new McpConnectionError(`The discovery tool "${tool}" reported an error`, {
      server: session.name,
      retryable: false,
    });
  }
  let data: unknown = result.structuredContent;
  if (data === undefined) {
    const text = result.content.find((block) => block.type === 'text');
    try {
      data = text && text.type === 'text' ? JSON.parse(text.text) : undefined;
    } catch {
      data = undefined;
    }
  }
  const list = Array.isArray(data) ? data : isObject(data) ? data.servers : undefined;
  if (!Array.isArray(list)) {
    throw new McpConnectionError(
      `The discovery tool "${tool}" returned no list of servers ({ servers: [...] } or [...])`,
      { server: session.name, retryable: false },
    );
  }
  return list.map(toServerDocument);
}

/** A plain `{ name, url | command, args, type, description }` entry as a server.json. */
function toServerDocument(entry: unknown): unknown {
  if (!isObject(entry) || entry.remotes || entry.packages || isObject(entry.server)) return entry;
  const type = typeof entry.type === 'string' ? entry.type : undefined;
  const document: Json = {
    name: entry.name,
    ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
    ...(type ? { _meta: { type } } : {}),
  };
  if (typeof entry.url === 'string') {
    document.remotes = [
      { type: entry.transport === 'sse' ? 'sse' : 'streamable-http', url: entry.url },
    ];
  } else if (typeof entry.command === 'string') {
    document.command = entry.command;
    document.args = Array.isArray(entry.args) ? entry.args : [];
  }
  return document;
}
