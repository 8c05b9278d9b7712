// The official SDK client against MockMCPServer, in both protocol eras, over HTTP and memory.
import {
  Client,
  LOG_LEVEL_META_KEY,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { acceptedContent, inputRequired } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { MockMCPServer } from '../index.js';
import { eventually } from '../test-support/eventually.js';

type Mode = 'legacy' | 'auto' | { pin: string };

function buildServer(): MockMCPServer {
  const server = new MockMCPServer({ name: 'kit', version: '2.0.0', instructions: 'Use it well' });
  server.addTool('add', ({ a, b }, ctx) => ({ sum: a + b, era: ctx.era }), {
    description: 'Adds two numbers',
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    tags: ['math'],
  });
  server.addTool('fail', () => {
    throw new Error('kaput');
  });
  server.addTool('chatty', async (_args, ctx) => {
    await ctx.log('info', 'working');
    await ctx.progress(1, 2, 'half');
    await ctx.progress(2, 2, 'done');
    return 'ok';
  });
  server.addResource('notes/today', 'buy milk');
  server.addResource('config://app', { debug: true });
  server.addResourceTemplate('users://{id}/profile', (uri, { id }) => ({ id, uri }));
  server.addPrompt('greet', ({ name }) => `Hello ${name}`, {
    description: 'Greets',
    arguments: [{ name: 'name', required: true }],
  });
  return server;
}

const cases: Array<{
  label: string;
  transport: 'http' | 'memory';
  mode: Mode;
  era: 'legacy' | 'modern';
}> = [
  { label: 'HTTP, legacy negotiation', transport: 'http', mode: 'legacy', era: 'legacy' },
  { label: 'HTTP, auto negotiation', transport: 'http', mode: 'auto', era: 'modern' },
  {
    label: 'HTTP, pinned 2026-07-28',
    transport: 'http',
    mode: { pin: '2026-07-28' },
    era: 'modern',
  },
  { label: 'memory, legacy negotiation', transport: 'memory', mode: 'legacy', era: 'legacy' },
  { label: 'memory, auto negotiation', transport: 'memory', mode: 'auto', era: 'modern' },
  {
    label: 'memory, pinned 2026-07-28',
    transport: 'memory',
    mode: { pin: '2026-07-28' },
    era: 'modern',
  },
];

describe.each(cases)('the official SDK client over $label', ({ transport, mode, era }) => {
  let server: MockMCPServer;
  let client: Client;

  async function connect(): Promise<void> {
    server = buildServer();
    let clientTransport: Transport;
    if (transport === 'http') {
      clientTransport = new StreamableHTTPClientTransport(new URL(await server.start()));
    } else {
      clientTransport = await server.start({ transport: 'memory' });
    }
    client = new Client({ name: 'sdk-test', version: '1.0.0' }, { versionNegotiation: { mode } });
    await client.connect(clientTransport);
  }

  afterEach(async () => {
    await client?.close();
    await server?.stop();
  });

  it('negotiates the expected era and reports the server', async () => {
    await connect();
    expect(client.getProtocolEra()).toBe(era);
    expect(client.getServerVersion()).toMatchObject({ name: 'kit', version: '2.0.0' });
    expect(client.getInstructions()).toBe('Use it well');
  });

  it('lists and calls tools, with tags, validation and tool errors', async () => {
    await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'chatty', 'fail']);
    const add = tools.find((tool) => tool.name === 'add')!;
    expect(add._meta).toEqual({ tags: ['math'] });
    expect(add.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' } },
    });

    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(sum.structuredContent).toEqual({ sum: 5, era });
    expect(sum.isError).toBeFalsy();

    const invalid = await client.callTool({ name: 'add', arguments: { a: 'two' } });
    expect(invalid.isError).toBe(true);

    const failed = await client.callTool({ name: 'fail', arguments: {} });
    expect(failed).toMatchObject({ isError: true, content: [{ type: 'text', text: 'kaput' }] });

    await expect(client.callTool({ name: 'missing', arguments: {} })).rejects.toMatchObject({
      code: -32602,
    });
    expect(server.callsTo('add').map((call) => call.arguments)).toEqual([
      { a: 2, b: 3 },
      { a: 'two' },
    ]);
    expect(
      server.callsTo('add').every((call) => call.era === era && call.transport === transport),
    ).toBe(true);
  });

  it('lists and reads resources and templates', async () => {
    await connect();
    const { resources } = await client.listResources();
    expect(resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          uri: 'mock:///notes/today',
          name: 'notes/today',
          mimeType: 'text/plain',
        }),
        expect.objectContaining({ uri: 'config://app', mimeType: 'application/json' }),
      ]),
    );
    const note = await client.readResource({ uri: 'mock:///notes/today' });
    expect(note.contents).toEqual([
      { uri: 'mock:///notes/today', mimeType: 'text/plain', text: 'buy milk' },
    ]);
    const config = await client.readResource({ uri: 'config://app' });
    expect(JSON.parse((config.contents[0] as { text: string }).text)).toEqual({ debug: true });

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      'users://{id}/profile',
    ]);
    const profile = await client.readResource({ uri: 'users://42/profile' });
    expect(JSON.parse((profile.contents[0] as { text: string }).text)).toEqual({
      id: '42',
      uri: 'users://42/profile',
    });
  });

  it('lists and gets prompts', async () => {
    await connect();
    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([
      expect.objectContaining({
        name: 'greet',
        description: 'Greets',
        arguments: [expect.objectContaining({ name: 'name', required: true })],
      }),
    ]);
    const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    expect(prompt.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Hello Ada' } },
    ]);
  });

  it('receives log messages and progress from inside a handler', async () => {
    await connect();
    const logs: unknown[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      logs.push(notification.params.data);
    });
    const progress: number[] = [];
    // A 2026-07-28 request asks for log messages in its envelope; a 2025 session gets them unasked.
    const _meta = era === 'modern' ? { [LOG_LEVEL_META_KEY]: 'info' } : undefined;
    const result = await client.callTool(
      { name: 'chatty', arguments: {}, ...(_meta ? { _meta } : {}) },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(progress).toEqual([1, 2]);
    expect(logs).toEqual(['working']);
  });

  it('hears about list changes and resource updates', async () => {
    await connect();
    const events: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      events.push('tools');
    });
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      events.push(`updated ${notification.params.uri}`);
    });
    if (era === 'modern') {
      await client.listen({ toolsListChanged: true, resourceSubscriptions: ['config://app'] });
    } else {
      await client.subscribeResource({ uri: 'config://app' });
      if (transport === 'http') {
        // Unsolicited notifications travel on the session's GET stream, which the client opens on its own.
        await eventually(() =>
          expect(server.httpRequests.some((r) => r.method === 'GET' && r.status === 200)).toBe(
            true,
          ),
        );
      }
    }
    server.addTool('late', () => 'here');
    server.notifyResourceUpdated('config://app');
    server.notifyResourceUpdated('mock:///notes/today'); // nobody subscribed: not delivered
    await eventually(() =>
      expect(events).toEqual(expect.arrayContaining(['tools', 'updated config://app'])),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('late');
    expect(events).not.toContain('updated mock:///notes/today');

    server.removeTool('late');
    await eventually(() =>
      expect(events.filter((event) => event === 'tools').length).toBeGreaterThanOrEqual(2),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('late');
  });
});

describe('input_required answers in the 2026-07-28 era', () => {
  it('pass through unwrapped, so the SDK client fulfils them and retries', async () => {
    const server = new MockMCPServer({ name: 'asks' });
    const confirmation = z.object({ confirm: z.boolean() });
    server.addTool('deploy', (_args, ctx) =>
      acceptedContent(ctx.sdk.mcpReq.inputResponses, 'confirm', confirmation)?.confirm === true
        ? 'deployed'
        : inputRequired({
            inputRequests: {
              confirm: inputRequired.elicit({ message: 'Sure?', requestedSchema: confirmation }),
            },
          }),
    );
    const client = new Client(
      { name: 'sdk-test', version: '1.0.0' },
      {
        capabilities: { elicitation: { form: {} } },
        versionNegotiation: { mode: { pin: '2026-07-28' } },
      },
    );
    client.setRequestHandler('elicitation/create', () => ({
      action: 'accept',
      content: { confirm: true },
    }));
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(await server.start({ era: 'modern' }))),
      );
      const result = await client.callTool({ name: 'deploy', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'deployed' }]);
      expect(server.callsTo('deploy')).toHaveLength(2);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
