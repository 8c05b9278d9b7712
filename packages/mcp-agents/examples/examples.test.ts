// Runs the TFrameX agent examples against real MCP servers (MockMCPServer over HTTP), with the
// scripted model double: no real model runs in tests.
import { MCPTestClient, MCPTestToolSource, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { main as dataAnalyst } from './data-analyst.js';
import { main as dynamicAgent } from './dynamic-agent.js';
import { main as reportFlow } from './report-flow.js';
import { main as samplingAgent } from './sampling-agent.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** `database` (query) and `api` (analytics) MockMCPServers over HTTP, as one tool source. */
async function salesServers() {
  const database = new MockMCPServer({ name: 'database' });
  database.addTool('query', ({ sql }) => [{ quarter: 'Q4', revenue: 120_000, sql }], {
    inputSchema: z.object({ sql: z.string() }),
  });
  const api = new MockMCPServer({ name: 'api' });
  api.addTool('analytics', ({ metric }) => ({ metric, trend: 'up', change: 0.12 }), {
    inputSchema: z.object({ metric: z.string(), period: z.string().optional() }),
  });
  await database.start();
  await api.start();
  const clients = {
    database: new MCPTestClient(database.url, { name: 'database' }),
    api: new MCPTestClient(api.url, { name: 'api' }),
  };
  const tools = new MCPTestToolSource({ servers: clients });
  stops.push(async () => {
    await tools.close();
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await database.stop();
    await api.stop();
  });
  return { tools, database, api };
}

describe.skipIf(Boolean(process.env['OPENAI_BASE_URL']))('TFrameX agent examples', () => {
  it('data-analyst: the agent queries both servers and answers', async () => {
    const { tools, database, api } = await salesServers();
    const result = await dataAnalyst({ tools });
    expect(result.content).toContain('Q4 2023');
    expect(database.callsTo('query')).toHaveLength(1);
    expect(api.callsTo('analytics')).toHaveLength(1);
  });

  it('dynamic-agent: tools are loaded as prompts need them', async () => {
    const { tools } = await salesServers();
    const { answers, loaded } = await dynamicAgent({ tools });
    expect(loaded).toEqual(['mcp://api/analytics', 'mcp://database/query']);
    expect(answers.map((answer) => answer.content)).toEqual([
      'Orders total 120k.',
      'Revenue is trending up.',
    ]);
  });

  it('report-flow: research, parallel review, routed publication', async () => {
    const { tools, database } = await salesServers();
    const result = await reportFlow({ tools });
    expect(result.content).toBe('Published: Q4 revenue 120k (+12%).');
    expect(result.history.map((record) => record.step)).toEqual([
      'Researcher',
      'Legal',
      'Finance',
      'Editor',
      'Publisher',
    ]);
    expect(database.callsTo('query')).toHaveLength(1);
  });

  it('sampling-agent: a tool samples the model of the agent that called it', async () => {
    const writer = new MockMCPServer({ name: 'writer' });
    writer.addTool(
      'summarize',
      async ({ text }, context) => {
        const answer = await context.ask('sampling/createMessage', {
          messages: [{ role: 'user', content: { type: 'text', text: `Summarize: ${text}` } }],
          maxTokens: 60,
        });
        return `summary: ${(answer['content'] as { text?: string }).text ?? ''}`;
      },
      { inputSchema: z.object({ text: z.string() }) },
    );
    await writer.start();
    const client = new MCPTestClient(writer.url, { name: 'writer' });
    const tools = new MCPTestToolSource({ servers: { writer: client } });
    stops.push(async () => {
      await tools.close();
      await client.close();
      await writer.stop();
    });
    const { result, approvals } = await samplingAgent({ tools });
    expect(approvals).toEqual(['Summarizer for writer']);
    expect(result.toolCalls[0]?.result.content).toEqual([
      { type: 'text', text: 'summary: Revenue up 12% in Q4.' },
    ]);
    expect(result.content).toBe('The summary: revenue up 12% in Q4.');
  });
});
