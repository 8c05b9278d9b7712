// User callbacks that throw: each is isolated (the client and the other callbacks go on) and
// its error is reported as `listener:error`, or as a process warning when nobody listens.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import type { McpListenerErrorEvent } from '@tframex/mcp-telemetry-api';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connected(): Promise<{ server: MockMCPServer; client: MCPClient }> {
  const server = new MockMCPServer({ name: 'noisy' });
  server.addTool('first', () => 'one');
  const url = await server.start({ era: 'legacy' });
  cleanups.push(() => server.stop());
  const client = new MCPClient(testOptions({ name: 'noisy', serverUrl: url, sseFallback: false }));
  cleanups.push(() => client.close());
  await client.connect();
  return { server, client };
}

describe('MCPClient with callbacks that throw', () => {
  it('keeps refreshing tools and calling the other handlers when a subscriber and a handler throw', async () => {
    const { server, client } = await connected();
    const reported: McpListenerErrorEvent[] = [];
    client.on('listener:error', (event) => reported.push(event));
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['first']);
    await client.subscribe({ toolsListChanged: true }, () => {
      throw new Error('subscriber broke');
    });
    client.onNotification('notifications/tools/list_changed', () => {
      throw new Error('handler broke');
    });
    const heard: string[] = [];
    client.onNotification('*', (notification) => heard.push(notification.method));
    const changed = new Promise<number | undefined>((resolve) =>
      client.on('list:changed', (event) => event.list === 'tools' && resolve(event.count)),
    );

    server.addTool('second', () => 'two');

    expect(await changed).toBe(2);
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['first', 'second']);
    expect(heard).toContain('notifications/tools/list_changed');
    expect(
      reported.map((event) => [
        event.server,
        event.source,
        event.event,
        (event.error as Error).message,
      ]),
    ).toEqual([
      ['noisy', 'subscription-listener', 'notifications/tools/list_changed', 'subscriber broke'],
      ['noisy', 'notification-handler', 'notifications/tools/list_changed', 'handler broke'],
    ]);
  });

  it('isolates an event listener that throws and warns when nobody listens for listener:error', async () => {
    const { client } = await connected();
    const ends: string[] = [];
    client.on('request:end', () => {
      throw new Error('listener broke');
    });
    client.on('request:end', (event) => ends.push(event.method));
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));

    await client.ping();

    expect(ends).toEqual(['ping']);
    const warning = await warned;
    expect(warning.name).toBe('MCPClientListenerError');
    expect(warning.message).toContain('listener broke');
  });

  it('warns when a listener:error listener throws itself', async () => {
    const { client } = await connected();
    client.on('listener:error', () => {
      throw new Error('reporter broke');
    });
    client.on('request:start', () => {
      throw new Error('listener broke');
    });
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    await client.ping();
    expect((await warned).message).toContain('reporter broke');
  });
});
