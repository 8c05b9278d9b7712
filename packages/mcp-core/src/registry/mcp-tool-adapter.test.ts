// MCPToolAdapter over a real server: names, schemas and invocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolError, parseMcpUri } from '@tframex/mcp-api';
import { MCPClient } from '../client/mcp-client.js';
import { EVERYTHING_BIN } from '../test-support/everything.js';
import { testOptions } from '../test-support/test-options.js';
import { FLAT_TOOL_NAME_PATTERN, ToolNamer } from '@tframex/mcp-api';
import { MCPToolAdapter } from './mcp-tool-adapter.js';

describe('MCPToolAdapter with server-everything', () => {
  let client: MCPClient;
  beforeAll(async () => {
    client = new MCPClient(
      testOptions({
        name: 'everything',
        command: process.execPath,
        args: [EVERYTHING_BIN, 'stdio'],
      }),
    );
    await client.connect();
  }, 60_000);
  afterAll(() => client.close());

  it('makes every tool an McpTool with a flat LLM-safe name and an mcp:// URI', async () => {
    const adapter = new MCPToolAdapter(client);
    const tools = await adapter.createTools();
    expect(tools.length).toBeGreaterThan(5);
    for (const tool of tools) {
      expect(tool.name).toMatch(FLAT_TOOL_NAME_PATTERN);
      expect(tool.name.startsWith('everything__')).toBe(true);
      expect(parseMcpUri(tool.uri!)).toEqual({
        server: 'everything',
        name: tool.originalName,
        wildcard: false,
      });
      expect(tool.inputSchema.type).toBe('object');
    }
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
  });

  it('invokes through the session and can turn tool failures into errors', async () => {
    const [tool] = await client.discoverTools({ name: 'get-sum' });
    const sum = new MCPToolAdapter(client).createTool(tool!);
    const result = await sum.invoke({ a: 1, b: 2 });
    expect(JSON.stringify(result.content)).toContain('3');
    const strict = new MCPToolAdapter(client, { throwOnToolError: true }).createTool({
      name: 'no-such-tool',
      inputSchema: { type: 'object' },
    });
    await expect(strict.invoke({})).rejects.toSatisfy(
      (error) => McpToolError.isInstance(error) || (error as Error).name === 'McpProtocolError',
    );
  });

  it('keeps names collision-free across servers through a shared namer', () => {
    const namer = new ToolNamer();
    const long = 'x'.repeat(80);
    const a = new MCPToolAdapter({ ...client, name: 'alpha' } as MCPClient, { namer }).createTool({
      name: long,
      inputSchema: { type: 'object' },
    });
    const b = new MCPToolAdapter({ ...client, name: 'alpha' } as MCPClient, { namer }).createTool({
      name: `${long}y`,
      inputSchema: { type: 'object' },
    });
    expect(a.name.length).toBeLessThanOrEqual(64);
    expect(b.name.length).toBeLessThanOrEqual(64);
    expect(a.name).not.toBe(b.name);
    expect(namer.resolve(a.name)).toEqual({ server: 'alpha', tool: long });
  });

  it('inlines $refs for LLMs', () => {
    const tool = new MCPToolAdapter(client).createTool({
      name: 'with-refs',
      inputSchema: {
        type: 'object',
        properties: { point: { $ref: '#/$defs/Point' } },
        $defs: { Point: { type: 'object', properties: { x: { type: 'number' } } } },
      },
    });
    expect(tool.inputSchema).toEqual({
      type: 'object',
      properties: { point: { type: 'object', properties: { x: { type: 'number' } } } },
    });
  });

  it('finds tool info by mcp:// URI and refuses another server', async () => {
    expect((await client.getToolInfo('mcp://everything/echo'))?.name).toBe('echo');
    expect(await client.getToolInfo('mcp://everything/nope')).toBeUndefined();
    await expect(client.getToolInfo('mcp://other/echo')).rejects.toThrow(
      /this client is "everything"/,
    );
  });
});
