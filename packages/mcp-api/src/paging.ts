// Page-level listing: walk a server's tools, resources, templates or prompts one page at a
// time, so 100 000 resources never sit in memory at once.
import { McpProtocolError } from './errors/mcp-protocol-error.js';
import type { McpRequestOptions } from './request-options.js';
import type { Prompt } from './protocol/prompt.js';
import type { Resource, ResourceTemplate } from './protocol/resource.js';
import type { Tool } from './protocol/tool.js';
import type { McpSession } from './session.js';

/** The lists MCP pages with cursors. */
export type McpListKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

/** What one entry of each list is. */
export interface McpListItems {
  tools: Tool;
  resources: Resource;
  resourceTemplates: ResourceTemplate;
  prompts: Prompt;
}

export interface McpPageOptions extends McpRequestOptions {
  /** The `nextCursor` of the previous page; omitted for the first page. */
  cursor?: string;
}

/** One page of a list, as the server sent it. */
export interface McpPage<T> {
  readonly items: T[];
  /** Present when there are more pages: pass it as `cursor` to get the next one. */
  readonly nextCursor?: string;
  /** The server's cache hint for this page, in milliseconds (2026-07-28 `ttlMs`). */
  readonly ttlMs?: number;
}

/** The MCP method behind each list. */
export const LIST_METHODS: Readonly<Record<McpListKind, string>> = Object.freeze({
  tools: 'tools/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
  prompts: 'prompts/list',
});

const FULL_LIST = {
  tools: (session: McpSession, options: McpRequestOptions) => session.listTools(options),
  resources: (session: McpSession, options: McpRequestOptions) => session.listResources(options),
  resourceTemplates: (session: McpSession, options: McpRequestOptions) =>
    session.listResourceTemplates(options),
  prompts: (session: McpSession, options: McpRequestOptions) => session.listPrompts(options),
} as const;

/**
 * Every entry of a list, one page at a time: `for await (const resource of paginate(session,
 * 'resources'))`. Uses the session's `listPage` where it has one; otherwise falls back to the
 * whole list in one go. Stops early when the loop breaks; `signal` cancels the page in flight.
 */
export async function* paginate<K extends McpListKind>(
  session: McpSession,
  list: K,
  options: McpRequestOptions = {},
): AsyncGenerator<McpListItems[K], void, undefined> {
  if (!session.listPage) {
    const all = (await FULL_LIST[list](session, options)) as McpListItems[K][];
    yield* all;
    return;
  }
  let cursor: string | undefined;
  const seen = new Set<string>();
  do {
    const page: McpPage<McpListItems[K]> = await session.listPage(list, {
      ...options,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    yield* page.items;
    cursor = page.nextCursor;
    // A server that hands out a cursor twice would keep the loop going forever.
    if (cursor !== undefined) {
      if (seen.has(cursor)) {
        throw new McpProtocolError(
          `"${session.name}" returned cursor ${JSON.stringify(cursor).slice(0, 80)} twice while listing ${list}`,
          { server: session.name, method: LIST_METHODS[list], code: -32603 },
        );
      }
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}
