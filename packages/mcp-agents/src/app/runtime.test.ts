import { McpCancelledError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { AgentEvent } from '../agent/agent-result.js';
import { LLMAgent } from '../agent/llm-agent.js';
import { OpenAIChatLLM } from '../model/openai-chat-llm.js';
import { FakeOpenAIServer } from '../test-support/fake-openai-server.js';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { untilAborted } from '../test-support/until-aborted.js';
import { completion, textChunks, toolCallChunks } from '../test-support/openai-fixtures.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { TFrameXApp } from './tframex-app.js';

let fixture: McpFixture | undefined;
let fake: FakeOpenAIServer | undefined;
afterEach(async () => {
  await fixture?.close();
  await fake?.close();
  fixture = undefined;
  fake = undefined;
});

async function databaseServer() {
  fixture = await startMcpFixture({
    database: (server) =>
      server.addTool('query', ({ sql }) => [{ revenue: 120, sql }], {
        inputSchema: z.object({ sql: z.string() }),
      }),
  });
  return fixture;
}

describe('Runtime: an agent on OpenAIChatLLM over HTTP (fake OpenAI-format server) and MCP tools', () => {
  it('callAgentStream streams text and tool events from a streamed tool call to the answer', async () => {
    const { source, servers } = await databaseServer();
    fake = await FakeOpenAIServer.start([
      {
        sse: toolCallChunks([
          {
            id: 'call_1',
            name: 'database__query',
            arguments: '{"sql":"SELECT sum(revenue) FROM sales"}',
          },
        ]),
      },
      { sse: textChunks(['Revenue ', 'was ', '120.']) },
    ]);
    const llm = new OpenAIChatLLM({ model: 'gpt-4o-mini', baseUrl: fake.baseUrl, apiKey: 'sk-x' });
    const app = new TFrameXApp({ llm, tools: source });
    app.registerAgent(new LLMAgent({ name: 'DataAnalyst', tools: ['mcp://database/query'] }));
    await using rt = await app.runContext();
    const events: AgentEvent[] = [];
    for await (const event of rt.callAgentStream('DataAnalyst', 'Q4 revenue?')) events.push(event);

    expect(events.map((e) => e.type)).toEqual([
      'model-response',
      'tool-call',
      'tool-result',
      'text-delta',
      'text-delta',
      'text-delta',
      'model-response',
      'done',
    ]);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.result.content).toBe('Revenue was 120.');
    expect(done?.type === 'done' && done.result.usage.totalTokens).toBe(32 + 10);
    expect(servers['database']!.callsTo('query')[0]?.params).toMatchObject({
      arguments: { sql: 'SELECT sum(revenue) FROM sales' },
    });
    // The second request carries the call and its result in OpenAI's format.
    const messages = fake.requests[1]?.body['messages'] as Array<Record<string, unknown>>;
    expect(messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: {
              name: 'database__query',
              arguments: '{"sql":"SELECT sum(revenue) FROM sales"}',
            },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: expect.stringContaining('"revenue":120') },
    ]);
    expect(fake.requests[0]?.body['tools'] as unknown[]).toHaveLength(1);
  });

  it('callAgent without streaming uses plain completions', async () => {
    fake = await FakeOpenAIServer.start([{ json: completion({ content: 'hello' }) }]);
    const llm = new OpenAIChatLLM({ model: 'm', baseUrl: fake.baseUrl });
    const app = new TFrameXApp({ llm });
    app.registerAgent(new LLMAgent({ name: 'A' }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('A', 'hi');
    expect(result.content).toBe('hello');
    expect(fake.requests[0]?.body['stream']).toBeUndefined();
    expect(fake.requests[0]?.body['tools']).toBeUndefined();
  });

  it('leaving a stream early cancels the run; disposing the runtime cancels what still runs', async () => {
    let cancelledCalls = 0;
    fixture = await startMcpFixture({
      database: (server) =>
        server.addTool('query', (_args, context) => {
          return untilAborted(context.signal, () => cancelledCalls++);
        }),
    });
    const llm = new ScriptedChatModel({
      respond: () => ({
        text: 'looking',
        toolCalls: [{ name: 'database__query', arguments: { sql: 'x' } }],
      }),
    });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(new LLMAgent({ name: 'A', tools: ['mcp://database/query'] }));
    const rt = await app.runContext();
    for await (const event of rt.callAgentStream('A', 'go')) {
      if (event.type === 'tool-call') {
        await fixture.servers['database']!.waitForRequest('tools/call', { timeoutMs: 20_000 });
        break;
      }
    }
    await expect.poll(() => cancelledCalls, { timeout: 15_000 }).toBe(1);

    fixture.servers['database']!.clearRecords();
    const run = rt.callAgent('A', 'again');
    await fixture.servers['database']!.waitForRequest('tools/call', { timeoutMs: 20_000 });
    await rt.close();
    await expect(run).rejects.toSatisfy((error) => McpCancelledError.isInstance(error));
    await expect.poll(() => cancelledCalls, { timeout: 15_000 }).toBe(2);
    await expect(rt.callAgent('A', 'after')).rejects.toSatisfy((e) =>
      McpCancelledError.isInstance(e),
    );
  });
});
