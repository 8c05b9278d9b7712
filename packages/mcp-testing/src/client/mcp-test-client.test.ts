import {
  McpCancelledError,
  McpConfigError,
  McpConnectionError,
  McpProtocolError,
  McpTimeoutError,
  McpToolError,
  type McpNotification,
  type McpSubscriptionEvent,
} from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPTestClient, MockMCPServer } from '../index.js';
import { eventually } from '../test-support/eventually.js';

function buildServer(): MockMCPServer {
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('rows', () => [{ id: 1 }, { id: 2 }]);
  server.addTool('count', () => 7);
  server.addTool('text', () => 'plain words');
  server.addTool('json-text', () => ({ content: [{ type: 'text', text: '{"a":1}' }] }));
  server.addTool('wrapped-object', () => ({ result: 5 }));
  server.addTool('broken', () => {
    throw new Error('out of stock');
  });
  server.addTool(
    'slow',
    (_args, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'))),
  );
  server.addTool('log', async (_args, ctx) => {
    await ctx.log('warning', { code: 7 });
    await ctx.log('debug', 'too chatty');
    return 'logged';
  });
  server.addResource('catalog', { items: ['apple', 'pear'] });
  server.addResource('file:///readme.txt', 'line one\nline two\n', { name: 'readme' });
  server.addResource('bytes', new Uint8Array([1, 2, 3]));
  server.addPrompt('ask', ({ topic }) => `Tell me about ${topic}`, {
    arguments: [
      {
        name: 'topic',
        required: true,
        complete: (value) => ['apples', 'apricots', 'pears'].filter((v) => v.startsWith(value)),
      },
    ],
  });
  return server;
}

const targets = [
  { label: 'HTTP, legacy', http: true, era: 'legacy' as const },
  { label: 'HTTP, modern', http: true, era: 'modern' as const },
  { label: 'memory, legacy', http: false, era: 'legacy' as const },
  { label: 'memory, auto', http: false, era: 'auto' as const },
];

describe.each(targets)('MCPTestClient over $label', ({ http, era }) => {
  let server: MockMCPServer;
  let client: MCPTestClient;
  const expectedEra = era === 'legacy' ? 'legacy' : 'modern';

  async function connect(): Promise<void> {
    server = buildServer();
    if (http) await server.start();
    client = new MCPTestClient(server, { era });
  }

  afterEach(async () => {
    await client?.close();
    await server?.stop();
  });

  it('connects lazily and reports the session', async () => {
    await connect();
    expect(client.protocolEra).toBeUndefined();
    expect(await client.listTools()).toHaveLength(8);
    expect(client.protocolEra).toBe(expectedEra);
    expect(client.serverInfo?.name).toBe('shop');
    expect(client.name).toBe('shop');
    expect(client.capabilities?.tools).toBeDefined();
    expect(client.sessionId !== undefined).toBe(http && expectedEra === 'legacy');
    await client.ping();
  });

  it('turns tool results into values with executeTool', async () => {
    await connect();
    expect(await client.executeTool('rows')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await client.executeTool('count')).toBe(7);
    expect(await client.executeTool('text')).toBe('plain words');
    expect(await client.executeTool('json-text')).toEqual({ a: 1 });
    expect(await client.executeTool('wrapped-object')).toEqual({ result: 5 });
    const failure = await client.executeTool('broken').catch((error: unknown) => error);
    expect(McpToolError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ message: 'out of stock', toolName: 'broken', server: 'shop' });
    expect((await client.callTool('broken')).isError).toBe(true);
  });

  it('reads resources by name or URI', async () => {
    await connect();
    expect(await client.getResource('catalog').list()).toEqual(['apple', 'pear']);
    expect(await client.getResource('catalog').read()).toEqual({ items: ['apple', 'pear'] });
    expect(await client.getResource('readme').list()).toEqual(['line one', 'line two']);
    expect(await client.getResource('file:///readme.txt').read()).toBe('line one\nline two\n');
    expect(await client.getResource('bytes').read()).toEqual(new Uint8Array([1, 2, 3]));
    const missing = await client
      .getResource('nowhere')
      .read()
      .catch((error: unknown) => error);
    expect(McpProtocolError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ code: -32002 });
    const unknownUri = await client
      .readResource('mock:///nowhere')
      .catch((error: unknown) => error);
    expect(McpProtocolError.isInstance(unknownUri)).toBe(true);
  });

  it('gets and completes prompts', async () => {
    await connect();
    expect((await client.listPrompts()).map((prompt) => prompt.name)).toEqual(['ask']);
    const prompt = await client.getPrompt('ask', { topic: 'pears' });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Tell me about pears' });
    const completion = await client.complete(
      { type: 'ref/prompt', name: 'ask' },
      { name: 'topic', value: 'ap' },
    );
    expect(completion.values).toEqual(['apples', 'apricots']);
  });

  it('delivers log messages above the chosen level', async () => {
    await connect();
    const received: McpNotification[] = [];
    const stop = client.onNotification('notifications/message', (notification) =>
      received.push(notification),
    );
    const all: string[] = [];
    client.onNotification('*', (notification) => all.push(notification.method));
    await client.setLoggingLevel('info');
    expect(await client.executeTool('log')).toBe('logged');
    expect(received.map((n) => n.params?.['data'])).toEqual([{ code: 7 }]);
    expect(all).toContain('notifications/message');
    stop();
    await client.executeTool('log');
    expect(received).toHaveLength(1);
  });

  it('subscribes to resource updates and list changes in its era', async () => {
    await connect();
    const events: McpSubscriptionEvent[] = [];
    const subscription = await client.subscribe(
      { resources: ['mock:///catalog'], toolsListChanged: true },
      (event) => events.push(event),
    );
    expect(subscription.filter).toEqual({ resources: ['mock:///catalog'], toolsListChanged: true });
    if (http && expectedEra === 'legacy') {
      await eventually(() =>
        expect(server.httpRequests.some((r) => r.method === 'GET' && r.status === 200)).toBe(true),
      );
    }
    server.notifyResourceUpdated('mock:///catalog');
    server.addTool('new', () => 'fresh');
    await eventually(() =>
      expect(events).toEqual(
        expect.arrayContaining([
          { type: 'resource-updated', uri: 'mock:///catalog' },
          { type: 'list-changed', list: 'tools' },
        ]),
      ),
    );
    await subscription.close();
    expect(await subscription.closed).toBe('local');
  });

  it('tells a timeout from a cancellation', async () => {
    await connect();
    // Connected first: the tight budget below is for the call, not for the handshake.
    await client.connect();
    const timedOut = await client
      .callTool('slow', {}, { timeoutMs: 100 })
      .catch((error: unknown) => error);
    expect(McpTimeoutError.isInstance(timedOut)).toBe(true);
    expect(timedOut).toMatchObject({ timeoutMs: 100, phase: 'request', method: 'tools/call' });

    server.clearRecords();
    const controller = new AbortController();
    const call = client.callTool('slow', {}, { signal: controller.signal });
    await server.waitForRequest('tools/call');
    controller.abort('user gave up');
    const cancelled = await call.catch((error: unknown) => error);
    expect(McpCancelledError.isInstance(cancelled)).toBe(true);
    expect(cancelled).toMatchObject({ reason: 'user gave up' });
  });
});

describe('MCPTestClient edge cases', () => {
  it('rejects bad options with McpConfigError naming the field', () => {
    expect(() => new MCPTestClient('not a url')).toThrow(McpConfigError);
    let error: unknown;
    try {
      new MCPTestClient('http://127.0.0.1:1/mcp', { timeoutMs: -5 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      field: 'MCPTestClient.options.timeoutMs',
      expected: 'a positive number of milliseconds',
    });
  });

  it('reports an unreachable server as a connection error', async () => {
    const server = new MockMCPServer();
    const url = await server.start();
    await server.stop();
    const client = new MCPTestClient(url, { era: 'legacy' });
    const error = await client.listTools().catch((caught: unknown) => caught);
    expect(McpConnectionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ transport: 'streamable-http', retryable: true });
    await client.close();
  });

  it('ends a legacy HTTP session with DELETE on close, and refuses use afterwards', async () => {
    const server = buildServer();
    await server.start();
    const client = new MCPTestClient(server.url, { era: 'legacy' });
    await client.connect();
    expect(server.sessions).toHaveLength(1);
    await client.close();
    await client.close();
    expect(server.httpRequests.some((request) => request.method === 'DELETE')).toBe(true);
    expect(server.sessions).toHaveLength(0);
    await expect(client.listTools()).rejects.toSatisfy((error) =>
      McpConnectionError.isInstance(error),
    );
    await server.stop();
  });
});
