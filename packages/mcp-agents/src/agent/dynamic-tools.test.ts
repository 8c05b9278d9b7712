import { defineMcpTool } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Runtime } from '../app/runtime.js';
import { TFrameXApp } from '../app/tframex-app.js';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import type { AgentEvent } from './agent-result.js';
import { LLMAgent } from './llm-agent.js';

let fixture: McpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** TFrameX's dynamic tool loading example, in TypeScript. */
class MCPAgent extends LLMAgent {
  loads = 0;

  override async analyzeToolNeeds(prompt: string): Promise<string[]> {
    const needs: string[] = [];
    if (/sales|revenue/i.test(prompt)) needs.push('mcp://database/query');
    if (/trend|analytics/i.test(prompt)) needs.push('mcp://api/analytics');
    return needs;
  }

  override async run(prompt: string, runtime: Runtime) {
    for (const uri of await this.analyzeToolNeeds(prompt)) {
      if (!this.toolCache.has(uri)) {
        this.loads++;
        runtime.registerTool(await this.loadMcpTool(uri));
      }
    }
    return super.run(prompt, runtime);
  }
}

async function servers() {
  fixture = await startMcpFixture({
    database: (server) => {
      server.addTool('query', ({ sql }) => [{ revenue: 120, sql }], {
        inputSchema: z.object({ sql: z.string() }),
      });
      server.addTool('add_report_tool', () => {
        server.addTool('report', () => 'report ready');
        return 'added';
      });
    },
    api: (server) =>
      server.addTool('analytics', ({ metric }) => ({ metric, trend: 'up' }), {
        inputSchema: z.object({ metric: z.string() }),
      }),
  });
  return fixture;
}

/** Resolves at the next tool-list change the source reports. */
function nextToolsChange(fixture: McpFixture): Promise<string> {
  return new Promise((resolve) => {
    const off = fixture.source.onToolsChanged((event) => {
      off();
      resolve(event.server);
    });
  });
}

const namesSeen = (model: ScriptedChatModel, call: number) =>
  (model.requests[call]?.tools ?? []).map((tool) => tool.name).sort();

describe('dynamic tool loading and tool-list changes', () => {
  it('loads the tools a prompt needs (analyzeToolNeeds → loadMcpTool → runtime.registerTool), once', async () => {
    const { source, servers: mock } = await servers();
    const llm = new ScriptedChatModel({
      script: [
        ScriptedChatModel.toolCall('database__query', { sql: 'SELECT 1' }),
        { text: 'Revenue 120.' },
        ScriptedChatModel.toolCall('api__analytics', { metric: 'revenue' }),
        { text: 'Trending up.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: source });
    const agent = new MCPAgent({ name: 'Dynamic' });
    app.registerAgent(agent);
    await using rt = await app.runContext();

    expect((await rt.callAgent('Dynamic', 'Q4 sales?')).content).toBe('Revenue 120.');
    expect(namesSeen(llm, 0)).toEqual(['database__query']);
    expect(mock['database']!.callsTo('query')).toHaveLength(1);

    expect((await rt.callAgent('Dynamic', 'revenue trend from analytics?')).content).toBe(
      'Trending up.',
    );
    expect(namesSeen(llm, 2)).toEqual(['api__analytics', 'database__query']);
    expect(agent.loads).toBe(2);

    // After the server's list changed, the cached tool and the registered one are still one tool.
    const changed = nextToolsChange(fixture!);
    mock['database']!.addTool('other', () => 'x');
    await changed;
    const more = new ScriptedChatModel({ script: [{ text: 'ok' }] });
    await new MCPAgent({ name: 'Again', llm: more, toolSource: source }).run('sales', rt);
    expect(namesSeen(more, 0)).toEqual(['api__analytics', 'database__query']);
    expect([...agent.toolCache.keys()].sort()).toEqual([
      'mcp://api/analytics',
      'mcp://database/query',
    ]);
  });

  it('by default, analyzeToolNeeds finds the mcp:// URIs a prompt names', async () => {
    const agent = new LLMAgent({ name: 'x' });
    expect(
      await agent.analyzeToolNeeds('use mcp://database/query and mcp://api/analytics, then stop'),
    ).toEqual(['mcp://database/query', 'mcp://api/analytics']);
  });

  it('a tool that appears on a server mid-run is offered and callable in the next turn', async () => {
    const fx = await servers();
    const changed = nextToolsChange(fx);
    const llm = new ScriptedChatModel({
      script: [
        ScriptedChatModel.toolCall('database__add_report_tool'),
        async () => {
          // The server announced the new tool; the model calls it right away.
          expect(await changed).toBe('database');
          return ScriptedChatModel.toolCall('database__report');
        },
        { text: 'Report ready.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: fx.source });
    app.registerAgent(new LLMAgent({ name: 'A', tools: ['mcp://database/*'] }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('A', 'make a report');
    expect(result.toolCalls.map((call) => [call.name, call.outcome])).toEqual([
      ['database__add_report_tool', 'ok'],
      ['database__report', 'ok'],
    ]);
    expect(namesSeen(llm, 0)).toEqual(['database__add_report_tool', 'database__query']);
    expect(namesSeen(llm, 2)).toEqual([
      'database__add_report_tool',
      'database__query',
      'database__report',
    ]);
  });

  it('a tool removed from a server is no longer offered, and a cached one is dropped', async () => {
    const fx = await servers();
    const llm = new ScriptedChatModel({ respond: () => ({ text: 'ok' }) });
    const app = new TFrameXApp({ llm, tools: fx.source });
    const agent = new LLMAgent({ name: 'A', tools: ['mcp://api/*'] });
    app.registerAgent(agent);
    await agent.loadMcpTool('mcp://database/query');
    const events: AgentEvent[] = [];
    await using rt = await app.runContext();
    await rt.callAgent('A', 'one');
    expect(namesSeen(llm, 0)).toEqual(['api__analytics', 'database__query']);

    const changes = Promise.all([nextToolsChange(fx), nextToolsChange(fx)]);
    fx.servers['api']!.removeTool('analytics');
    fx.servers['database']!.removeTool('query');
    await changes;
    await rt.callAgent('A', 'two', { onEvent: (event) => events.push(event) });
    expect(namesSeen(llm, 1)).toEqual([]);
    expect(agent.toolCache.size).toBe(0);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'tool-unavailable', spec: 'mcp://database/query' }),
    );
  });

  it('a tool registered with the runtime during a run is offered from the next turn', async () => {
    const llm = new ScriptedChatModel({
      script: [
        ScriptedChatModel.toolCall('install'),
        ScriptedChatModel.toolCall('greet'),
        { text: 'done' },
      ],
    });
    const app = new TFrameXApp({ llm });
    await using rt = await app.runContext();
    app.registerTool(
      defineMcpTool({
        name: 'install',
        description: 'installs greet',
        run: () => {
          rt.registerTool(defineMcpTool({ name: 'greet', description: 'hi', run: () => 'hello' }));
          return 'installed';
        },
      }),
    );
    app.registerAgent(new LLMAgent({ name: 'A', tools: ['install'] }));
    const result = await rt.callAgent('A', 'go');
    expect(result.toolCalls.map((call) => call.outcome)).toEqual(['ok', 'ok']);
    expect(namesSeen(llm, 1)).toEqual(['greet', 'install']);
  });
});

describe('a server that is down', () => {
  it('costs only its own tools: the run goes on with the others and reports the missing ones', async () => {
    const fx = await servers();
    await fx.servers['api']!.stop();
    const llm = new ScriptedChatModel({
      script: [
        ScriptedChatModel.toolCall('database__query', { sql: 'SELECT 1' }),
        { text: 'Only the database answered.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: fx.source });
    app.registerAgent(
      new LLMAgent({ name: 'A', tools: ['mcp://database/query', 'mcp://api/analytics'] }),
    );
    await using rt = await app.runContext();
    const events: AgentEvent[] = [];
    const result = await rt.callAgent('A', 'go', { onEvent: (event) => events.push(event) });
    expect(result.content).toBe('Only the database answered.');
    expect(namesSeen(llm, 0)).toEqual(['database__query']);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'tool-unavailable', spec: 'mcp://api/analytics' }),
    );
  });
});
