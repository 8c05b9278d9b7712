// TFrameX's DataAnalyst example: an LLM agent that queries a database and an analytics API
// through mcp:// tools.
import type { McpToolSource } from '@tframex/mcp-api';
import { LLMAgent, TFrameXApp, type AgentResult, type ChatModel } from '../src/index.js';
import { ScriptedChatModel } from '../src/testing/index.js';
import { exampleModel } from './example-model.js';

export interface ExampleOptions {
  /** Servers `database` (tool `query`) and `api` (tool `analytics`). */
  tools: McpToolSource;
  llm?: ChatModel;
}

export async function main({ tools, llm }: ExampleOptions): Promise<AgentResult> {
  llm ??= exampleModel([
    {
      toolCalls: [
        { name: 'database__query', arguments: { sql: "SELECT * FROM sales WHERE quarter = 'Q4'" } },
        { name: 'api__analytics', arguments: { metric: 'revenue', period: '2023-Q4' } },
      ],
    },
    ScriptedChatModel.text('Q4 2023 revenue was 120k, up 12% on Q3.'),
  ]);
  const app = new TFrameXApp({ llm, tools });
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
  if (result.toolCalls.length === 0 || result.content === '') {
    throw new Error('DataAnalyst answered without using its MCP tools');
  }
  return result;
}
