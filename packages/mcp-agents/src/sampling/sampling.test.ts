import type {
  McpServerRequestHandler,
  McpServerRequestMethod,
  McpSession,
  McpToolSource,
} from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { TFrameXApp, type TFrameXAppOptions } from '../app/tframex-app.js';
import { LLMAgent } from '../agent/llm-agent.js';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';

let fixture: McpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function writerServer(era: 'legacy' | 'modern') {
  fixture = await startMcpFixture(
    {
      writer: (server) => {
        server.addTool(
          'summarize',
          async ({ text }, context) => {
            const answer = await context.ask('sampling/createMessage', {
              systemPrompt: 'Answer in five words.',
              messages: [{ role: 'user', content: { type: 'text', text: `Summarize: ${text}` } }],
              maxTokens: 100_000,
            });
            const content = answer['content'] as { text?: string };
            return `summary: ${content.text ?? ''}`;
          },
          { inputSchema: z.object({ text: z.string() }) },
        );
        let waiting = 0;
        let release!: () => void;
        const together = new Promise<void>((resolve) => (release = resolve));
        server.addTool('summarize_together', async ({ who }, context) => {
          // Both agents' calls are in flight before either asks: only the origin tells them apart.
          if (++waiting === 2) release();
          await together;
          const answer = await context.ask('sampling/createMessage', {
            messages: [{ role: 'user', content: { type: 'text', text: `for ${String(who)}` } }],
            maxTokens: 50,
          });
          return `${String(who)} got: ${(answer['content'] as { text?: string }).text ?? ''}`;
        });
        server.addTool('greet', async (_args, context) => {
          const answer = await context.ask('elicitation/create', {
            mode: 'form',
            message: 'What is your name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
          });
          const content = answer['content'] as { name?: string } | undefined;
          return `${String(answer['action'])}: hello ${content?.name ?? 'nobody'}`;
        });
      },
    },
    { era },
  );
  return fixture;
}

function appWith(source: McpToolSource, options: Omit<TFrameXAppOptions, 'tools'> = {}) {
  const alice = new ScriptedChatModel({
    name: 'alice-model',
    script: [
      ScriptedChatModel.toolCall('writer__summarize', { text: 'Q4 sales rose 12%' }),
      { text: 'Sales rose twelve percent.' }, // answers the server's sampling request
      { text: 'Done.' },
    ],
  });
  const bob = new ScriptedChatModel({
    name: 'bob-model',
    script: [
      ScriptedChatModel.toolCall('writer__summarize', { text: 'Q3 was flat' }),
      { text: 'Nothing changed in Q3.' },
      { text: 'Done.' },
    ],
  });
  const app = new TFrameXApp({ tools: source, ...options });
  app.registerAgent(new LLMAgent({ name: 'Alice', llm: alice, tools: ['mcp://writer/*'] }));
  app.registerAgent(new LLMAgent({ name: 'Bob', llm: bob, tools: ['mcp://writer/*'] }));
  return { app, alice, bob };
}

describe.each(['legacy', 'modern'] as const)(
  'sampling served by the agent model (%s era)',
  (era) => {
    it("answers a tool's sampling request with the model of the agent whose call caused it", async () => {
      const { source } = await writerServer(era);
      const { app, alice, bob } = appWith(source, { maxSamplingTokens: 256 });
      await using rt = await app.runContext();

      const fromAlice = await rt.callAgent('Alice', 'summarize Q4');
      expect(fromAlice.toolCalls[0]?.result.content).toEqual([
        { type: 'text', text: 'summary: Sales rose twelve percent.' },
      ]);
      const sampling = alice.requests[1]!;
      expect(sampling.messages).toEqual([
        { role: 'system', content: 'Answer in five words.' },
        { role: 'user', content: 'Summarize: Q4 sales rose 12%' },
      ]);
      expect(sampling.tools).toBeUndefined();
      expect(sampling.maxTokens).toBe(256);
      expect(bob.requests).toHaveLength(0);

      const fromBob = await rt.callAgent('Bob', 'summarize Q3');
      expect(fromBob.toolCalls[0]?.result.content).toEqual([
        { type: 'text', text: 'summary: Nothing changed in Q3.' },
      ]);
      expect(alice.requests).toHaveLength(3);
    });

    it('concurrent agents on one server each get their own model', async () => {
      const { source } = await writerServer(era);
      const model = (who: string) =>
        new ScriptedChatModel({
          name: `${who}-model`,
          script: [
            ScriptedChatModel.toolCall('writer__summarize_together', { who }),
            { text: `${who}'s model speaking` },
            { text: 'Done.' },
          ],
        });
      const app = new TFrameXApp({ tools: source });
      app.registerAgent(new LLMAgent({ name: 'X', llm: model('X'), tools: ['mcp://writer/*'] }));
      app.registerAgent(new LLMAgent({ name: 'Y', llm: model('Y'), tools: ['mcp://writer/*'] }));
      await using rt = await app.runContext();
      const [x, y] = await Promise.all([rt.callAgent('X', 'go'), rt.callAgent('Y', 'go')]);
      expect(x.toolCalls[0]?.result.content).toEqual([
        { type: 'text', text: "X got: X's model speaking" },
      ]);
      expect(y.toolCalls[0]?.result.content).toEqual([
        { type: 'text', text: "Y got: Y's model speaking" },
      ]);
    });

    it('asks the approval hook first; a denied request fails the tool, and the model is told', async () => {
      const { source } = await writerServer(era);
      const asked: string[] = [];
      const { app, alice } = appWith(source, {
        approveSampling: (request) => {
          asked.push(`${request.agent} ${request.server}`);
          return false;
        },
      });
      alice.requests.length = 0;
      await using rt = await app.runContext();
      const denied = new ScriptedChatModel({
        script: [ScriptedChatModel.toolCall('writer__summarize', { text: 'x' }), { text: 'ok' }],
      });
      app.registerAgent(new LLMAgent({ name: 'Carol', llm: denied, tools: ['mcp://writer/*'] }));
      const result = await rt.callAgent('Carol', 'go');
      expect(asked).toEqual(['Carol writer']);
      expect(result.toolCalls[0]?.outcome).not.toBe('ok');
      expect(denied.requests).toHaveLength(2);
    });

    it('refuses sampling beyond the rate limit', async () => {
      const { source } = await writerServer(era);
      const { app, alice, bob } = appWith(source, {
        samplingRateLimit: { maxRequests: 1, windowMs: 3_600_000 },
      });
      await using rt = await app.runContext();
      const first = await rt.callAgent('Alice', 'go');
      expect(first.toolCalls[0]?.outcome).toBe('ok');
      bob.requests.length = 0;
      const bobModel = new ScriptedChatModel({
        script: [ScriptedChatModel.toolCall('writer__summarize', { text: 'x' }), { text: 'ok' }],
      });
      app.registerAgent(new LLMAgent({ name: 'Dave', llm: bobModel, tools: ['mcp://writer/*'] }));
      const second = await rt.callAgent('Dave', 'go');
      expect(second.toolCalls[0]?.outcome).not.toBe('ok');
      // The model was not asked to sample: only the two agent turns reached it.
      expect(bobModel.requests).toHaveLength(2);
      expect(alice.requests).toHaveLength(3);
    });

    it('sends elicitation to the hook', async () => {
      const { source } = await writerServer(era);
      const script = () => [ScriptedChatModel.toolCall('writer__greet'), { text: 'ok' }];
      const withHook = new TFrameXApp({
        tools: source,
        onElicitation: (request) => ({
          action: 'accept',
          content: { name: `${request.agent} (${request.message})` },
        }),
      });
      withHook.registerAgent(
        new LLMAgent({
          name: 'E',
          llm: new ScriptedChatModel({ script: script() }),
          tools: ['mcp://writer/greet'],
        }),
      );
      await using rt = await withHook.runContext();
      const accepted = await rt.callAgent('E', 'go');
      expect(accepted.toolCalls[0]?.result.content).toEqual([
        { type: 'text', text: 'accept: hello E (What is your name?)' },
      ]);
    });

    it('without an elicitation hook the capability is not offered and the tool is told so', async () => {
      const { source, servers } = await writerServer(era);
      const app = new TFrameXApp({ tools: source, sampling: false });
      const llm = new ScriptedChatModel({
        script: [ScriptedChatModel.toolCall('writer__greet'), { text: 'ok' }],
      });
      app.registerAgent(new LLMAgent({ name: 'F', llm, tools: ['mcp://writer/greet'] }));
      await using rt = await app.runContext();
      const refused = await rt.callAgent('F', 'go');
      expect(['tool-error', 'failed']).toContain(refused.toolCalls[0]?.outcome);
      expect(servers['writer']!.callsTo('greet').length).toBeGreaterThan(0);
    });
  },
);

describe('session-wide server request handlers (through setServerRequestHandler)', () => {
  /** A plain-object session that only records the handlers installed on it. */
  function recordingSource() {
    const handlers = new Map<McpServerRequestMethod, McpServerRequestHandler>();
    const session = {
      name: 'plain',
      setServerRequestHandler(method: McpServerRequestMethod, handler: McpServerRequestHandler) {
        handlers.set(method, handler);
        return () => {
          if (handlers.get(method) === handler) handlers.delete(method);
        };
      },
    } as unknown as McpSession;
    const source: McpToolSource = {
      serverNames: ['plain'],
      getSession: (name) => (name === 'plain' ? session : undefined),
      resolveTools: async () => [],
      resolveTool: async () => {
        throw new Error('none');
      },
      listTools: async () => [],
    };
    return { source, handlers };
  }

  it('a runtime installs sampling (and elicitation) on every session, answered by the app model, and removes them on close', async () => {
    const { source, handlers } = recordingSource();
    const llm = new ScriptedChatModel({ script: [{ text: 'from the app model' }] });
    const app = new TFrameXApp({ llm, tools: source, onElicitation: () => ({ action: 'cancel' }) });
    const rt = await app.runContext();
    expect([...handlers.keys()].sort()).toEqual(['elicitation/create', 'sampling/createMessage']);
    const answer = await handlers.get('sampling/createMessage')!(
      { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 },
      { server: 'plain', method: 'sampling/createMessage', signal: new AbortController().signal },
    );
    expect(answer).toEqual({
      role: 'assistant',
      content: { type: 'text', text: 'from the app model' },
      model: 'scripted-model',
      stopReason: 'endTurn',
    });
    await rt.close();
    expect(handlers.size).toBe(0);
  });

  it('a request of unknown origin goes to the one agent with a call in flight on that server', async () => {
    const { source, handlers } = recordingSource();
    // A tool of the "plain" server whose session asks for sampling without saying for whom.
    const ask = {
      name: 'plain__ask',
      description: 'asks the client to sample',
      inputSchema: { type: 'object' },
      server: 'plain',
      uri: 'mcp://plain/ask',
      originalName: 'ask',
      invoke: async () => {
        const answer = await handlers.get('sampling/createMessage')!(
          { messages: [{ role: 'user', content: { type: 'text', text: 'colour?' } }] },
          {
            server: 'plain',
            method: 'sampling/createMessage',
            signal: new AbortController().signal,
          },
        );
        return { content: [answer['content'] as { type: 'text'; text: string }] };
      },
    };
    const agentModel = new ScriptedChatModel({
      name: 'agent-model',
      script: [ScriptedChatModel.toolCall('plain__ask'), { text: 'teal' }, { text: 'Done.' }],
    });
    const appModel = new ScriptedChatModel({ name: 'app-model' });
    const app = new TFrameXApp({ llm: appModel, tools: source });
    app.registerAgent(new LLMAgent({ name: 'Asker', llm: agentModel, tools: [ask] }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('Asker', 'go');
    expect(result.toolCalls[0]?.result.content).toEqual([{ type: 'text', text: 'teal' }]);
    expect(agentModel.requests[1]?.messages).toEqual([{ role: 'user', content: 'colour?' }]);
    expect(appModel.requests).toHaveLength(0);
  });

  it('with sampling: false, nothing is installed', async () => {
    const { source, handlers } = recordingSource();
    const app = new TFrameXApp({ tools: source, sampling: false });
    await using _rt = await app.runContext();
    expect(handlers.size).toBe(0);
  });
});
