// Calls carry the tool's listed definition: results are checked against its outputSchema on
// every pooled connection, and a definition the server finds stale is recovered from.
// MCPClient against MockMCPServer over real HTTP on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { McpProtocolError } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';
import type { MCPClientOptions } from './mcp-client-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(options: MCPClientOptions): MCPClient {
  const created = new MCPClient(testOptions({ name: 'typed', retryAttempts: 0, ...options }));
  cleanups.push(() => created.close());
  return created;
}

describe('MCPClient tool definitions', () => {
  it('checks structuredContent against the listed outputSchema on every pooled connection', async () => {
    const server = new MockMCPServer({ name: 'typed' });
    server.addTool('sum', () => ({ sum: 3 }), { outputSchema: z.object({ sum: z.number() }) });
    // The modern era keeps no session: nothing tells this client when the tool changes.
    const url = await server.start({ era: 'modern' });
    cleanups.push(() => server.stop());
    const mcp = client({ serverUrl: url, protocol: 'modern', connectionPoolSize: 2 });
    await mcp.listTools();
    expect((await mcp.callTool('sum')).structuredContent).toEqual({ sum: 3 });

    // Now the server answers with results that break the schema it listed (it no longer
    // declares one, so it does not check them itself). Slow enough that two calls overlap
    // and go to different pooled connections, only one of which listed the tools.
    server.addTool('sum', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { sum: 'not a number' };
    });
    const outcomes = await Promise.allSettled([mcp.callTool('sum'), mcp.callTool('sum')]);
    expect(server.callsTo('sum')).toHaveLength(3);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as Error;
      expect(McpProtocolError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/output schema|structured content/i);
    }
  });
});

describe('MCPClient with a stale tool definition (2026-07-28)', () => {
  it('recovers when the server now wants the argument mirrored in an Mcp-Param header', async () => {
    const server = new MockMCPServer({ name: 'weather' });
    server.addTool('forecast', ({ city }) => ({ city, temp: 21 }), {
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    });
    const url = await server.start({ era: 'modern' });
    cleanups.push(() => server.stop());
    const mcp = client({ serverUrl: url, protocol: 'modern' });
    expect((await mcp.listTools()).map((tool) => tool.name)).toEqual(['forecast']);

    // The server changes the tool; this client is not listening for list changes.
    server.addTool('forecast', ({ city }) => ({ city, temp: 22 }), {
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string', 'x-mcp-header': 'City' } },
      },
    });
    server.clearRecords();
    const refreshed = new Promise<void>((resolve) =>
      mcp.on('list:changed', (event) => event.list === 'tools' && resolve()),
    );

    const result = await mcp.callTool('forecast', { city: 'Oslo' });
    expect(result.structuredContent).toEqual({ city: 'Oslo', temp: 22 });
    const calls = server.callsTo('forecast');
    expect(calls.at(-1)?.headers?.['mcp-param-city']).toBe('Oslo');

    // The client's own list was refreshed: the next call sends the header at once.
    await refreshed;
    server.clearRecords();
    await mcp.callTool('forecast', { city: 'Bergen' });
    const next = server.callsTo('forecast');
    expect(next).toHaveLength(1);
    expect(next[0]?.headers?.['mcp-param-city']).toBe('Bergen');
  });
});
