import { McpToolError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { createAiSdkTools } from './ai-sdk.js';
import { createLangChainTools } from './langchain.js';

let fixture: McpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function servers() {
  fixture = await startMcpFixture({
    db: (server) => {
      server.addTool('query', ({ sql }) => ({ rows: [{ revenue: 120 }], sql }), {
        description: 'Runs SQL',
        inputSchema: z.object({ sql: z.string() }),
      });
      server.addTool('drop', () => 'dropped', { annotations: { destructiveHint: true } });
      server.addTool('broken', () => {
        throw new Error('disk full');
      });
    },
    api: (server) => server.addTool('ping', () => 'pong'),
  });
  return fixture;
}

const options = { toolCallId: 'c1', messages: [] };

describe('Vercel AI SDK tools from an McpToolSource', () => {
  it('makes every tool a dynamic AI SDK tool that calls the MCP server', async () => {
    const { source, servers: mock } = await servers();
    const tools = await createAiSdkTools(source);
    expect(Object.keys(tools).sort()).toEqual(['api__ping', 'db__broken', 'db__drop', 'db__query']);
    const query = tools['db__query']!;
    expect(query.type).toBe('dynamic');
    expect(query.description).toBe('Runs SQL');
    expect(await query.execute!({ sql: 'SELECT 1' }, options)).toEqual({
      rows: [{ revenue: 120 }],
      sql: 'SELECT 1',
    });
    expect(mock['db']!.callsTo('query')).toHaveLength(1);
    expect(await tools['api__ping']!.execute!({}, options)).toBe('pong');
    expect(tools['db__drop']!.needsApproval).toBe(true);
    expect(tools['db__query']!.needsApproval).toBeUndefined();
    await expect(tools['db__broken']!.execute!({}, options)).rejects.toSatisfy(
      (error) => McpToolError.isInstance(error) && /disk full/.test((error as Error).message),
    );
  });

  it('takes a selection by URI or server', async () => {
    const { source } = await servers();
    expect(
      Object.keys(await createAiSdkTools(source, { uris: ['mcp://db/query', 'mcp://api/*'] })),
    ).toEqual(['db__query', 'api__ping']);
    expect(Object.keys(await createAiSdkTools(source, { servers: ['api'] }))).toEqual([
      'api__ping',
    ]);
  });
});

describe('LangChain structured tools from an McpToolSource', () => {
  it('makes every tool a DynamicStructuredTool with its JSON Schema, calling the MCP server', async () => {
    const { source, servers: mock } = await servers();
    const tools = await createLangChainTools(source, { servers: ['db'] });
    expect(tools.map((tool) => tool.name)).toEqual(['db__query', 'db__drop', 'db__broken']);
    const query = tools[0]!;
    expect(query.schema).toMatchObject({ type: 'object', properties: { sql: { type: 'string' } } });
    expect(JSON.parse(await query.invoke({ sql: 'SELECT 1' }))).toEqual({
      rows: [{ revenue: 120 }],
      sql: 'SELECT 1',
    });
    expect(mock['db']!.callsTo('query')).toHaveLength(1);
    // LangChain checks the input against the schema before the server is asked.
    await expect(query.invoke({ sql: 42 } as never)).rejects.toThrow();
    expect(mock['db']!.callsTo('query')).toHaveLength(1);
    await expect(tools[2]!.invoke({})).rejects.toThrow(/disk full/);
  });
});
