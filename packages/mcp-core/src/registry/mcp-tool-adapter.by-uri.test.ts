// adapter.createTool('mcp://database/query'): the TFrameX call, async and by address, over
// MCPClient and over MCPTestClient (any McpSession).
import { afterEach, describe, expect, it } from 'vitest';
import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from '../client/mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPToolAdapter } from './mcp-tool-adapter.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name: 'database' });
  server.addTool('query', ({ sql }) => `rows for ${String(sql)}`);
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

describe('MCPToolAdapter.createTool by URI', () => {
  it('resolves mcp://database/query on an MCPClient named database', async () => {
    const server = await database();
    const client = new MCPClient(testOptions({ name: 'database', serverUrl: server.url }));
    cleanups.push(() => client.close());
    const adapter = new MCPToolAdapter(client);
    const query = await adapter.createTool('mcp://database/query');
    expect(query).toMatchObject({ name: 'database__query', uri: 'mcp://database/query' });
    expect((await query.invoke({ sql: 'select 1' })).content).toEqual([
      { type: 'text', text: 'rows for select 1' },
    ]);
    expect((await adapter.createTool('query')).name).toBe('database__query');
    for (const bad of ['mcp://other/query', 'mcp://database/*', 'mcp://database/missing'])
      await expect(adapter.createTool(bad)).rejects.toSatisfy(McpConfigError.isInstance);
  });

  it('works over any McpSession, under the alias it is given', async () => {
    const server = await database();
    const session = new MCPTestClient(server);
    cleanups.push(() => session.close());
    const adapter = new MCPToolAdapter(session, { server: 'db' });
    const query = await adapter.createTool('mcp://db/query');
    expect(query).toMatchObject({ name: 'db__query', server: 'db' });
    expect((await query.invoke({ sql: 'x' })).isError).toBeFalsy();
  });
});
