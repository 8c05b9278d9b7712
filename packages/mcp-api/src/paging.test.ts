import { describe, expect, it } from 'vitest';
import { McpProtocolError } from './errors/mcp-protocol-error.js';
import { paginate, type McpPage } from './paging.js';
import type { Resource } from './protocol/resource.js';
import type { McpSession } from './session.js';

/** A plain-object session: only what paginate touches is real; the rest must never be called. */
function session(overrides: Partial<McpSession>): McpSession {
  const never = () => {
    throw new Error('not used');
  };
  return {
    name: 'plain',
    serverInfo: undefined,
    capabilities: undefined,
    protocolVersion: undefined,
    protocolEra: undefined,
    instructions: undefined,
    listTools: never,
    callTool: never,
    listResources: never,
    listResourceTemplates: never,
    readResource: never,
    listPrompts: never,
    getPrompt: never,
    complete: never,
    setLoggingLevel: never,
    ping: never,
    subscribe: never,
    onNotification: never,
    close: async () => undefined,
    ...overrides,
  };
}

const resource = (index: number): Resource => ({ uri: `file:///r/${index}`, name: `r${index}` });

describe('paginate', () => {
  it('walks every page through listPage, asking with each nextCursor', async () => {
    const asked: (string | undefined)[] = [];
    const plain = session({
      listPage: (async (_list: string, options?: { cursor?: string }) => {
        asked.push(options?.cursor);
        const start = Number(options?.cursor ?? 0);
        const items = Array.from({ length: 3 }, (_, i) => resource(start + i));
        return start + 3 < 9 ? { items, nextCursor: String(start + 3) } : { items };
      }) as McpSession['listPage'],
    });
    const uris: string[] = [];
    for await (const entry of paginate(plain, 'resources')) uris.push(entry.uri);
    expect(uris).toHaveLength(9);
    expect(uris[8]).toBe('file:///r/8');
    expect(asked).toEqual([undefined, '3', '6']);
  });

  it('stops asking when the loop breaks early', async () => {
    let pages = 0;
    const plain = session({
      listPage: (async (): Promise<McpPage<Resource>> => {
        pages += 1;
        return { items: [resource(pages)], nextCursor: `c${pages}` };
      }) as McpSession['listPage'],
    });
    for await (const entry of paginate(plain, 'resources')) {
      if (entry.uri.endsWith('/2')) break;
    }
    expect(pages).toBe(2);
  });

  it('falls back to the whole list for a session without listPage', async () => {
    const plain = session({ listResources: async () => [resource(1), resource(2)] });
    const names: string[] = [];
    for await (const entry of paginate(plain, 'resources')) names.push(entry.name);
    expect(names).toEqual(['r1', 'r2']);
  });

  it('rejects with McpProtocolError when a server hands out the same cursor twice', async () => {
    const plain = session({
      listPage: (async () => ({
        items: [resource(0)],
        nextCursor: 'again',
      })) as McpSession['listPage'],
    });
    const walk = async () => {
      for await (const _entry of paginate(plain, 'tools')) void _entry;
    };
    const error = await walk().catch((caught: unknown) => caught);
    expect(McpProtocolError.isInstance(error)).toBe(true);
    expect((error as McpProtocolError).message).toContain('"again" twice while listing tools');
  });
});
