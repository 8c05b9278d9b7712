// The optional McpSession members on MCPClient (lifecycle, generic requests and
// notifications, pages, server-request handlers) and its telemetry snapshot, against
// MockMCPServer. MCPTestClient (mcp-testing) implements the same seams.
import { acceptedContent, inputRequired } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  paginate,
  type McpServerRequestContext,
  type McpSessionStateChange,
} from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import type { McpRequestStartEvent } from '@tframex/mcp-telemetry-api';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';
import type { MCPClientOptions } from './mcp-client-options.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  era: 'legacy' | 'modern' = 'legacy',
  overrides: Partial<MCPClientOptions> = {},
): Promise<{ server: MockMCPServer; client: MCPClient }> {
  const server = new MockMCPServer({ name: 'seams' });
  server.addTool('lookup', ({ key }) => ({ key }), { annotations: { readOnlyHint: true } });
  server.addTool('broken', () => {
    throw new Error('kaput');
  });
  server.addTool('summarise', async ({ text }, context) => {
    const sample = await context.sample({
      messages: [{ role: 'user', content: { type: 'text', text: String(text) } }],
      maxTokens: 10,
    });
    return sample.content && 'text' in sample.content ? sample.content.text : 'no text';
  });
  for (let i = 1; i <= 5; i++) server.addResource(`docs/page-${i}`, `page ${i}`);
  const url = await server.start({ era });
  cleanups.push(() => server.stop());
  const client = new MCPClient(
    testOptions({ name: 'seams', serverUrl: url, sseFallback: false, ...overrides }),
  );
  cleanups.push(() => client.close());
  return { server, client };
}

const text = (result: { content: unknown }) =>
  (result.content as { type: string; text: string }[])[0]!.text;

const reply = (text: string) => async () => ({
  role: 'assistant',
  model: 'scripted',
  content: { type: 'text', text },
});

describe('MCPClient as an McpSession with the optional members', () => {
  it('reports its state, each change, and settles closed', async () => {
    const { client } = await setup('legacy', { connectionPoolSize: 2 });
    const changes: McpSessionStateChange[] = [];
    client.onStateChange((change) => changes.push(change));
    expect(client.state).toBe('idle');
    await client.connect();
    expect(client.state).toBe('connected');
    await client.close();
    await client.closed;
    expect(client.state).toBe('closed');
    expect(changes.map((change) => [change.previous, change.state])).toEqual([
      ['idle', 'connecting'],
      ['connecting', 'connected'],
      ['connected', 'closed'],
    ]);
  });

  it('sends any request and notification, through the request path', async () => {
    const { server, client } = await setup();
    const starts: McpRequestStartEvent[] = [];
    client.on('request:start', (event) => starts.push(event));
    const result = await client.request('tools/call', { name: 'lookup', arguments: { key: 'k' } });
    expect(result.structuredContent).toEqual({ key: 'k' });
    expect(starts.map((start) => [start.method, start.tool])).toEqual([['tools/call', 'lookup']]);
    await client.notify('notifications/tframex/hello', { from: 'client' });
    expect((await server.waitForNotification('notifications/tframex/hello')).params).toEqual({
      from: 'client',
    });
  });

  it.each(['legacy', 'modern'] as const)('walks a list page by page (%s era)', async (era) => {
    const { server, client } = await setup(era);
    server.setPageSize(2);
    const first = await client.listPage('resources');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const uris: string[] = [];
    for await (const resource of paginate(client, 'resources')) uris.push(resource.uri);
    expect(uris).toHaveLength(5);
    expect(new Set(uris).size).toBe(5);
    expect(server.requestsFor('resources/list')).toHaveLength(1 + 3);
  });

  it('answers sampling pushed by a 2025-era server with an installed handler', async () => {
    const { client } = await setup('legacy');
    const contexts: McpServerRequestContext[] = [];
    const remove = client.setServerRequestHandler(
      'sampling/createMessage',
      async (_params, context) => {
        contexts.push(context);
        return reply('from the session')();
      },
    );
    expect(text(await client.callTool('summarise', { text: 'a' }))).toBe('from the session');
    expect(contexts[0]).toMatchObject({ server: 'seams', method: 'sampling/createMessage' });
    remove();
    expect((await client.callTool('summarise', { text: 'c' })).isError).toBe(true);
  });

  it('answers an input_required round with the request’s own handlers first (2026 era)', async () => {
    const { server, client } = await setup('modern');
    const confirmation = z.object({ confirm: z.boolean() });
    server.addTool(
      'deploy',
      (_args, context) => {
        const confirmed = acceptedContent(
          context.sdk.mcpReq.inputResponses,
          'confirm',
          confirmation,
        );
        if (confirmed === undefined) {
          return inputRequired({
            inputRequests: {
              confirm: inputRequired.elicit({ message: 'Deploy?', requestedSchema: confirmation }),
            },
          });
        }
        return confirmed.confirm ? 'deployed' : 'kept';
      },
      { inputSchema: z.object({}) },
    );
    const asked: (McpServerRequestContext['relatedRequest'] | string)[] = [];
    client.setServerRequestHandler('elicitation/create', async () => {
      asked.push('session');
      return { action: 'accept', content: { confirm: false } };
    });
    expect(text(await client.callTool('deploy', {}))).toBe('kept');
    expect(
      text(
        await client.callTool(
          'deploy',
          {},
          {
            serverRequestHandlers: {
              'elicitation/create': async (_params, context) => {
                asked.push(context.relatedRequest);
                return { action: 'accept', content: { confirm: true } };
              },
            },
          },
        ),
      ),
    ).toBe('deployed');
    expect(asked).toEqual(['session', { method: 'tools/call', target: 'deploy' }]);
  });

  it('gives a snapshot of connections, requests, circuit and last outcomes', async () => {
    const { client } = await setup('legacy', {
      connectionPoolSize: 2,
      circuitBreaker: { failureThreshold: 5, recoveryTimeoutMs: 1_000 },
    });
    await client.connect();
    await client.callTool('lookup', { key: 'k' });
    const healthy = client.snapshot().servers[0]!;
    expect(healthy).toMatchObject({
      server: 'seams',
      state: 'connected',
      inFlight: 0,
      queued: 0,
      circuit: 'closed',
      transport: 'streamable-http',
      serverAddress: '127.0.0.1',
    });
    expect(
      healthy.connections.map((connection) => [connection.connection, connection.state]),
    ).toEqual([
      [0, 'connected'],
      [1, 'connected'],
    ]);
    expect(healthy.connections[0]!.connectedAt).toEqual(expect.any(Number));
    expect(healthy.lastSuccessAt).toEqual(expect.any(Number));
    expect(healthy.lastError).toBeUndefined();
    await client.callTool('broken', {});
    expect(client.snapshot().servers[0]!.lastError).toMatchObject({ kind: 'tool' });
  });

  it('says how long a request waited for a place among those in flight', async () => {
    const { client } = await setup('legacy', { maxConnections: 1 });
    await client.connect();
    const starts: McpRequestStartEvent[] = [];
    client.on('request:start', (event) => starts.push(event));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    client.use({
      name: 'hold-first',
      beforeRequest: async (request) => {
        if (
          request.params?.arguments &&
          (request.params.arguments as { key: string }).key === 'first'
        )
          await held;
      },
    });
    const first = client.callTool('lookup', { key: 'first' });
    const second = client.callTool('lookup', { key: 'second' });
    await expect.poll(() => client.snapshot().servers[0]!.queued).toBe(1);
    release();
    await Promise.all([first, second]);
    const waited = starts.find((start) => start.callId !== starts[0]!.callId)!;
    expect(waited.queuedMs).toBeGreaterThan(0);
    expect(starts[0]!.queuedMs).toBe(0);
  });
});
