// The cached tool list follows the server's in both eras with no user subscription: a legacy
// server pushes tools/list_changed; a 2026-07-28 server needs a listen stream the client opens.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['legacy', 'modern'] as const)('MCPClient tool cache (%s era)', (era) => {
  it('sees a tool the server added, with no subscription of its own', async () => {
    const server = new MockMCPServer({ name: 'growing' });
    server.addTool('first', () => 'one');
    const url = await server.start({ era });
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({ name: 'growing', serverUrl: url, sseFallback: false }),
    );
    cleanups.push(() => client.close());
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['first']);
    expect(client.protocolEra).toBe(era);
    if (era === 'modern') {
      // The watch is in place once the server answered the listen request (its HTTP log
      // records an exchange when the answer starts).
      await expect
        .poll(() => server.httpRequests.map((request) => request.headers['mcp-method']), {
          timeout: 30_000,
        })
        .toContain('subscriptions/listen');
    }
    const changed = new Promise<number | undefined>((resolve) =>
      client.on('list:changed', (event) => event.list === 'tools' && resolve(event.count)),
    );

    server.addTool('second', () => 'two');

    expect(await changed).toBe(2);
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['first', 'second']);
  });
});
