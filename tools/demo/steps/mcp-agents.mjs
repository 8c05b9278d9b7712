// Demo step of @tframex/mcp-agents: a TFrameX DataAnalyst agent answers a stock question
// through mcp:// tools of the demo's registry. The model is a scripted double (said so in the
// output) unless OPENAI_BASE_URL (with OPENAI_API_KEY, OPENAI_MODEL) names a real one.
import { LLMAgent, OpenAIChatLLM, TFrameXApp } from '@tframex/mcp-agents';
import { ScriptedChatModel } from '@tframex/mcp-agents/testing';

const QUESTION = 'How many desk lamps (B-200) and USB-C cables (A-100) do we hold, in total?';

function model() {
  const baseUrl = process.env.OPENAI_BASE_URL;
  if (baseUrl) {
    const llm = new OpenAIChatLLM({
      baseUrl,
      model: process.env.OPENAI_MODEL || 'gpt-4o-mini',
      ...(process.env.OPENAI_API_KEY ? { apiKey: process.env.OPENAI_API_KEY } : {}),
    });
    return { llm, label: `${llm.modelName} at ${baseUrl}` };
  }
  const llm = new ScriptedChatModel({
    name: 'scripted-model-double',
    script: [
      {
        toolCalls: [
          { name: 'mock__lookup-sku', arguments: { sku: 'B-200' } },
          { name: 'mock__lookup-sku', arguments: { sku: 'A-100' } },
          { name: 'mock__list-warehouses', arguments: {} },
        ],
      },
      { toolCalls: [{ name: 'everything__get-sum', arguments: { a: 0, b: 12 } }] },
      { text: '12 in total: 0 desk lamps and 12 USB-C cables, across Oslo, Lyon and Porto.' },
    ],
  });
  return {
    llm,
    label: 'a SCRIPTED MODEL DOUBLE, not a real LLM (set OPENAI_BASE_URL to use one)',
  };
}

export default {
  name: 'mcp-agents',
  async run(demo) {
    const { print, ui } = demo;
    const { llm, label } = model();
    demo.section('Agents', `LLMAgent on mcp:// tools of the registry; model: ${label}`);
    // The demo's clients are already connected: leave their capabilities as they are.
    const app = new TFrameXApp({ llm, tools: demo.registry, sampling: false });
    app.registerAgent(
      new LLMAgent({
        name: 'DataAnalyst',
        description: 'Answers stock questions from the inventory',
        tools: ['mcp://mock/lookup-sku', 'mcp://mock/list-warehouses', 'mcp://everything/get-sum'],
        systemPrompt: 'You answer stock questions with the inventory tools. Be brief.',
      }),
    );
    const rt = await app.runContext();
    demo.onStop('agent runtime', () => rt.close());
    print(`  ${ui.pad('ask', 8)}${ui.clip(QUESTION, 90)}`);
    const start = performance.now();
    let result;
    for await (const event of rt.callAgentStream('DataAnalyst', QUESTION)) {
      if (event.type === 'tool-result') {
        const { record } = event;
        const mark = record.outcome === 'ok' ? ui.OK : ui.FAIL;
        print(
          `  ${ui.pad('tool', 8)}${mark} ${ui.pad(`${record.uri ?? record.name} ${ui.inspectArgs(record.arguments)}`, 48)}→ ${ui.clip(ui.textOf(record.result), 34)}  ${ui.dim(ui.ms(record.durationMs))}`,
        );
      } else if (event.type === 'done') result = event.result;
    }
    if (!result || result.toolCalls.length === 0) throw new Error('the agent used no MCP tool');
    print(`  ${ui.pad('answer', 8)}${ui.clip(result.content, 100)}`);
    print(
      `  ${ui.dim(`${result.modelCalls} model calls, ${result.toolCalls.length} tool calls, ${result.usage.totalTokens} tokens, ${ui.ms(ui.since(start))}, stop: ${result.stopReason}`)}`,
    );
    await rt.close();
  },
};
