import { afterEach, describe, expect, it } from 'vitest';
import { LLMAgent } from '../agent/llm-agent.js';
import { TFrameXApp } from '../app/tframex-app.js';
import { startMcpFixture, type McpFixture } from '../test-support/mcp-fixture.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';

let fixture: McpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const toolText = (model: ScriptedChatModel, request: number, index = 0) => {
  const tools = model.requests[request]!.messages.filter((message) => message.role === 'tool');
  const message = tools[index];
  return message?.role === 'tool' ? message.content : undefined;
};

describe("TFrameX's five MCP meta-tools", () => {
  it('let the model list servers, list and read resources, list and use prompts', async () => {
    fixture = await startMcpFixture({
      docs: (server) => {
        server.addResource('file:///docs/q4.md', '# Q4\nRevenue grew 12%.', {
          description: 'Q4 report',
          mimeType: 'text/markdown',
        });
        server.addPrompt('summarize', ({ topic }) => `Summarize ${topic} in one line.`, {
          description: 'Summary prompt',
          arguments: [{ name: 'topic', required: true }],
        });
      },
      db: (server) => server.addTool('query', () => 'rows'),
    });
    const llm = new ScriptedChatModel({
      script: [
        {
          toolCalls: [
            { name: 'list_mcp_servers', arguments: {} },
            { name: 'list_mcp_resources', arguments: { server_alias: 'docs' } },
            {
              name: 'read_mcp_resource',
              arguments: { server_alias: 'docs', resource_uri: 'file:///docs/q4.md' },
            },
            { name: 'list_mcp_prompts', arguments: {} },
            {
              name: 'use_mcp_prompt',
              arguments: {
                server_alias: 'docs',
                prompt_name: 'summarize',
                arguments: { topic: 'Q4' },
              },
            },
            { name: 'read_mcp_resource', arguments: { server_alias: 'nope', resource_uri: 'x' } },
          ],
        },
        { text: 'Revenue grew 12% in Q4.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: fixture.source });
    app.registerAgent(new LLMAgent({ name: 'Reader', useMcpMetaTools: true }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('Reader', 'What does the Q4 report say?');
    expect((llm.requests[0]?.tools ?? []).map((tool) => tool.name)).toEqual([
      'list_mcp_servers',
      'list_mcp_resources',
      'read_mcp_resource',
      'list_mcp_prompts',
      'use_mcp_prompt',
    ]);
    expect(result.toolCalls.map((call) => call.outcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'tool-error',
    ]);
    expect(JSON.parse(toolText(llm, 1, 0)!)).toEqual([
      expect.objectContaining({ alias: 'docs', server: 'docs' }),
      expect.objectContaining({ alias: 'db', server: 'db' }),
    ]);
    expect(JSON.parse(toolText(llm, 1, 1)!)).toEqual({
      docs: [
        expect.objectContaining({
          uri: 'file:///docs/q4.md',
          description: 'Q4 report',
          mimeType: 'text/markdown',
        }),
      ],
    });
    expect(toolText(llm, 1, 2)).toBe('# Q4\nRevenue grew 12%.');
    expect(JSON.parse(toolText(llm, 1, 3)!)).toMatchObject({
      docs: [{ name: 'summarize', description: 'Summary prompt' }],
      db: [],
    });
    expect(JSON.parse(toolText(llm, 1, 4)!)).toEqual([
      { role: 'user', content: 'Summarize Q4 in one line.' },
    ]);
    expect(toolText(llm, 1, 5)).toMatch(/No MCP server "nope"; known servers: docs, db/);
  });
});
