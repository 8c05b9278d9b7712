// Server behaviour beyond the basics: server-to-client requests, logs, era-restricted
// endpoints, headers, lifecycle and the errors bad input gets.
import {
  McpConfigError,
  McpConnectionError,
  McpProtocolError,
  type McpNotification,
} from '@tframex/mcp-api';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPTestClient, MockMCPServer } from '../index.js';
import { eventually } from '../test-support/eventually.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

function track<T extends { close(): Promise<unknown> } | { stop(): Promise<unknown> }>(
  thing: T,
): T {
  cleanup.push(() => ('close' in thing ? thing.close() : thing.stop()));
  return thing;
}

function configError(run: () => unknown): McpConfigError | undefined {
  try {
    run();
  } catch (error) {
    if (McpConfigError.isInstance(error)) return error;
    throw error;
  }
  return undefined;
}

describe('server-to-client requests from a handler (legacy era)', () => {
  it.each([true, false])('elicits, samples and lists roots (HTTP: %s)', async (http) => {
    const server = track(new MockMCPServer());
    server.addTool('interview', async (_args, ctx) => {
      const answer = await ctx.elicit({
        message: 'Your name?',
        requestedSchema: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
      });
      const sampled = await ctx.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }],
        maxTokens: 10,
      });
      const roots = await ctx.sdk.mcpReq.send({ method: 'roots/list' });
      return {
        answer: answer.content,
        sampled: sampled.content,
        roots: roots.roots.map((root) => root.uri),
      };
    });
    if (http) await server.start();
    const client = track(
      new MCPTestClient(server, {
        era: 'legacy',
        onElicitation: () => ({ action: 'accept', content: { name: 'Ada' } }),
        onSampling: (params) => ({
          role: 'assistant',
          model: 'fake-model',
          content: { type: 'text', text: `echo: ${JSON.stringify(params.messages[0]?.content)}` },
        }),
        roots: [{ uri: 'file:///work', name: 'work' }],
      }),
    );
    expect(await client.executeTool('interview')).toEqual({
      answer: { name: 'Ada' },
      sampled: { type: 'text', text: 'echo: {"type":"text","text":"Say hi"}' },
      roots: ['file:///work'],
    });
  });

  it('refuses push-style requests on a modern request, as a tool error', async () => {
    const server = track(new MockMCPServer());
    server.addTool('interview', async (_args, ctx) =>
      ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: {} } }),
    );
    const client = track(
      new MCPTestClient(server, { era: 'modern', onElicitation: () => ({ action: 'decline' }) }),
    );
    expect((await client.callTool('interview')).isError).toBe(true);
  });
});

describe('server log messages and explicit notifications', () => {
  it('reaches legacy sessions, stdio-like and memory connections', async () => {
    const server = track(new MockMCPServer());
    const client = track(new MCPTestClient(server, { era: 'legacy' }));
    const received: McpNotification[] = [];
    client.onNotification('*', (notification) => received.push(notification));
    await client.connect();
    server.log('warning', { disk: 'low' }, 'storage');
    server.notifyToolsChanged();
    server.notifyPromptsChanged();
    server.notifyResourcesChanged();
    await eventually(() =>
      expect(received.map((notification) => notification.method).sort()).toEqual([
        'notifications/message',
        'notifications/prompts/list_changed',
        'notifications/resources/list_changed',
        'notifications/tools/list_changed',
      ]),
    );
    expect(received.find((n) => n.method === 'notifications/message')?.params).toEqual({
      level: 'warning',
      data: { disk: 'low' },
      logger: 'storage',
    });
  });

  it('tells subscribers when resources and prompts are removed', async () => {
    const server = track(new MockMCPServer());
    server.addResource('a', 'A');
    server.addResourceTemplate('t://{x}', () => 'T');
    server.addPrompt('p', 'P');
    const client = track(new MCPTestClient(server, { era: 'modern' }));
    const events: string[] = [];
    await client.subscribe({ resourcesListChanged: true, promptsListChanged: true }, (event) => {
      if (event.type === 'list-changed') events.push(event.list);
    });
    expect(server.removeResource('mock:///a')).toBe(true);
    expect(server.removeResourceTemplate('t://{x}')).toBe(true);
    expect(server.removePrompt('p')).toBe(true);
    expect(server.removePrompt('p')).toBe(false);
    await eventually(() =>
      expect(events).toEqual(expect.arrayContaining(['resources', 'prompts'])),
    );
    expect(await client.listResources()).toEqual([]);
    expect(await client.listResourceTemplates()).toEqual([]);
    expect(await client.listPrompts()).toEqual([]);
  });
});

describe('era-restricted endpoints', () => {
  it('a legacy-only server makes an auto client fall back to 2025-11-25', async () => {
    const server = track(new MockMCPServer());
    server.addTool('t', () => 'ok');
    const url = await server.start({ era: 'legacy' });
    const client = track(
      new Client({ name: 'c', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } }),
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect(client.getProtocolEra()).toBe('legacy');
    expect((await client.callTool({ name: 't', arguments: {} })).content).toEqual([
      { type: 'text', text: 'ok' },
    ]);
  });

  it('a modern-only server refuses a 2025 client', async () => {
    const server = track(new MockMCPServer());
    const url = await server.start({ era: 'modern' });
    const legacy = track(new MCPTestClient(url, { era: 'legacy' }));
    const error = await legacy.connect().catch((caught: unknown) => caught);
    expect(McpProtocolError.isInstance(error) || McpConnectionError.isInstance(error)).toBe(true);
    const modern = track(new MCPTestClient(url, { era: 'auto' }));
    await modern.connect();
    expect(modern.protocolEra).toBe('modern');
  });

  it('a legacy-only memory server answers the modern probe as a 2025 server does', async () => {
    const server = track(new MockMCPServer());
    const client = track(
      new Client({ name: 'c', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } }),
    );
    await client.connect(server.createMemoryTransport({ era: 'legacy' }));
    expect(client.getProtocolEra()).toBe('legacy');
  });
});

describe('HTTP details', () => {
  it('passes client headers through to handlers and records them', async () => {
    const server = track(new MockMCPServer());
    server.addTool('tenant', (_args, ctx) => ctx.headers?.['x-tenant']);
    await server.start({ path: '/rpc' });
    expect(server.url).toMatch(/\/rpc$/);
    const client = track(new MCPTestClient(server.url, { headers: { 'x-tenant': 'acme' } }));
    expect(await client.executeTool('tenant')).toBe('acme');
    expect(server.callsTo('tenant')[0]?.headers?.['x-tenant']).toBe('acme');
    expect((await fetch(server.url.replace('/rpc', '/other'))).status).toBe(404);
  });

  it('answers malformed and oversized bodies with JSON-RPC errors', async () => {
    const server = track(new MockMCPServer());
    await server.start({ maxRequestBodyBytes: 1024 });
    const post = (body: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body,
      });
    const garbled = await post('{not json');
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: { code: -32700 } });
    const huge = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { padding: 'x'.repeat(4096) },
      }),
    );
    expect(huge.status).toBe(413);
    expect((await fetch(server.url, { method: 'PUT' })).status).toBe(405);
    const orphan = await post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    expect(orphan.status).toBe(400);
  });

  it('can restart, and `await using` stops it', async () => {
    let url: string;
    {
      await using server = new MockMCPServer();
      url = await server.start();
      expect(server.running).toBe(true);
      await server.stop();
      expect(server.running).toBe(false);
      url = await server.start();
    }
    const error = await new MCPTestClient(url, { era: 'legacy' })
      .listTools()
      .catch((caught: unknown) => caught);
    expect(McpConnectionError.isInstance(error)).toBe(true);
  });
});

describe('bad input', () => {
  it('gets McpConfigError naming the field and what was expected', async () => {
    const server = track(new MockMCPServer());
    expect(configError(() => new MockMCPServer({ name: '' }))).toMatchObject({
      field: 'MockMCPServer.options.name',
      expected: 'a non-empty name',
    });
    expect(configError(() => server.addTool('', () => 1))).toMatchObject({ field: 'addTool.name' });
    expect(configError(() => server.addTool('t', 'not a function' as never))).toMatchObject({
      field: 'addTool.handler',
      expected: 'a function',
    });
    expect(
      configError(() => server.addTool('t', () => 1, { inputSchema: { type: 'string' } })),
    ).toMatchObject({ field: 'addTool.options.inputSchema' });
    expect(configError(() => server.addResource('weird://[bad', 'x'))).toMatchObject({
      field: 'addResource.uriOrName',
    });
    expect(configError(() => server.addResourceTemplate('no-scheme/{x}', () => 1))).toMatchObject({
      field: 'addResourceTemplate.uriTemplate',
    });
    expect(configError(() => server.addPrompt('p', 42 as never))).toMatchObject({
      field: 'addPrompt.content',
    });
    expect(configError(() => server.url)).toMatchObject({ field: 'url' });
    await expect(server.start({ transport: 'http', port: 70000 })).rejects.toMatchObject({
      field: 'start.port',
    });
    await expect(server.start({ transport: 'carrier-pigeon' } as never)).rejects.toSatisfy(
      (error) => McpConfigError.isInstance(error),
    );
    await server.start();
    await expect(server.start()).rejects.toMatchObject({ field: 'start' });
    for (const target of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'ftp://example.com/mcp',
      new URL('file:///x'),
    ]) {
      expect(configError(() => new MCPTestClient(target))).toMatchObject({
        field: 'MCPTestClient.target',
      });
    }
    expect(configError(() => new MCPTestClient(server, { era: 'future' as never }))).toMatchObject({
      field: 'MCPTestClient.options.era',
    });
  });
});
