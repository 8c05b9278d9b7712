import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPResource } from '../mcp-resource.js';
import { defineResourceDriver } from './resource-driver.js';
import { parseJson, textOf } from './tool-result.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function serve(setup: (server: MockMCPServer) => void) {
  const server = new MockMCPServer({ name: 'db' });
  setup(server);
  await server.start();
  const client = new MCPTestClient(server, { name: 'db' });
  cleanups.push(async () => {
    await client.close();
    await server.stop();
  });
  return { server, client };
}

describe('defineResourceDriver', () => {
  it('describes another server in a few lines, and is tried before the built-in drivers', async () => {
    const { server, client } = await serve((s) =>
      s.addTool('run_sql', ({ statement, values }) => ({
        records: [{ statement, values }],
      })),
    );
    const acmeSql = defineResourceDriver({
      name: 'acme-sql',
      type: 'postgresql',
      requires: ['run_sql'],
      async execute(context, sql, { params = [], ...options }) {
        const result = await context.call('run_sql', { statement: sql, values: params }, options);
        const { records } = parseJson(textOf(result), 'run_sql') as { records: object[] };
        return { rows: records as Record<string, unknown>[] };
      },
    });
    const db = new MCPResource({
      client,
      uri: 'mcp://db/production',
      type: 'postgresql',
      drivers: [acmeSql],
    });
    const rows = await db.execute('SELECT $1::int AS n', { params: [7] });
    expect(rows).toEqual([{ statement: 'SELECT $1::int AS n', values: [7] }]);
    expect(await db.driverName()).toBe('acme-sql');
    expect(server.callsTo('run_sql')).toHaveLength(1);
    await expect(db.read('x')).rejects.toThrow(
      /postgresql resource \(driver acme-sql\) has no read\(\); it offers execute/,
    );
  });

  it('names the type, what it looked for and what the server offers when nothing fits', async () => {
    const { client } = await serve((s) => {
      s.addTool('weather', () => 'sunny');
      s.addTool('echo', ({ text }) => text);
    });
    const files = new MCPResource({ client, uri: 'mcp://db/shared', type: 'filesystem' });
    const error = await files.read('a.txt').catch((e: unknown) => e);
    expect(McpConfigError.isInstance(error)).toBe(true);
    expect((error as McpConfigError).field).toBe('type');
    expect((error as Error).message).toMatch(
      /No filesystem driver fits server "db": looked for read_text_file \+ list_directory \(server-filesystem\).*offers tools weather, echo/,
    );
  });

  it('refuses drivers without a name or operations, and operations that are not functions', () => {
    expect(() => defineResourceDriver({ name: '', type: 'rest' })).toThrow(McpConfigError);
    expect(() => defineResourceDriver({ name: 'x', type: 'rest' })).toThrow(
      /implements no operation/,
    );
    expect(() => defineResourceDriver({ name: 'x', type: 'rest', get: 'nope' as never })).toThrow(
      /Operation get of driver x is not a function/,
    );
  });

  it("picks the driver again when the server's tool list changes", async () => {
    const { server, client } = await serve((s) => s.addTool('v1_get', () => 'one'));
    const v1 = defineResourceDriver({
      name: 'v1',
      type: 'keyvalue',
      requires: ['v1_get'],
      get: async (context, key) => textOf(await context.call('v1_get', { key })),
    });
    const v2 = defineResourceDriver({
      name: 'v2',
      type: 'keyvalue',
      requires: ['v2_get'],
      get: async (context, key) => textOf(await context.call('v2_get', { key })),
    });
    const kv = new MCPResource({
      client,
      uri: 'mcp://db/cache',
      type: 'keyvalue',
      drivers: [v1, v2],
    });
    expect(await kv.get('k')).toBe('one');
    server.removeTool('v1_get');
    server.addTool('v2_get', () => 'two');
    await expect.poll(async () => kv.get('k').catch(() => 'switching')).toBe('two');
    expect(await kv.driverName()).toBe('v2');
    kv.close();
  });
});
