// A TFrameX flow: a researcher with MCP tools, two reviewers in parallel, and a router that
// decides whether the report is published or revised.
import type { McpToolSource } from '@tframex/mcp-api';
import {
  Flow,
  LLMAgent,
  ParallelPattern,
  RouterPattern,
  TFrameXApp,
  type ChatModel,
  type FlowResult,
} from '../src/index.js';
import { ScriptedChatModel } from '../src/testing/index.js';
import { exampleModel } from './example-model.js';

export async function main({
  tools,
  models = {},
}: {
  tools: McpToolSource;
  models?: Partial<Record<'researcher' | 'legal' | 'finance' | 'editor' | 'publisher', ChatModel>>;
}): Promise<FlowResult> {
  const model = (key: keyof typeof models, script: Parameters<typeof exampleModel>[0]) =>
    models[key] ?? exampleModel(script);
  const app = new TFrameXApp({ tools });
  app
    .registerAgent(
      new LLMAgent({
        name: 'Researcher',
        tools: ['mcp://database/query'],
        llm: model('researcher', [
          ScriptedChatModel.toolCall('database__query', { sql: 'SELECT * FROM sales' }),
          ScriptedChatModel.text('Q4 revenue 120k (+12%).'),
        ]),
      }),
    )
    .registerAgent(
      new LLMAgent({
        name: 'Legal',
        llm: model('legal', [ScriptedChatModel.text('No legal issues.')]),
      }),
    )
    .registerAgent(
      new LLMAgent({
        name: 'Finance',
        llm: model('finance', [ScriptedChatModel.text('Figures check out.')]),
      }),
    )
    .registerAgent(
      new LLMAgent({
        name: 'Editor',
        systemPrompt: 'Answer with one word: publish or revise.',
        llm: model('editor', [ScriptedChatModel.text('publish')]),
      }),
    )
    .registerAgent(
      new LLMAgent({
        name: 'Publisher',
        llm: model('publisher', [ScriptedChatModel.text('Published: Q4 revenue 120k (+12%).')]),
      }),
    );
  app.registerFlow(
    new Flow({ name: 'quarterly-report', steps: ['Researcher'] })
      .addStep(new ParallelPattern('review', ['Legal', 'Finance']))
      .addStep(
        new RouterPattern('decide', {
          router: 'Editor',
          routes: { publish: 'Publisher', revise: 'Researcher' },
        }),
      ),
  );
  await using rt = await app.runContext();
  // `return await`: the runtime must stay open until the flow is done.
  return await rt.runFlow('quarterly-report', 'Write the Q4 2023 sales report');
}
