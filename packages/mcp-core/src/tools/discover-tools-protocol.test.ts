// discoverTools({ protocol, version }): the TFrameX discovery call, over real servers in
// both eras (the protocol is the one the server negotiated) and unit cases for versions.
import { afterEach, describe, expect, it } from 'vitest';
import { McpConfigError, type Tool } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from '../client/mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import { compileToolFilter } from './tool-filter.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tool = (name: string, meta?: Record<string, unknown>): Tool => ({
  name,
  inputSchema: { type: 'object' },
  ...(meta ? { _meta: meta } : {}),
});

describe('tool filter: protocol and version', () => {
  const tools = [
    tool('a', { version: '1.4.2' }),
    tool('b', { fastmcp: { version: '2.0.0' } }),
    tool('c', { 'com.example/version': '1.10' }),
    tool('d'),
  ];
  const names = (filter: Parameters<typeof compileToolFilter>[0], context = {}) => {
    const matches = compileToolFilter(filter);
    return tools.filter((candidate) => matches(candidate, context)).map((t) => t.name);
  };

  it('matches versions exactly, by dotted prefix or by glob; undeclared never matches', () => {
    expect(names({ version: '1' })).toEqual(['a', 'c']);
    expect(names({ version: '1.4' })).toEqual(['a']);
    expect(names({ version: '1.1' })).toEqual([]);
    expect(names({ version: '2.*' })).toEqual(['b']);
    expect(names({ version: '1.10' })).toEqual(['c']);
  });

  it("matches 'mcp', an era or the negotiated MCP version", () => {
    const legacy = { protocolEra: 'legacy', protocolVersion: '2025-11-25' };
    expect(names({ protocol: 'mcp' })).toHaveLength(4);
    expect(names({ protocol: 'MCP' }, legacy)).toHaveLength(4);
    expect(names({ protocol: 'legacy' }, legacy)).toHaveLength(4);
    expect(names({ protocol: '2025-11-25' }, legacy)).toHaveLength(4);
    expect(names({ protocol: 'modern' }, legacy)).toEqual([]);
    expect(names({ protocol: '2026-07-28' })).toEqual([]);
    expect(() => compileToolFilter({ version: 1 as never })).toThrow(McpConfigError);
  });
});

describe.each([
  ['legacy', '2025-11-25'],
  ['modern', '2026-07-28'],
] as const)('MCPClient.discoverTools({ protocol, version }) (%s era)', (era, version) => {
  it('filters by what the server negotiated and the versions tools declare', async () => {
    const server = new MockMCPServer({ name: 'catalog' });
    server.addTool('query_v1', () => 'v1', { meta: { version: '1.2.0' } });
    server.addTool('query_v2', () => 'v2', { meta: { version: '2.0.1' } });
    server.addTool('plain', () => 'plain');
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({ serverUrl: await server.start({ era }), protocol: era }),
    );
    cleanups.push(() => client.close());
    await client.connect();
    const named = async (filter: Parameters<MCPClient['discoverTools']>[0]) =>
      (await client.discoverTools(filter)).map((t) => t.name).sort();
    expect(await named({ protocol: 'mcp', version: '1' })).toEqual(['query_v1']);
    expect(await named({ protocol: era })).toEqual(['plain', 'query_v1', 'query_v2']);
    expect(await named({ protocol: version, version: '2.*' })).toEqual(['query_v2']);
    expect(await named({ protocol: era === 'legacy' ? 'modern' : 'legacy' })).toEqual([]);
  });
});
