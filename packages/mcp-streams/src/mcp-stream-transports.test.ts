// End to end over real child processes: a MockMCPServer over stdio, and the reference
// server-everything (2025-11-25), whose toggles push resource updates and log messages.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MCPTestClient, mockServerCommand } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPStream } from './mcp-stream.js';

const require = createRequire(import.meta.url);
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('MCPStream over stdio', () => {
  it('streams custom notifications and resource updates from a child process', async () => {
    const fixture = fileURLToPath(new URL('./test-support/stream-server.ts', import.meta.url));
    const client = new MCPTestClient(mockServerCommand(fixture, { era: 'legacy' }), {
      name: 'stream',
    });
    stops.push(() => client.close());
    const events = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const status = new MCPStream({ client, uri: 'mcp://stream/status' });
    const ticks = await events.subscribe({ filters: { type: 'data_update' } });
    const updates = await status.subscribe();
    await client.callTool('emit', {
      events: [
        { type: 'noise', data: 0 },
        { type: 'data_update', data: { id: 1 } },
      ],
    });
    expect((await ticks.next()).value).toMatchObject({ type: 'data_update', data: { id: 1 } });
    await client.callTool('set-status', { state: 'busy' });
    expect((await updates.next()).value).toMatchObject({ data: { state: 'busy' } });
    // The child exits with the session: every iterator ends.
    await client.close();
    expect(await ticks.next()).toEqual({ done: true, value: undefined });
    expect(await updates.closed).toBe('session-closed');
  });
});

describe('MCPStream against server-everything (stdio, 2025-11-25)', () => {
  it('follows a resource it pushes updates for, and its log messages filtered by level', async () => {
    const bin = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
    const client = new MCPTestClient(
      { command: process.execPath, args: [bin, 'stdio'] },
      { name: 'everything', era: 'legacy' },
    );
    stops.push(() => client.close());
    const [resource] = await client.listResources();
    expect(resource).toBeDefined();
    const updates = new MCPStream({ client, uri: `mcp://everything/${resource!.name}` });
    const logs = new MCPStream({ client, uri: 'mcp://everything/logs', logLevel: 'debug' });
    const updated = await updates.subscribe();
    const messages = await logs.subscribe({ filters: { source: 'log' } });
    await client.callTool('toggle-subscriber-updates', {});
    const first = (await updated.next()).value!;
    expect(first).toMatchObject({ type: 'resource-updated', uri: resource!.uri });
    expect(first.data).toBeDefined();
    await client.callTool('toggle-simulated-logging', {});
    const message = (await messages.next()).value!;
    expect(message.type).toBe('log');
    expect(typeof message.level).toBe('string');
    await client.callTool('toggle-simulated-logging', {});
    await client.callTool('toggle-subscriber-updates', {});
  });
});
