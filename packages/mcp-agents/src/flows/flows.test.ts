import { McpConfigError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { LLMAgent } from '../agent/llm-agent.js';
import { TFrameXApp } from '../app/tframex-app.js';
import type { ChatRequest } from '../model/chat-model.js';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { Flow } from './flow.js';
import {
  DiscussionPattern,
  ParallelPattern,
  RouterPattern,
  SequentialPattern,
} from './patterns.js';

let fixture: McpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const lastUser = (request: ChatRequest) => {
  const message = request.messages.findLast((m) => m.role === 'user');
  return typeof message?.content === 'string' ? message.content : '';
};

/** An agent whose scripted model answers `transform(input)`. */
function echoAgent(name: string, transform: (input: string) => string) {
  const llm = new ScriptedChatModel({
    respond: (request) => ({ text: transform(lastUser(request)) }),
  });
  return { agent: new LLMAgent({ name, llm, historyLimit: 0 }), llm };
}

function app(...agents: LLMAgent[]) {
  const instance = new TFrameXApp();
  for (const agent of agents) instance.registerAgent(agent);
  return instance;
}

describe('flows and patterns (agents driven by scripted model doubles)', () => {
  it('a sequential flow hands each output to the next step, with MCP tools on the way', async () => {
    fixture = await startMcpFixture({
      database: (server) => server.addTool('query', () => [{ quarter: 'Q4', revenue: 120 }]),
    });
    const researcher = new LLMAgent({
      name: 'Researcher',
      tools: ['mcp://database/query'],
      llm: new ScriptedChatModel({
        script: [
          ScriptedChatModel.toolCall('database__query', { sql: 'x' }),
          { text: 'Q4 revenue: 120' },
        ],
      }),
    });
    const writer = echoAgent('Writer', (input) => `Report — ${input}`);
    const instance = new TFrameXApp({ tools: fixture.source });
    instance.registerAgent(researcher).registerAgent(writer.agent);
    instance.registerFlow(new Flow({ name: 'report', steps: ['Researcher', 'Writer'] }));
    await using rt = await instance.runContext();
    const seen: string[] = [];
    const result = await rt.runFlow('report', 'Q4 sales?', {
      onEvent: (event) => {
        if (event.type === 'tool-result') seen.push(`${event.agent} ${event.record.uri}`);
        if (event.type === 'done') seen.push(`${event.result.agent} done`);
      },
    });
    expect(result.content).toBe('Report — Q4 revenue: 120');
    expect(seen).toEqual(['Researcher mcp://database/query', 'Researcher done', 'Writer done']);
    expect(result.history.map((record) => record.step)).toEqual(['Researcher', 'Writer']);
    await expect(rt.runFlow('nope', 'x')).rejects.toSatisfy((e) => McpConfigError.isInstance(e));
  });

  it('a parallel pattern runs its tasks at once on one input and lists every output, errors too', async () => {
    let active = 0;
    let peak = 0;
    const slow = (name: string) => {
      const llm = new ScriptedChatModel({
        respond: async (request) => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setImmediate(resolve));
          active--;
          return { text: `${name} on ${lastUser(request)}` };
        },
      });
      return new LLMAgent({ name, llm });
    };
    const broken = new LLMAgent({
      name: 'Broken',
      llm: new ScriptedChatModel({ script: [new Error('model down')] }),
    });
    const instance = app(slow('A'), slow('B'), broken);
    await using rt = await instance.runContext();
    const flow = new Flow({
      name: 'fan',
      steps: [new ParallelPattern('both', ['A', 'B', 'Broken'])],
    });
    const result = await rt.runFlow(flow, 'data');
    expect(result.content).toBe('[A]: A on data\n\n[B]: B on data\n\n[Broken]: Error: model down');
    expect(peak).toBe(2);
  });

  it('a router pattern runs the route its router agent names, or the default', async () => {
    const router = echoAgent('Router', (input) =>
      input.includes('refund') ? ' "Billing". ' : 'other',
    );
    const billing = echoAgent('BillingAgent', (input) => `billing handles: ${input}`);
    const support = echoAgent('SupportAgent', (input) => `support handles: ${input}`);
    const instance = app(router.agent, billing.agent, support.agent);
    await using rt = await instance.runContext();
    const routed = new Flow({
      name: 'triage',
      steps: [
        new RouterPattern('triage', {
          router: 'Router',
          routes: { billing: 'BillingAgent', tech: 'SupportAgent' },
          defaultRoute: 'SupportAgent',
        }),
      ],
    });
    expect((await rt.runFlow(routed, 'I want a refund')).content).toBe(
      'billing handles: I want a refund',
    );
    const fallback = await rt.runFlow(routed, 'hello');
    expect(fallback.content).toBe('support handles: hello');
    expect(fallback.shared.get('triage.route')).toBe('default');

    const strict = new Flow({
      name: 'strict',
      steps: [new RouterPattern('strict', { router: 'Router', routes: { tech: 'SupportAgent' } })],
    });
    await expect(rt.runFlow(strict, 'hello')).rejects.toThrow(
      /names no route of "strict" \(tech\)/,
    );
  });

  it('a discussion pattern gives each participant the transcript, with a moderator and a stop phrase', async () => {
    const optimist = echoAgent('Optimist', (input) =>
      input.includes('round 2') ? 'I agree. CONSENSUS' : 'Growth will continue.',
    );
    const skeptic = echoAgent('Skeptic', () => 'Margins are thin.');
    const moderator = echoAgent('Moderator', () => 'Growth vs margins.');
    const instance = app(optimist.agent, skeptic.agent, moderator.agent);
    await using rt = await instance.runContext();
    const flow = new Flow({
      name: 'debate',
      steps: [
        new DiscussionPattern('debate', {
          participants: ['Optimist', 'Skeptic'],
          rounds: 3,
          moderator: 'Moderator',
          stopPhrase: 'consensus',
        }),
      ],
    });
    const result = await rt.runFlow(flow, 'Will Q1 revenue grow?');
    expect(result.content).toBe('I agree. CONSENSUS');
    expect(result.history.map((record) => record.step)).toEqual([
      'Optimist',
      'Skeptic',
      'Moderator',
      'Optimist',
    ]);
    const skepticPrompt = lastUser(skeptic.llm.requests[0]!);
    expect(skepticPrompt).toContain('Topic: Will Q1 revenue grow?');
    expect(skepticPrompt).toContain('Optimist: Growth will continue.');
    expect(result.shared.get('debate.transcript')).toHaveLength(4);
  });

  it('patterns nest: a sequence of a parallel fan-out and a summariser', async () => {
    const a = echoAgent('A', () => 'a');
    const b = echoAgent('B', () => 'b');
    const summary = echoAgent('Sum', (input) => `sum(${input.replace(/\n+/g, ' ')})`);
    const instance = app(a.agent, b.agent, summary.agent);
    await using rt = await instance.runContext();
    const flow = new Flow({ name: 'nested' }).addStep(
      new SequentialPattern('seq', [new ParallelPattern('fan', ['A', 'B']), 'Sum']),
    );
    expect((await rt.runFlow(flow, 'go')).content).toBe('sum([A]: a [B]: b)');
  });
});
