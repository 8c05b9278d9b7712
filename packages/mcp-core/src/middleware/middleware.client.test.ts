// Built-in middleware on a real client and server: logging with secrets redacted, and a
// cache that spares the server and forgets stale lists.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from '../client/mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import { cachingMiddleware } from './caching-middleware.js';
import { loggingMiddleware, type McpLogEntry } from './logging-middleware.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(protocol: 'legacy' | 'modern' = 'legacy') {
  const server = new MockMCPServer({ name: 'mw' });
  server.addTool('login', ({ user }) => `welcome ${String(user)}`);
  server.addResource('docs/readme', 'read me');
  const url = await server.start();
  cleanups.push(() => server.stop());
  const client = new MCPClient(
    testOptions({ name: 'mw', serverUrl: url, retryAttempts: 0, protocol }),
  );
  cleanups.push(() => client.close());
  return { server, client };
}

describe('built-in middleware on MCPClient', () => {
  it('logs requests and failures without their secrets', async () => {
    const { client } = await setup();
    const entries: McpLogEntry[] = [];
    client.use(loggingMiddleware({ logger: (entry) => entries.push(entry), includeParams: true }));
    await client.callTool('login', { user: 'ada', password: 'hunter2', apiKey: 'k-123' });
    await expect(client.callTool('nope', { token: 'secret-token' })).rejects.toThrow();
    const text = JSON.stringify(entries);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('k-123');
    expect(text).not.toContain('secret-token');
    expect(entries.map((entry) => [entry.phase, entry.method, entry.target])).toEqual([
      ['response', 'tools/call', 'login'],
      ['error', 'tools/call', 'nope'],
    ]);
    expect(entries[0]!.params).toMatchObject({
      arguments: { user: 'ada', password: '[REDACTED]' },
    });
  });

  it('answers repeated reads from the cache, and forgets a list the server changed', async () => {
    const { server, client } = await setup();
    const cache = cachingMiddleware({ ttlMs: 60_000 });
    client.use(cache);
    client.onNotification('*', (notification) => cache.onNotification(notification, client.name));
    const [resource] = await client.listResources();
    await client.readResource(resource!.uri);
    await client.readResource(resource!.uri);
    await client.listResources();
    expect(server.requestsFor('resources/read')).toHaveLength(1);
    expect(server.requestsFor('resources/list')).toHaveLength(1);
    expect(cache.stats).toEqual({ hits: 2, misses: 2 });

    server.addResource('docs/changelog', 'news');
    await expect.poll(async () => (await client.listResources()).length).toBe(2);
    expect(server.requestsFor('resources/list').length).toBeGreaterThanOrEqual(2);
  });

  it("honours a 2026-era server's cache hints (ttlMs 0: do not reuse), unless told otherwise", async () => {
    const { server, client } = await setup('modern');
    const cache = cachingMiddleware({ ttlMs: 60_000 });
    client.use(cache);
    const [resource] = await client.listResources();
    await client.readResource(resource!.uri);
    await client.readResource(resource!.uri);
    expect(server.requestsFor('resources/read')).toHaveLength(2);

    const { server: other, client: second } = await setup('modern');
    second.use(cachingMiddleware({ ttlMs: 60_000, honourServerHints: false }));
    const [again] = await second.listResources();
    await second.readResource(again!.uri);
    await second.readResource(again!.uri);
    expect(other.requestsFor('resources/read')).toHaveLength(1);
  });
});
