// An MCP server's tool asks the client to sample a model (`sampling/createMessage`): the agent
// whose call caused it answers with its own model, after the app's approval hook.
import type { McpToolSource } from '@tframex/mcp-api';
import { LLMAgent, TFrameXApp, type AgentResult, type ChatModel } from '../src/index.js';
import { ScriptedChatModel } from '../src/testing/index.js';
import { exampleModel } from './example-model.js';

export async function main({
  tools,
  llm,
}: {
  /** A server `writer` with a tool `summarize { text }` that asks for sampling. */
  tools: McpToolSource;
  llm?: ChatModel;
}): Promise<{ result: AgentResult; approvals: string[] }> {
  llm ??= exampleModel([
    ScriptedChatModel.toolCall('writer__summarize', { text: 'Q4 revenue rose 12% to 120k.' }),
    ScriptedChatModel.text('Revenue up 12% in Q4.'), // answers the server's sampling request
    ScriptedChatModel.text('The summary: revenue up 12% in Q4.'),
  ]);
  const approvals: string[] = [];
  const app = new TFrameXApp({
    tools,
    approveSampling: ({ agent, server }) => {
      approvals.push(`${agent ?? 'app'} for ${server}`);
      return server === 'writer';
    },
    samplingRateLimit: { maxRequests: 10, windowMs: 60_000 },
  });
  app.registerAgent(new LLMAgent({ name: 'Summarizer', llm, tools: ['mcp://writer/summarize'] }));
  await using rt = await app.runContext();
  const result = await rt.callAgent('Summarizer', 'Summarize the Q4 report');
  if (approvals.length === 0) throw new Error('the server asked for no sampling');
  return { result, approvals };
}
