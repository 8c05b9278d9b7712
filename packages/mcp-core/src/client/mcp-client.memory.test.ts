// MCPClient over in-memory transports in both eras: no sockets, the same behaviour.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['legacy', 'modern'] as const)('MCPClient in memory, %s era', (era) => {
  it('lists, calls, reads, gets prompts and receives updates', async () => {
    const server = new MockMCPServer({ name: 'memory' });
    server.addTool('add', ({ a, b }) => ({ sum: Number(a) + Number(b) }));
    server.addResource('notes/today', 'buy milk', { mimeType: 'text/plain' });
    server.addPrompt('greet', ({ name }) => `Hello, ${String(name)}!`, {
      arguments: [{ name: 'name', required: true }],
    });
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({
        name: 'memory',
        transport: server.createMemoryTransport({ era }),
        protocol: era,
      }),
    );
    cleanups.push(() => client.close());
    await client.connect();
    expect(client.protocolEra).toBe(era);
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['add']);
    expect((await client.callTool('add', { a: 2, b: 3 })).structuredContent).toEqual({ sum: 5 });
    const [resource] = await client.listResources();
    expect((await client.readResource(resource!.uri)).contents[0]).toMatchObject({
      text: 'buy milk',
    });
    const prompt = await client.getPrompt('greet', { name: 'Ada' });
    expect(JSON.stringify(prompt.messages)).toContain('Hello, Ada!');
    const updates: string[] = [];
    await client.subscribe(
      { resources: [resource!.uri] },
      (event) => event.type === 'resource-updated' && updates.push(event.uri),
    );
    server.notifyResourceUpdated(resource!.uri);
    await expect.poll(() => updates).toEqual([resource!.uri]);
    await expect(client.ping()).resolves.toBeUndefined();
  });
});
