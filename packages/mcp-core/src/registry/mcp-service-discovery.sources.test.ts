// MCPServiceDiscovery from the MCP Registry HTTP API (a local server on 127.0.0.1 speaking
// it: GET /v0/servers, paged by metadata.nextCursor) and from an MCP server that lists
// services through a tool; with the type filter and health checks against real servers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConnectionError } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { MCPServiceDiscovery } from './mcp-service-discovery.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mcpServer(name: string): Promise<string> {
  const server = new MockMCPServer({ name });
  server.addTool('ping', () => 'pong');
  const url = await server.start();
  cleanups.push(() => server.stop());
  return url;
}

/** A local MCP Registry: two pages of server.json entries, and what it was asked. */
async function registry(pages: unknown[][]): Promise<{ url: string; asked: URL[] }> {
  const asked: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    asked.push(url);
    if (url.pathname !== '/v0/servers') return void res.writeHead(404).end();
    const page = Number(url.searchParams.get('cursor') ?? '0');
    const next = page + 1 < pages.length ? String(page + 1) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        servers: (pages[page] ?? []).map((server) => ({ server, _meta: {} })),
        metadata: { count: pages[page]?.length ?? 0, ...(next ? { nextCursor: next } : {}) },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

describe('MCPServiceDiscovery sources', () => {
  it('reads every page of the MCP Registry API, filters by type and checks health', async () => {
    const weather = await mcpServer('weather');
    const db = await mcpServer('db');
    const { url, asked } = await registry([
      [
        {
          name: 'com.example/weather',
          version: '1.0.0',
          remotes: [{ type: 'streamable-http', url: weather }],
        },
        {
          name: 'com.example/db',
          _meta: { type: 'database' },
          remotes: [{ type: 'streamable-http', url: db }],
        },
      ],
      [
        {
          name: 'io.github.x/files',
          packages: [{ registryType: 'npm', identifier: '@x/files-mcp', version: '1.0.0' }],
        },
      ],
    ]);
    const discovery = await MCPServiceDiscovery.fromRegistryApi(url, {
      search: 'example',
      limit: 2,
    });
    expect(discovery.servers.map((server) => server.alias)).toEqual(['weather', 'db', 'files']);
    expect(asked.map((request) => request.searchParams.get('cursor'))).toEqual([null, '1']);
    expect(asked[0]!.searchParams.get('search')).toBe('example');
    expect(discovery.discover({ type: 'database' }).map((server) => server.alias)).toEqual(['db']);
    expect(discovery.discover({ type: 'npm' }).map((server) => server.alias)).toEqual(['files']);
    const health = await discovery.healthCheck({ type: 'remote' });
    expect(health.map((entry) => [entry.server, entry.healthy])).toEqual([
      ['weather', true],
      ['db', true],
    ]);
  });

  it('says when the registry cannot be read', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(MCPServiceDiscovery.fromRegistryApi(url)).rejects.toSatisfy(
      McpConnectionError.isInstance,
    );
  });

  it('discovers services listed by a tool of an MCP server', async () => {
    const db = await mcpServer('db');
    const directory = new MockMCPServer({ name: 'directory' });
    directory.addTool('list_services', () => ({
      servers: [
        { name: 'orders-db', url: db, type: 'database' },
        { name: 'local-files', command: 'node', args: ['files.js'], type: 'filesystem' },
      ],
    }));
    await directory.start();
    cleanups.push(() => directory.stop());
    const session = new MCPTestClient(directory);
    cleanups.push(() => session.close());
    const discovery = await MCPServiceDiscovery.fromTool(session, 'list_services');
    expect(discovery.servers.map((server) => [server.alias, server.type])).toEqual([
      ['orders-db', 'database'],
      ['local-files', 'filesystem'],
    ]);
    expect(discovery.discover({ type: 'stdio' }).map((server) => server.alias)).toEqual([
      'local-files',
    ]);
    const [health] = await discovery.healthCheck({ type: 'database' });
    expect(health).toMatchObject({ server: 'orders-db', healthy: true });
  });
});
