// MockMCPServer served over stdio by the tframex-mock-mcp command, in a real child process.
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { McpConnectionError, McpTimeoutError } from '@tframex/mcp-api';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPTestClient, mockServerCommand } from '../index.js';
import { runMockServer } from './run-mock-server.js';
import { eventually } from '../test-support/eventually.js';

const fixture = fileURLToPath(new URL('./test-support/stdio-server.ts', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each([
  { mode: 'legacy' as const, era: 'legacy' },
  { mode: 'auto' as const, era: 'modern' },
  { mode: { pin: '2026-07-28' }, era: 'modern' },
])('the official SDK client over stdio ($era, $mode)', { timeout: 60_000 }, ({ mode, era }) => {
  let client: Client | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('lists, calls, reads, gets prompts and hears notifications', async () => {
    client = new Client({ name: 'stdio-test', version: '1.0.0' }, { versionNegotiation: { mode } });
    const transport = new StdioClientTransport({ ...mockServerCommand(fixture), stderr: 'pipe' });
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe(era);
    expect(client.getServerVersion()).toMatchObject({ name: 'stdio-mock', version: '3.0.0' });

    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('echo');
    expect(
      (await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).structuredContent,
    ).toEqual({ text: 'hi' });
    expect((await client.readResource({ uri: 'mock:///notes' })).contents).toEqual([
      { uri: 'mock:///notes', mimeType: 'text/plain', text: 'remember' },
    ]);
    const prompt = await client.getPrompt({ name: 'hello', arguments: { who: 'stdio' } });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Hello stdio' });

    const events: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      events.push('tools');
    });
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      events.push(notification.params.uri);
    });
    if (era === 'modern')
      await client.listen({ toolsListChanged: true, resourceSubscriptions: ['mock:///notes'] });
    else await client.subscribeResource({ uri: 'mock:///notes' });
    await client.callTool({ name: 'grow', arguments: { name: 'sprout' } });
    await client.callTool({ name: 'touch', arguments: { uri: 'mock:///notes' } });
    await eventually(() =>
      expect(events).toEqual(expect.arrayContaining(['tools', 'mock:///notes'])),
    );
    expect((await client.callTool({ name: 'sprout', arguments: {} })).content).toEqual([
      { type: 'text', text: 'grown' },
    ]);

    const pid = (await client.callTool({ name: 'pid', arguments: {} })).structuredContent as number;
    await client.close();
    client = undefined;
    await eventually(() => expect(isAlive(pid)).toBe(false));
  });
});

describe('MCPTestClient over stdio', { timeout: 60_000 }, () => {
  it('takes the command as its target', async () => {
    const client = new MCPTestClient(mockServerCommand(fixture, { era: 'legacy' }), {
      era: 'auto',
    });
    try {
      expect(await client.executeTool('echo', { text: 'piped' })).toEqual({ text: 'piped' });
      expect(client.protocolEra).toBe('legacy'); // the server refused the modern probe
    } finally {
      await client.close();
    }
  });

  it('sees a dropped connection as the process going away', async () => {
    const client = new MCPTestClient(mockServerCommand(fixture), { era: 'legacy' });
    try {
      await client.executeTool('inject', { type: 'drop', tool: 'echo' });
      const error = await client.callTool('echo', { text: 'x' }).catch((caught: unknown) => caught);
      expect(McpConnectionError.isInstance(error)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('drops a malformed line and times out waiting for an answer', async () => {
    const client = new MCPTestClient(mockServerCommand(fixture), { era: 'legacy' });
    try {
      await client.executeTool('inject', { type: 'malformed', tool: 'echo' });
      const error = await client
        .callTool('echo', { text: 'x' }, { timeoutMs: 500 })
        .catch((caught: unknown) => caught);
      expect(McpTimeoutError.isInstance(error)).toBe(true);
      expect(await client.executeTool('echo', { text: 'after' })).toEqual({ text: 'after' });
    } finally {
      await client.close();
    }
  });

  // Pushing 11 MB through a pipe takes seconds on a busy machine: the call waits for the
  // connection to end (no request budget that a slow machine could outrun).
  it(
    'loses the connection on a line past the client buffer (10 MB)',
    { timeout: 180_000 },
    async () => {
      const client = new MCPTestClient(mockServerCommand(fixture), { era: 'legacy' });
      try {
        await client.executeTool('inject', {
          type: 'oversized',
          tool: 'echo',
          bytes: 11 * 1024 * 1024,
        });
        const error = await client
          .callTool('echo', { text: 'x' }, { timeoutMs: 170_000 })
          .catch((caught: unknown) => caught);
        // The SDK's stdio transport closes when one line outgrows its 10 MB read buffer.
        expect(McpConnectionError.isInstance(error)).toBe(true);
      } finally {
        await client.close();
      }
    },
  );
});

describe('the tframex-mock-mcp command', () => {
  function capture() {
    let text = '';
    const stderr = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    return { stderr, text: () => text };
  }

  it('explains its usage', async () => {
    const io = capture();
    expect(await runMockServer([], { stderr: io.stderr, cwd: process.cwd() })).toBe(2);
    expect(io.text()).toContain('usage: tframex-mock-mcp <module>');
    expect(
      await runMockServer(['x.mjs', '--era', 'future'], { stderr: io.stderr, cwd: process.cwd() }),
    ).toBe(2);
    expect(io.text()).toContain('--era must be legacy, modern or both');
  });

  it('refuses a module that does not export a server', async () => {
    const io = capture();
    const module = fileURLToPath(new URL('./test-support/not-a-server.ts', import.meta.url));
    expect(await runMockServer([module], { stderr: io.stderr, cwd: process.cwd() })).toBe(1);
    expect(io.text()).toContain('does not default-export a MockMCPServer');
  });
});
