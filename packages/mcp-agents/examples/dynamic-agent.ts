// TFrameX's dynamic tool loading example: the agent decides per prompt which mcp:// tools it
// needs, loads them once and registers them with the runtime.
import type { McpToolSource } from '@tframex/mcp-api';
import {
  LLMAgent,
  TFrameXApp,
  type AgentResult,
  type ChatModel,
  type Runtime,
} from '../src/index.js';
import { ScriptedChatModel } from '../src/testing/index.js';
import { exampleModel } from './example-model.js';

export class MCPAgent extends LLMAgent {
  override async analyzeToolNeeds(prompt: string): Promise<string[]> {
    const needs: string[] = [];
    if (/sales|revenue|orders/i.test(prompt)) needs.push('mcp://database/query');
    if (/trend|forecast|analytics/i.test(prompt)) needs.push('mcp://api/analytics');
    return needs;
  }

  override async run(prompt: string, runtime: Runtime) {
    for (const uri of await this.analyzeToolNeeds(prompt))
      if (!this.toolCache.has(uri)) runtime.registerTool(await this.loadMcpTool(uri));
    return super.run(prompt, runtime);
  }
}

export async function main({
  tools,
  llm,
}: {
  tools: McpToolSource;
  llm?: ChatModel;
}): Promise<{ answers: AgentResult[]; loaded: string[] }> {
  llm ??= exampleModel([
    ScriptedChatModel.toolCall('database__query', { sql: 'SELECT sum(total) FROM orders' }),
    ScriptedChatModel.text('Orders total 120k.'),
    ScriptedChatModel.toolCall('api__analytics', { metric: 'revenue' }),
    ScriptedChatModel.text('Revenue is trending up.'),
  ]);
  const app = new TFrameXApp({ llm, tools });
  const agent = new MCPAgent({ name: 'Dynamic', description: 'Loads tools as it needs them' });
  app.registerAgent(agent);
  await using rt = await app.runContext();
  const answers = [
    await rt.callAgent('Dynamic', 'What is the total of our orders?'),
    await rt.callAgent('Dynamic', 'What is the revenue trend?'),
  ];
  const loaded = [...agent.toolCache.keys()].sort();
  if (loaded.length !== 2) throw new Error(`expected two loaded tools, got ${loaded.join(', ')}`);
  return { answers, loaded };
}
