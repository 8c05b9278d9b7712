import { describe, expect, it } from 'vitest';
import {
  defineMcpTool,
  EMPTY_TOOL_SOURCE,
  isMcpResponse,
  McpConfigError,
  toCallToolResult,
} from './index.js';

describe('defineMcpTool', () => {
  it('wraps plain values into MCP results', async () => {
    const tool = defineMcpTool({
      name: 'weather',
      description: 'Weather for a city',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      run: ({ city }) => ({ city, temp: 22 }),
    });
    const result = await tool.invoke({ city: 'Oslo' });
    expect(result.structuredContent).toEqual({ city: 'Oslo', temp: 22 });
    expect(result.content).toEqual([{ type: 'text', text: '{"city":"Oslo","temp":22}' }]);
    expect(result.isError).toBeUndefined();
  });

  it('turns a throw into an error result and passes context through', async () => {
    const controller = new AbortController();
    const tool = defineMcpTool({
      name: 'fails',
      description: 'Always fails',
      run: (_args, context) => {
        expect(context.signal).toBe(controller.signal);
        throw new Error('database is down');
      },
    });
    expect(tool.inputSchema).toEqual({ type: 'object', properties: {} });
    const result = await tool.invoke({}, { signal: controller.signal });
    expect(result).toEqual({
      content: [{ type: 'text', text: 'database is down' }],
      isError: true,
    });
  });

  it('maps strings, arrays, undefined and results', () => {
    expect(toCallToolResult('hi')).toEqual({ content: [{ type: 'text', text: 'hi' }] });
    expect(toCallToolResult([1, 2])).toEqual({
      content: [{ type: 'text', text: '[1,2]' }],
      structuredContent: [1, 2],
    });
    expect(toCallToolResult(undefined)).toEqual({ content: [] });
    const full = { content: [{ type: 'text' as const, text: 'x' }], isError: true };
    expect(toCallToolResult(full)).toBe(full);
  });
});

describe('EMPTY_TOOL_SOURCE and isMcpResponse', () => {
  it('has no servers and rejects every URI with a config error', async () => {
    expect(EMPTY_TOOL_SOURCE.serverNames).toEqual([]);
    expect(EMPTY_TOOL_SOURCE.getSession('db')).toBeUndefined();
    expect(await EMPTY_TOOL_SOURCE.listTools()).toEqual([]);
    await expect(EMPTY_TOOL_SOURCE.resolveTool('mcp://db/query')).rejects.toBeInstanceOf(
      McpConfigError,
    );
  });

  it('tells responses from requests', () => {
    const request = {
      method: 'tools/list',
      params: undefined,
      server: 'db',
      target: undefined,
      attempt: 1,
      context: new Map(),
    };
    expect(isMcpResponse(request)).toBe(false);
    expect(isMcpResponse({ request, result: {}, durationMs: 0, source: 'middleware' })).toBe(true);
  });
});
