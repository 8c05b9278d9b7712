// After close() nothing of the client is left: no socket (keep-alive, GET stream), no timer.
// The server keeps running, so every socket that goes away was let go by the client.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from './mcp-client.js';
import { testOptions } from '../test-support/test-options.js';

const sockets = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;

async function settlesTo(expected: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (sockets() !== expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return sockets();
}

const servers: MockMCPServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

describe.each(['legacy', 'modern'] as const)('MCPClient.close over HTTP, %s era', (protocol) => {
  it('lets go of every socket at once, while the server keeps running', async () => {
    const server = new MockMCPServer();
    servers.push(server);
    server.addTool('echo', ({ text }) => String(text));
    server.addResource('config/app', { mode: 'on' });
    const url = await server.start();
    const before = sockets();

    // Two clients sharing the HTTP agents; pooled sessions, subscriptions, keepalive pings.
    const make = () =>
      new MCPClient(
        testOptions({
          name: 'mock',
          serverUrl: url,
          protocol,
          maxConnections: 3,
          keepaliveIntervalMs: 1_000,
        }),
      );
    const first = make();
    const second = make();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? first : second).callTool('echo', { text: i })),
    );
    const [resource] = await first.listResources();
    // Left open on purpose: close() must end it (in the legacy era, with its GET stream).
    const subscription = await first.subscribe({ resources: [resource!.uri] }, () => undefined);
    expect(sockets()).toBeGreaterThan(before);

    await first.close();
    await subscription.closed;
    // The other client still works on the shared agent.
    expect((await second.callTool('echo', { text: 'still' })).isError).toBeFalsy();
    await second.close();

    // Within a fraction of the 4 s keep-alive timeout: idle sockets were closed, not left to expire.
    expect(await settlesTo(before, 1_500)).toBe(before);
  });
});
