// Cancelling a call reaches the server in both eras: legacy sends notifications/cancelled,
// the modern era closes the request's answer stream.
import { afterEach, describe, expect, it } from 'vitest';
import { McpCancelledError } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['legacy', 'modern'] as const)('cancelling a call, %s era', (era) => {
  it('rejects at once with McpCancelledError and the server sees the cancellation', async () => {
    const server = new MockMCPServer({ name: 'slow' });
    let started = 0;
    let cancelled = 0;
    server.addTool('wait', (_args, context) => {
      started++;
      return new Promise((resolve) => {
        context.signal.addEventListener('abort', () => {
          cancelled++;
          resolve('cancelled');
        });
        setTimeout(() => resolve('finished'), 10_000).unref();
      });
    });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const client = new MCPClient(testOptions({ name: 'slow', serverUrl: url, protocol: era }));
    cleanups.push(() => client.close());
    await client.connect();
    const controller = new AbortController();
    const call = client.callTool('wait', {}, { signal: controller.signal });
    await expect.poll(() => started).toBe(1);
    controller.abort(new Error('user pressed stop'));
    await expect(call).rejects.toSatisfy((error) => McpCancelledError.isInstance(error));
    await expect.poll(() => cancelled, { timeout: 5_000 }).toBe(1);
    // The client is still usable afterwards.
    await expect(client.ping()).resolves.toBeUndefined();
  });
});
