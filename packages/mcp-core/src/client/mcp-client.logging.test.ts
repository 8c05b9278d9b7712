// Server log messages and the client's log level, in both eras (the modern era announces
// the level in each request's _meta, as it has no logging/setLevel).
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['legacy', 'modern'] as const)('MCPClient log level, %s era', (era) => {
  it('receives server log messages at or above the level it set', async () => {
    const server = new MockMCPServer({ name: 'chatty' });
    server.addTool('work', async (_args, context) => {
      await context.log('debug', 'details nobody asked for');
      await context.log('error', 'disk almost full');
      return 'done';
    });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const client = new MCPClient(testOptions({ name: 'chatty', serverUrl: url, protocol: era }));
    cleanups.push(() => client.close());
    const messages: unknown[] = [];
    client.onNotification('notifications/message', (notification) =>
      messages.push(notification.params?.data),
    );
    await client.setLoggingLevel('error');
    await client.callTool('work', {});
    await expect.poll(() => messages).toEqual(['disk almost full']);
    // The level also holds on a session opened later (legacy: a new session after a loss).
    if (era === 'legacy') server.killSession();
    await client.callTool('work', {});
    await expect.poll(() => messages).toEqual(['disk almost full', 'disk almost full']);
  });
});
