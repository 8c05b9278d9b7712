// MCPServers as an McpToolSource over any McpSession: MCPTestClient sessions (a second
// implementation of McpSession) and MCPClient side by side, flattened-name lookup and
// tool-list changes heard in both protocol eras.
import { afterEach, describe, expect, it } from 'vitest';
import { findTool, McpConfigError, type McpToolsChangedEvent } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from '../client/mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPServers } from './mcp-servers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mock(name: string, era: 'legacy' | 'modern'): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name });
  server.addTool('query', ({ sql }) => `rows for ${String(sql)}`, {
    inputSchema: {
      type: 'object',
      properties: { sql: { $ref: '#/$defs/sql' } },
      $defs: { sql: { type: 'string' } },
    },
  });
  await server.start({ era });
  cleanups.push(() => server.stop());
  return server;
}

describe.each(['legacy', 'modern'] as const)('MCPServers as an McpToolSource (%s era)', (era) => {
  it('registers MCPTestClient sessions beside an MCPClient: named, collision-free, dereferenced', async () => {
    const db = await mock('db-server', era);
    const warehouse = await mock('warehouse-server', era);
    const session = new MCPTestClient(db, { era });
    const servers = new MCPServers({
      servers: {
        db: session,
        warehouse: testOptions({ name: 'warehouse', serverUrl: warehouse.url, protocol: era }),
      },
    });
    cleanups.push(() => servers.close());
    await servers.connect();
    const tools = await servers.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['db__query', 'warehouse__query']);
    const query = tools.find((tool) => tool.name === 'db__query')!;
    expect(query).toMatchObject({ server: 'db', originalName: 'query', uri: 'mcp://db/query' });
    expect(JSON.stringify(query.inputSchema)).not.toContain('$ref');
    expect(servers.getSession('db')).toBe(session);
    expect(servers.getClient('db')).toBeUndefined();
    expect(servers.getClient('warehouse')).toBeInstanceOf(MCPClient);

    const found = await servers.findTool('db__query');
    expect((await found!.invoke({ sql: 'select 1' })).content).toEqual([
      { type: 'text', text: 'rows for select 1' },
    ]);
    expect(await findTool(servers, 'warehouse__query')).toMatchObject({ server: 'warehouse' });
    expect(await servers.findTool('db__nothing')).toBeUndefined();
  });

  it('tells listeners when a server adds a tool, and finds the new tool by its flat name', async () => {
    const db = await mock('db-server', era);
    const api = await mock('api-server', era);
    const servers = new MCPServers({
      servers: {
        db: new MCPTestClient(db, { era }),
        api: testOptions({ name: 'api', serverUrl: api.url, protocol: era }),
      },
    });
    cleanups.push(() => servers.close());
    await servers.connect();
    expect(await servers.findTool('db__report')).toBeUndefined();
    const events: McpToolsChangedEvent[] = [];
    const stop = servers.onToolsChanged((event) => events.push(event));
    // A throwing listener is isolated: the others still hear every change.
    const stopThrowing = servers.onToolsChanged(() => {
      throw new Error('listener bug');
    });
    // Both watches are live once a change made now reaches the listeners.
    await expect
      .poll(async () => {
        db.addTool(`probe-${events.length}`, () => 'ok');
        return events.some((event) => event.server === 'db');
      })
      .toBe(true);
    db.addTool('report', () => 'weekly report');
    await expect
      .poll(async () => (await servers.findTool('db__report'))?.originalName)
      .toBe('report');
    api.addTool('weather', () => 'sunny');
    await expect.poll(() => events.some((event) => event.server === 'api')).toBe(true);
    await expect
      .poll(async () => (await servers.findTool('api__weather'))?.originalName)
      .toBe('weather');
    stopThrowing();
    stop();
  });
});

describe('MCPServers entries', () => {
  it('refuses an object that is neither options nor an McpSession', () => {
    class NotASession {
      readonly name = 'x';
    }
    expect(() => new MCPServers({ servers: { x: new NotASession() as never } })).toThrow(
      McpConfigError,
    );
  });
});
