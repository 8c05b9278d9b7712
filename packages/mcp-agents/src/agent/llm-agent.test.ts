import {
  defineMcpTool,
  FLAT_TOOL_NAME_PATTERN,
  McpCancelledError,
  McpConfigError,
} from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { TFrameXApp } from '../app/tframex-app.js';
import type { ChatMessage } from '../model/chat-model.js';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { LLMAgent } from './llm-agent.js';

let fixture: McpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function salesServers() {
  fixture = await startMcpFixture({
    database: (server) => {
      server.addTool('query', ({ sql }) => [{ quarter: 'Q4', revenue: 120, sql }], {
        description: 'Runs SQL',
        inputSchema: z.object({ sql: z.string() }),
      });
      server.addTool('fail', () => {
        throw new Error('disk full');
      });
    },
    api: (server) => {
      server.addTool('analytics', ({ metric }) => ({ metric, trend: 'up' }), {
        description: 'Analytics API',
        inputSchema: z.object({ metric: z.string() }),
      });
    },
  });
  return fixture;
}

const toolNames = (model: ScriptedChatModel, call = 0) =>
  (model.requests[call]?.tools ?? []).map((tool) => tool.name);
const toolMessages = (messages: ChatMessage[]) =>
  messages.filter((message) => message.role === 'tool');

describe('LLMAgent with mcp:// tools on real MCP servers (driven by a scripted model double)', () => {
  it('runs the TFrameX DataAnalyst example: parallel tool calls, results back to the model', async () => {
    const { source, servers } = await salesServers();
    const llm = new ScriptedChatModel({
      script: [
        {
          toolCalls: [
            { name: 'database__query', arguments: { sql: 'SELECT * FROM sales' }, id: 'c1' },
            { name: 'api__analytics', arguments: { metric: 'revenue' }, id: 'c2' },
          ],
        },
        { text: 'Q4 2023 revenue was 120 and trending up.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: source });
    app.registerAgent(
      new LLMAgent({
        name: 'DataAnalyst',
        description: 'Analyzes data from multiple sources',
        tools: ['mcp://database/query', 'mcp://api/analytics'],
        systemPrompt: 'You can access databases and analytics APIs through MCP.',
      }),
    );
    await using rt = await app.runContext();
    const result = await rt.callAgent('DataAnalyst', 'Analyze sales data for Q4 2023');

    expect(result.content).toBe('Q4 2023 revenue was 120 and trending up.');
    expect(result.stopReason).toBe('completed');
    expect(result.modelCalls).toBe(2);
    expect(result.toolCalls.map((call) => [call.uri, call.outcome])).toEqual([
      ['mcp://database/query', 'ok'],
      ['mcp://api/analytics', 'ok'],
    ]);
    expect(servers['database']!.callsTo('query')[0]?.params).toMatchObject({
      arguments: { sql: 'SELECT * FROM sales' },
    });
    expect(toolNames(llm)).toEqual(['database__query', 'api__analytics']);
    expect(llm.requests[0]?.messages[0]).toEqual({
      role: 'system',
      content: 'You can access databases and analytics APIs through MCP.',
    });
    const second = llm.requests[1]!.messages;
    expect(toolMessages(second)).toEqual([
      expect.objectContaining({
        toolCallId: 'c1',
        content: expect.stringContaining('"revenue":120'),
      }),
      expect.objectContaining({
        toolCallId: 'c2',
        content: expect.stringContaining('"trend":"up"'),
      }),
    ]);
  });

  it('takes tools by wildcard, flattened name, app-registered name and plain function', async () => {
    const { source } = await salesServers();
    const clock = defineMcpTool({ name: 'clock', description: 'Time', run: () => '12:00' });
    const llm = new ScriptedChatModel({
      script: [ScriptedChatModel.toolCall('clock'), { text: 'It is noon.' }],
    });
    const app = new TFrameXApp({ llm, tools: source });
    app.registerTool(
      defineMcpTool({ name: 'weather', description: 'Weather', run: () => 'sunny' }),
    );
    app.registerAgent(
      new LLMAgent({
        name: 'Helper',
        tools: ['mcp://database/*', 'api__analytics', 'weather', clock],
      }),
    );
    await using rt = await app.runContext();
    const result = await rt.callAgent('Helper', 'time?');
    expect(result.content).toBe('It is noon.');
    const names = toolNames(llm);
    expect(names.sort()).toEqual(
      ['api__analytics', 'clock', 'database__fail', 'database__query', 'weather'].sort(),
    );
    for (const name of names) expect(name).toMatch(FLAT_TOOL_NAME_PATTERN);
  });

  it('keeps names the model sees unique and within 64 characters', async () => {
    fixture = await startMcpFixture({
      a: (server) => server.addTool('x'.repeat(80), () => 'long'),
    });
    const twin = defineMcpTool({ name: 'a__dup', description: 'one', run: () => 'one' });
    const twin2 = defineMcpTool({ name: 'a__dup', description: 'two', run: () => 'two' });
    const llm = new ScriptedChatModel({ script: [{ text: 'ok' }] });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(new LLMAgent({ name: 'N', tools: ['mcp://a/*', twin, twin2] }));
    await using rt = await app.runContext();
    await rt.callAgent('N', 'go');
    const names = toolNames(llm);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(FLAT_TOOL_NAME_PATTERN);
  });

  it('tells the model about unknown tools, invalid arguments and failing tools, and goes on', async () => {
    const { source, servers } = await salesServers();
    const llm = new ScriptedChatModel({
      script: [
        {
          toolCalls: [
            { name: 'no_such_tool', arguments: {} },
            { name: 'database__query', arguments: { sql: 42 } },
            { name: 'database__query', arguments: '{not json' },
            { name: 'database__fail', arguments: {} },
          ],
        },
        { text: 'Sorry, the tools failed.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: source });
    app.registerAgent(new LLMAgent({ name: 'A', tools: ['mcp://database/*'] }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('A', 'go');
    expect(result.toolCalls.map((call) => call.outcome)).toEqual([
      'unknown-tool',
      'invalid-arguments',
      'invalid-arguments',
      'tool-error',
    ]);
    expect(servers['database']!.callsTo('query')).toHaveLength(0);
    const told = toolMessages(llm.requests[1]!.messages).map((m) => m.role === 'tool' && m.content);
    expect(told[0]).toMatch(/no tool named "no_such_tool".*database__query/);
    expect(told[1]).toMatch(/do not match the tool's input schema.*sql/);
    expect(told[2]).toMatch(/not valid JSON/);
    expect(told[3]).toMatch(/^Error: .*disk full/);
    expect(result.content).toBe('Sorry, the tools failed.');
  });

  it('stops a model that never stops calling tools at maxToolIterations', async () => {
    const { source, servers } = await salesServers();
    const llm = new ScriptedChatModel({
      respond: () => ScriptedChatModel.toolCall('database__query', { sql: 'again' }),
    });
    const app = new TFrameXApp({ llm, tools: source });
    app.registerAgent(
      new LLMAgent({ name: 'Loop', tools: ['mcp://database/query'], maxToolIterations: 3 }),
    );
    await using rt = await app.runContext();
    const result = await rt.callAgent('Loop', 'go');
    expect(result.stopReason).toBe('max-tool-iterations');
    expect(result.modelCalls).toBe(4);
    expect(servers['database']!.callsTo('query')).toHaveLength(3);
    expect(result.content).toMatch(/stopped after 3 rounds/);
    // The conversation stays valid: the unrun calls were answered too.
    const last = result.messages.at(-1);
    expect(last).toMatchObject({ role: 'tool', isError: true });
  });

  it('runs the tool calls of one turn in parallel, at most maxParallelToolCalls at once', async () => {
    let active = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    fixture = await startMcpFixture({
      slow: (server) =>
        server.addTool('work', async () => {
          active++;
          peak = Math.max(peak, active);
          await gate;
          active--;
          return 'done';
        }),
    });
    const calls = Array.from({ length: 5 }, (_, i) => ({ name: 'slow__work', arguments: { i } }));
    const llm = new ScriptedChatModel({ script: [{ toolCalls: calls }, { text: 'all done' }] });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(
      new LLMAgent({ name: 'P', tools: ['mcp://slow/work'], maxParallelToolCalls: 2 }),
    );
    await using rt = await app.runContext();
    const run = rt.callAgent('P', 'go');
    await expect.poll(() => active, { timeout: 15_000 }).toBe(2);
    release();
    const result = await run;
    expect(peak).toBe(2);
    expect(result.toolCalls.map((call) => call.outcome)).toEqual(Array(5).fill('ok'));
  });

  it('cuts a hung tool at its timeout and tells the model', async () => {
    fixture = await startMcpFixture({
      slow: (server) =>
        server.addTool('hang', (_args, context) => {
          // Answers only when cancelled (whether the cancellation reaches a handler that has
          // not started yet is the session's business, tested in mcp-testing).
          return new Promise((resolve) =>
            context.signal.addEventListener('abort', () => resolve('late')),
          );
        }),
    });
    const llm = new ScriptedChatModel({
      script: [ScriptedChatModel.toolCall('slow__hang'), { text: 'gave up' }],
    });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(new LLMAgent({ name: 'T', tools: ['mcp://slow/hang'], toolTimeoutMs: 300 }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('T', 'go');
    expect(result.toolCalls[0]?.outcome).toBe('timeout');
    expect(result.content).toBe('gave up');
    expect(toolMessages(llm.requests[1]!.messages)[0]).toMatchObject({
      content: expect.stringMatching(/did not answer within 300 ms/),
    });
  });

  it('cancels a whole run with its signal (McpCancelledError) and the server sees it', async () => {
    let cancelled = false;
    fixture = await startMcpFixture({
      slow: (server) =>
        server.addTool('hang', (_args, context) => {
          return new Promise((resolve) => {
            context.signal.addEventListener('abort', () => {
              cancelled = true;
              resolve('late');
            });
          });
        }),
    });
    const llm = new ScriptedChatModel({ script: [ScriptedChatModel.toolCall('slow__hang')] });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(new LLMAgent({ name: 'C', tools: ['mcp://slow/hang'] }));
    await using rt = await app.runContext();
    const controller = new AbortController();
    const run = rt.callAgent('C', 'go', { signal: controller.signal });
    await fixture.servers['slow']!.waitForRequest('tools/call', { timeoutMs: 20_000 });
    controller.abort();
    await expect(run).rejects.toSatisfy((error) => McpCancelledError.isInstance(error));
    await expect.poll(() => cancelled, { timeout: 15_000 }).toBe(true);
  });

  it('asks approval for destructive or listed tools; without a hook they are denied', async () => {
    const dropped: string[] = [];
    fixture = await startMcpFixture({
      db: (server) => {
        server.addTool('drop_table', ({ table }) => dropped.push(String(table)), {
          annotations: { destructiveHint: true },
        });
        server.addTool('truncate', () => 'truncated');
      },
    });
    const script = () => [
      {
        toolCalls: [
          { name: 'db__drop_table', arguments: { table: 'users' } },
          { name: 'db__truncate', arguments: {} },
        ],
      },
      { text: 'ok' },
    ];
    const denied = new ScriptedChatModel({ script: script() });
    const app = new TFrameXApp({ llm: denied, tools: fixture.source });
    app.registerAgent(
      new LLMAgent({
        name: 'NoHook',
        tools: ['mcp://db/*'],
        requireApproval: ['mcp://db/truncate'],
      }),
    );
    const asked: string[] = [];
    app.registerAgent(
      new LLMAgent({
        name: 'WithHook',
        llm: new ScriptedChatModel({ script: script() }),
        tools: ['mcp://db/*'],
        requireApproval: ['mcp://db/truncate'],
        approveToolCall: (request) => {
          asked.push(`${request.uri} ${request.reason}`);
          return request.reason === 'destructive';
        },
      }),
    );
    await using rt = await app.runContext();
    const first = await rt.callAgent('NoHook', 'drop it');
    expect(first.toolCalls.map((call) => call.outcome)).toEqual(['denied', 'denied']);
    expect(dropped).toEqual([]);
    expect(fixture.servers['db']!.requestsFor('tools/call')).toHaveLength(0);

    const second = await rt.callAgent('WithHook', 'drop it');
    expect(second.toolCalls.map((call) => call.outcome)).toEqual(['ok', 'denied']);
    expect(dropped).toEqual(['users']);
    expect(asked.sort()).toEqual(['mcp://db/drop_table destructive', 'mcp://db/truncate listed']);
  });

  it('remembers the LAST historyLimit messages of earlier calls', async () => {
    const llm = new ScriptedChatModel({ respond: (_r, call) => ({ text: `answer ${call + 1}` }) });
    const app = new TFrameXApp({ llm });
    app.registerAgent(new LLMAgent({ name: 'M', systemPrompt: 'sys', historyLimit: 2 }));
    await using rt = await app.runContext();
    for (const input of ['one', 'two', 'three']) await rt.callAgent('M', input);
    expect(llm.requests[2]!.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'answer 2' },
      { role: 'user', content: 'three' },
    ]);
    // A new runtime starts with an empty memory.
    await using fresh = await app.runContext();
    await fresh.callAgent('M', 'four');
    expect(llm.requests[3]!.messages).toHaveLength(2);
  });

  it('offers callable agents to the model as tools, and they work', async () => {
    const researcher = new ScriptedChatModel({ script: [{ text: 'Q4 revenue: 120' }] });
    const manager = new ScriptedChatModel({
      script: [
        ScriptedChatModel.toolCall('Researcher', { input_message: 'Find Q4 revenue' }),
        { text: 'The researcher says revenue was 120.' },
      ],
    });
    const app = new TFrameXApp({ llm: manager });
    app.registerAgent(
      new LLMAgent({ name: 'Researcher', description: 'Finds facts', llm: researcher }),
    );
    app.registerAgent(new LLMAgent({ name: 'Manager', callableAgents: ['Researcher'] }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('Manager', 'What was Q4 revenue?');
    expect(result.content).toBe('The researcher says revenue was 120.');
    expect(manager.requests[0]?.tools?.[0]).toMatchObject({
      name: 'Researcher',
      description: expect.stringContaining('Finds facts'),
    });
    expect(researcher.requests[0]?.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Find Q4 revenue',
    });
    expect(toolMessages(manager.requests[1]!.messages)[0]).toMatchObject({
      content: 'Q4 revenue: 120',
    });
  });

  it('cuts a huge tool result to maxToolResultChars, saying so', async () => {
    fixture = await startMcpFixture({
      big: (server) => server.addTool('dump', () => 'x'.repeat(50_000)),
    });
    const llm = new ScriptedChatModel({
      script: [ScriptedChatModel.toolCall('big__dump'), { text: 'too much' }],
    });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(
      new LLMAgent({ name: 'B', tools: ['mcp://big/dump'], maxToolResultChars: 1_000 }),
    );
    await using rt = await app.runContext();
    await rt.callAgent('B', 'go');
    const told = toolMessages(llm.requests[1]!.messages)[0];
    expect(told?.role === 'tool' && told.content.length).toBeLessThan(1_200);
    expect(told?.role === 'tool' && told.content).toMatch(/49000 more characters cut/);
  });

  it('bounds agents calling agents by maxAgentDepth, and rejects an unknown callable agent', async () => {
    const llm = new ScriptedChatModel({
      respond: (request) => {
        const last = request.messages.at(-1);
        return last?.role === 'tool'
          ? { text: `after: ${last.content}` }
          : ScriptedChatModel.toolCall('Echo', { input_message: 'deeper' });
      },
    });
    const app = new TFrameXApp({ llm, maxAgentDepth: 2 });
    app.registerAgent(new LLMAgent({ name: 'Echo', callableAgents: ['Echo'] }));
    app.registerAgent(new LLMAgent({ name: 'Lonely', callableAgents: ['Nobody'] }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('Echo', 'start');
    // Depth 0 → 1 → 2; the call from depth 2 is refused and each level answers.
    expect(result.content).toBe(
      'after: after: after: Error: Not run: agents may call agents at most 2 levels deep.',
    );
    expect(llm.requests).toHaveLength(6);
    await expect(rt.callAgent('Lonely', 'hi')).rejects.toThrow(/No agent "Nobody"/);
  });

  it('fails clearly on an unknown agent, an unknown tool URI, a missing model', async () => {
    const { source } = await salesServers();
    const app = new TFrameXApp({ tools: source });
    app.registerAgent(new LLMAgent({ name: 'NoModel' }));
    app.registerAgent(
      new LLMAgent({
        name: 'BadTool',
        llm: new ScriptedChatModel({ script: [{ text: 'x' }] }),
        tools: ['mcp://database/nope'],
      }),
    );
    await using rt = await app.runContext();
    await expect(rt.callAgent('Ghost', 'hi')).rejects.toThrow(/No agent "Ghost".*NoModel, BadTool/);
    await expect(rt.callAgent('Ghost', 'hi')).rejects.toSatisfy((e) =>
      McpConfigError.isInstance(e),
    );
    await expect(rt.callAgent('NoModel', 'hi')).rejects.toThrow(/has no model/);
    await expect(rt.callAgent('BadTool', 'hi')).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && /no tool "nope"/.test((e as Error).message),
    );
    expect(() => new LLMAgent({ name: '' })).toThrow(/LLMAgent\.name/);
    expect(() => new LLMAgent({ name: 'x', maxToolIterations: -1 })).toThrow(/maxToolIterations/);
    expect(() => app.registerAgent(new LLMAgent({ name: 'NoModel' }))).toThrow(
      /already registered/,
    );
  });

  it('strips think tags when asked, and passes all content of a result (images, structuredContent)', async () => {
    fixture = await startMcpFixture({
      viz: (server) =>
        server.addTool('chart', () => ({
          content: [
            { type: 'text', text: 'chart of Q4' },
            { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
          ],
          structuredContent: { points: 4 },
        })),
    });
    const llm = new ScriptedChatModel({
      acceptsImages: true,
      script: [
        ScriptedChatModel.toolCall('viz__chart'),
        { text: '<think>hmm</think>Four points.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(
      new LLMAgent({ name: 'V', tools: ['mcp://viz/chart'], stripThinkTags: true }),
    );
    await using rt = await app.runContext();
    const result = await rt.callAgent('V', 'draw');
    expect(result.content).toBe('Four points.');
    const second = llm.requests[1]!.messages;
    const tool = toolMessages(second)[0];
    expect(tool?.role === 'tool' && tool.content).toContain('chart of Q4');
    expect(tool?.role === 'tool' && tool.content).toContain('{"points":4}');
    expect(second.at(-1)).toMatchObject({
      role: 'user',
      content: expect.arrayContaining([
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
      ]),
    });
  });
});
