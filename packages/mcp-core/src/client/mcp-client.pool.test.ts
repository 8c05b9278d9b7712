// A pool of sessions to one server behaves as one client: each server notification reaches
// the user once, and connection events say which pooled connection they are about.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import type { McpNotification } from '@tframex/mcp-api';
import type { McpClientEvents } from '@tframex/mcp-telemetry-api';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pooled(): Promise<{ server: MockMCPServer; client: MCPClient; url: string }> {
  const server = new MockMCPServer({ name: 'pooled' });
  server.addTool('first', () => 'one');
  const url = await server.start({ era: 'legacy' });
  cleanups.push(() => server.stop());
  const client = new MCPClient(
    testOptions({ name: 'pooled', serverUrl: url, sseFallback: false, connectionPoolSize: 3 }),
  );
  cleanups.push(() => client.close());
  return { server, client, url };
}

describe('MCPClient with connectionPoolSize: 3', () => {
  it('delivers each server notification once', async () => {
    const { server, client } = await pooled();
    const heard: McpNotification[] = [];
    client.onNotification('*', (notification) => heard.push(notification));
    const events: string[] = [];
    client.on('notification', (event) => events.push(event.method));
    await client.connect();
    await client.listTools();
    // One standalone stream for the pool: the server has one place to send broadcasts to.
    await expect
      .poll(() => server.httpRequests.filter((request) => request.method === 'GET').length, {
        timeout: 30_000,
      })
      .toBe(1);
    const changed = new Promise<number | undefined>((resolve) =>
      client.on('list:changed', (event) => event.list === 'tools' && resolve(event.count)),
    );
    const logged = new Promise<void>((resolve) =>
      client.onNotification('notifications/message', () => resolve()),
    );

    server.addTool('second', () => 'two');
    server.log('info', 'one line');

    expect(await changed).toBe(2);
    await logged;
    expect(heard.map((notification) => notification.method).sort()).toEqual([
      'notifications/message',
      'notifications/tools/list_changed',
    ]);
    expect(events.sort()).toEqual(['notifications/message', 'notifications/tools/list_changed']);
    expect(server.httpRequests.filter((request) => request.method === 'GET')).toHaveLength(1);
  });

  it('names the pooled connection and its endpoint in connection events', async () => {
    const { client, url } = await pooled();
    const states: McpClientEvents['connection:state'][] = [];
    client.on('connection:state', (event) => states.push(event));
    await client.connect();
    await client.close();

    const port = Number(new URL(url).port);
    for (const index of [0, 1, 2]) {
      const mine = states.filter((event) => event.connection === index);
      expect(mine.map((event) => [event.previous, event.state])).toEqual([
        ['disconnected', 'connecting'],
        ['connecting', 'connected'],
        ['connected', 'closed'],
      ]);
      const connected = mine[1]!;
      expect(connected).toMatchObject({
        server: 'pooled',
        transport: 'streamable-http',
        protocolVersion: '2025-11-25',
        serverAddress: '127.0.0.1',
        serverPort: port,
      });
      expect(connected.sessionId).toEqual(expect.any(String));
      expect(mine[2]!.sessionDurationMs).toBeGreaterThanOrEqual(0);
    }
    const sessions = new Set(
      states.filter((event) => event.state === 'connected').map((event) => event.sessionId),
    );
    expect(sessions.size).toBe(3);
  });
});
