import { describe, expect, it, test as base } from 'vitest';
import { MCPTestClient, type MockMCPServer } from '../index.js';
import { installMcpMatchers, mockServerFixture, useMockMCPServer } from './index.js';

installMcpMatchers();

describe('useMockMCPServer', () => {
  const mcp = useMockMCPServer({
    setup: (server) => {
      server.addTool('search', ({ q }) => [`result for ${String(q)}`]);
    },
  });

  it('starts a server per test and the matchers read its recording', async () => {
    const client = new MCPTestClient(mcp.url);
    await client.executeTool('search', { q: 'mcp' });
    await client.close();
    expect(mcp.server).toHaveCalledTool('search');
    expect(mcp.server).toHaveCalledTool('search', { q: 'mcp' });
    expect(mcp.server).not.toHaveCalledTool('search', { q: 'other' });
    expect(mcp.server).toHaveCalledToolTimes('search', 1);
    expect(mcp.server).toHaveReceivedRequest(
      'tools/call',
      expect.objectContaining({ name: 'search' }),
    );
    expect(mcp.server).not.toHaveReceivedRequest('prompts/get');
  });

  it('gives the next test a fresh server', () => {
    expect(mcp.server.requests).toEqual([]);
    expect(mcp.server).toHaveCalledToolTimes('search', 0);
  });

  it('explains a failed expectation', () => {
    expect(() => expect(mcp.server).toHaveCalledTool('search')).toThrow(
      /expected a call of tool search/,
    );
    expect(() => expect({}).toHaveCalledTool('search')).toThrow(/expected a MockMCPServer/);
  });
});

describe('useMockMCPServer per file', () => {
  const mcp = useMockMCPServer({
    scope: 'file',
    start: false,
    setup: (server) => server.addTool('t', () => 1),
  });
  let first: MockMCPServer | undefined;

  it('shares one server across the tests of the file', async () => {
    first = mcp.server;
    const client = new MCPTestClient(mcp.server);
    expect(await client.executeTool('t')).toBe(1);
    await client.close();
  });

  it('still has it', () => {
    expect(mcp.server).toBe(first);
    expect(mcp.server).toHaveCalledToolTimes('t', 1);
  });
});

const test = base.extend<{ mcp: MockMCPServer }>({
  mcp: mockServerFixture({ setup: (server) => void server.addTool('ping-tool', () => 'pong') }),
});

describe('mockServerFixture', () => {
  test('injects a started server into the test context', async ({ mcp }) => {
    expect(mcp.running).toBe(true);
    const client = new MCPTestClient(mcp.url);
    expect(await client.executeTool('ping-tool')).toBe('pong');
    await client.close();
  });
});
