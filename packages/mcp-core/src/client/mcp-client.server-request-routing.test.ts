// Which handler answers a server request (sampling here) in each protocol era: the handlers a
// call brought, for requests the server made for that call; the session's handler otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServerRequestContext } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const reply = (text: string) => async () => ({
  role: 'assistant',
  model: 'scripted',
  content: { type: 'text', text },
});
const text = (result: { content: unknown }) =>
  (result.content as { type: string; text: string }[])[0]!.text;

async function setup(era: 'legacy' | 'modern', connectionPoolSize = 1) {
  const server = new MockMCPServer({ name: 'router' });
  // `ask` sends the request for the call (legacy: on the call's own response stream; modern:
  // as an input_required round), which is how the client can tell which call it belongs to.
  server.addTool('summarise', async ({ text: input }, context) => {
    const sample = (await context.ask('sampling/createMessage', {
      messages: [{ role: 'user', content: { type: 'text', text: String(input) } }],
      maxTokens: 10,
    })) as { content?: { text?: string } };
    return sample.content?.text ?? 'no text';
  });
  const url = await server.start({ era });
  cleanups.push(() => server.stop());
  const client = new MCPClient(
    testOptions({ name: 'router', serverUrl: url, sseFallback: false, connectionPoolSize }),
  );
  cleanups.push(() => client.close());
  return { server, client };
}

describe.each(['legacy', 'modern'] as const)('server requests in the %s era', (era) => {
  it("go to the call's own handlers, and to the session's outside them", async () => {
    const { client } = await setup(era);
    const asked: (McpServerRequestContext['relatedRequest'] | 'session')[] = [];
    client.setServerRequestHandler('sampling/createMessage', async () => {
      asked.push('session');
      return reply('from the session')();
    });
    expect(text(await client.callTool('summarise', { text: 'a' }))).toBe('from the session');
    const own = await client.callTool(
      'summarise',
      { text: 'b' },
      {
        serverRequestHandlers: {
          'sampling/createMessage': async (_params, context) => {
            asked.push(context.relatedRequest);
            return reply('from the call')();
          },
        },
      },
    );
    expect(text(own)).toBe('from the call');
    expect(asked).toEqual(['session', { method: 'tools/call', target: 'summarise' }]);
  });

  it('keep overlapping calls apart, on a pool', async () => {
    const { client } = await setup(era, 2);
    client.setServerRequestHandler('sampling/createMessage', reply('from the session'));
    const calls = ['one', 'two', 'three', 'four'].map((name) =>
      client.callTool(
        'summarise',
        { text: name },
        { serverRequestHandlers: { 'sampling/createMessage': reply(`answer ${name}`) } },
      ),
    );
    calls.push(client.callTool('summarise', { text: 'plain' }));
    expect((await Promise.all(calls)).map(text)).toEqual([
      'answer one',
      'answer two',
      'answer three',
      'answer four',
      'from the session',
    ]);
  });
});

describe('server requests in the legacy era, not tied to a call', () => {
  it("go to the session's handler even while a call with its own handlers runs", async () => {
    const server = new MockMCPServer({ name: 'router' });
    // `sample` sends the request unrelated to the call: it travels on the session's GET stream.
    server.addTool('unrelated', async (_args, context) => {
      const sample = await context.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'x' } }],
        maxTokens: 10,
      });
      return sample.content && 'text' in sample.content ? sample.content.text : 'no text';
    });
    const url = await server.start({ era: 'legacy' });
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({ name: 'router', serverUrl: url, sseFallback: false }),
    );
    cleanups.push(() => client.close());
    const contexts: McpServerRequestContext[] = [];
    client.setServerRequestHandler('sampling/createMessage', async (_params, context) => {
      contexts.push(context);
      return reply('from the session')();
    });
    const result = await client.callTool(
      'unrelated',
      {},
      { serverRequestHandlers: { 'sampling/createMessage': reply('from the call') } },
    );
    expect(text(result)).toBe('from the session');
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.relatedRequest).toBeUndefined();
  });
});
