// MCPServers over real servers on every transport, with one that cannot be reached.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConfigError, McpConnectionError } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { EVERYTHING_BIN, freePort } from '../test-support/everything.js';
import { FLAT_TOOL_NAME_PATTERN } from '@tframex/mcp-api';
import { MCPClient } from '../client/mcp-client.js';
import { MCPServers } from './mcp-servers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name: 'database' });
  server.addTool('query', ({ sql }) => [{ id: 1, sql }], {
    description: 'Run SQL',
    tags: ['sql', 'database'],
    annotations: { readOnlyHint: true },
  });
  server.addTool('echo', ({ text }) => `db says ${String(text)}`);
  cleanups.push(() => server.stop());
  return server;
}

describe('MCPServers', () => {
  it('connects every server in parallel and reports the one that failed, without dropping the others', async () => {
    const db = await database();
    const dbUrl = await db.start();
    const api = new MockMCPServer({ name: 'api' });
    api.addTool('weather', ({ city }) => ({ city, temp: 22 }));
    api.addTool('echo', ({ text }) => `api says ${String(text)}`);
    cleanups.push(() => api.stop());
    const deadPort = await freePort();
    const servers = new MCPServers({
      servers: {
        db: { serverUrl: dbUrl },
        api: { transport: api.createMemoryTransport() },
        everything: { command: process.execPath, args: [EVERYTHING_BIN, 'stdio'] },
        down: { serverUrl: `http://127.0.0.1:${deadPort}/mcp`, sseFallback: false },
      },
      defaults: { retryAttempts: 1, retryDelayMs: 20, connectTimeoutMs: 5_000 },
    });
    cleanups.push(() => servers.close());

    const statuses = await servers.connect();
    expect(Object.fromEntries(statuses.map((s) => [s.server, s.state]))).toEqual({
      db: 'connected',
      api: 'connected',
      everything: 'connected',
      down: 'failed',
    });
    const down = statuses.find((s) => s.server === 'down')!;
    expect(McpConnectionError.isInstance(down.error)).toBe(true);
    expect(statuses.find((s) => s.server === 'db')!.toolCount).toBe(2);

    const { tools, failures } = await servers.collectTools();
    expect(failures.map((f) => f.server)).toEqual(['down']);
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'db__query',
        'db__echo',
        'api__echo',
        'api__weather',
        'everything__echo',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(FLAT_TOOL_NAME_PATTERN);

    const echo = await servers.resolveTool('mcp://api/echo');
    expect((await echo.invoke({ text: 'hi' })).content).toEqual([
      { type: 'text', text: 'api says hi' },
    ]);
    expect(
      (await servers.resolveTools('mcp://db/*')).map((tool) => tool.originalName).sort(),
    ).toEqual(['echo', 'query']);
    expect(
      (await servers.callTool('mcp://db/query', { sql: 'select 1' })).structuredContent,
    ).toBeDefined();
    await expect(servers.resolveTool('mcp://nowhere/echo')).rejects.toThrow(
      /known servers: db, api, everything, down/,
    );
    await expect(servers.resolveTool('mcp://db/missing')).rejects.toSatisfy(
      (error) =>
        McpConfigError.isInstance(error) && /it has: .*query/.test((error as Error).message),
    );
    await expect(servers.connect({ requireAll: true })).rejects.toThrow(
      /1 of 4 MCP servers failed to connect: down/,
    );
  }, 60_000);

  it('loads an mcpServers file unchanged, with ${ENV} expansion', async () => {
    const db = await database();
    const url = await db.start();
    const dir = await mkdtemp(join(tmpdir(), 'mcp-servers-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'servers_config.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          database: {
            type: 'streamable-http',
            url: '${DB_URL}',
            headers: { 'X-Team': 'core' },
            alwaysAllow: ['query'],
          },
          tools: {
            command: process.execPath,
            args: [EVERYTHING_BIN, 'stdio'],
            env: { LOG: '${LOG_LEVEL:-info}' },
          },
          legacy: { disabled: true, command: 'does-not-exist' },
        },
      }),
    );
    const servers = await MCPServers.fromConfig(file, { env: { DB_URL: url } });
    cleanups.push(() => servers.close());
    expect(servers.serverNames).toEqual(['database', 'tools']);
    await servers.connect({ requireAll: true });
    const [query] = await servers.resolveTools('mcp://database/query');
    expect(query!.name).toBe('database__query');
    const recorded = await query!.invoke({ sql: 'select 2' });
    expect(recorded.isError).toBeFalsy();
    expect(db.callsTo('query')[0]!.headers?.['x-team']).toBe('core');
  }, 60_000);

  it('forwards events of every server only while someone listens', async () => {
    const db = await database();
    const servers = new MCPServers({ servers: { db: { serverUrl: await db.start() } } });
    cleanups.push(() => servers.close());
    await servers.connect();
    const seen: string[] = [];
    const off = servers.on('request:end', (event) =>
      seen.push(`${event.server} ${event.method} ${event.outcome}`),
    );
    await servers.callTool('mcp://db/echo', { text: 'a' });
    off();
    await servers.callTool('mcp://db/echo', { text: 'b' });
    expect(seen).toEqual(['db tools/call ok']);
  });

  it('refuses a client whose name is not its alias', () => {
    const client = new MCPClient({ name: 'bar', serverUrl: 'http://127.0.0.1:9/mcp' });
    expect(() => new MCPServers({ servers: { foo: client } })).toThrow(/name must be the alias/);
  });

  it('refuses bad options for any server in one error naming each', () => {
    expect(
      () => new MCPServers({ servers: { a: { serverUrl: 'ftp://x' }, b: { command: '' } } }),
    ).toThrow(McpConfigError);
    try {
      new MCPServers({ servers: { a: { serverUrl: 'ftp://x' }, b: { timeout: 5 } as never } });
    } catch (error) {
      expect((error as Error).message).toMatch(/serverUrl/);
      expect((error as Error).message).toMatch(/timeoutMs/);
    }
  });
});
