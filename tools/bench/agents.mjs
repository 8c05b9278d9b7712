#!/usr/bin/env node
// Benchmark of @tframex/mcp-agents (built): what the agent runtime adds to each tool round.
// An LLMAgent whose model is a scripted double answering at once (one tool call, then the
// answer) is timed against calling the same tool directly, in one run, alternating A/B rounds.
// The difference per run is the runtime's overhead per tool round (two model turns of a free
// model, argument validation, tool-name mapping, the loop, events, memory). It asserts nothing.
//
//   npm run bench -- agents [--quick] [--runs <n>] [--rounds <n>]
import { defineMcpTool } from '@tframex/mcp-api';
import { LLMAgent, TFrameXApp } from '@tframex/mcp-agents';
import { ScriptedChatModel } from '@tframex/mcp-agents/testing';
import * as z from 'zod';
import { median, runLoad } from './lib/measure.mjs';
import { fmt, printTable } from './lib/report.mjs';

// Loaded on demand, as every benchmark here loads the testing kit (see lib/server.mjs).
const { MCPTestClient, MCPTestToolSource, MockMCPServer } = await import('@tframex/mcp-testing');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const numberArg = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = numberArg('--runs', quick ? 100 : 1_500);
const ROUNDS = numberArg('--rounds', quick ? 2 : 6);

/** A model double that calls `tool` once, then answers: one tool round per agent run. */
function instantModel(tool) {
  return new ScriptedChatModel({
    name: 'instant-double',
    respond: (request) =>
      request.messages.at(-1)?.role === 'tool'
        ? { text: 'done' }
        : { toolCalls: [{ name: tool, arguments: { text: 'hello' } }] },
  });
}

async function measure(label, direct, viaAgent) {
  const rows = { direct: [], agent: [] };
  // Warm both paths first.
  await runLoad(direct, { calls: 50, concurrency: 1 });
  await runLoad(viaAgent, { calls: 50, concurrency: 1 });
  for (let round = 0; round < ROUNDS; round++) {
    // ABBA: alternate which goes first, so drift hits both.
    const order = round % 2 === 0 ? ['direct', 'agent'] : ['agent', 'direct'];
    for (const which of order) {
      const run = await runLoad(which === 'direct' ? direct : viaAgent, {
        calls: RUNS,
        concurrency: 1,
      });
      if (run.failures > 0) throw new Error(`${label} ${which}: ${run.firstError}`);
      rows[which].push(run);
    }
  }
  const pick = (runs, key) => median(runs.map((run) => run[key]));
  const d = { ms: pick(rows.direct, 'medianMs'), cpu: pick(rows.direct, 'cpuUsPerCall') };
  const a = { ms: pick(rows.agent, 'medianMs'), cpu: pick(rows.agent, 'cpuUsPerCall') };
  return { label, d, a };
}

const results = [];

// 1. A plain function tool: the runtime's own cost, nothing else.
{
  const echo = defineMcpTool({
    name: 'echo',
    description: 'echo',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    run: ({ text }) => text,
  });
  const app = new TFrameXApp({ llm: instantModel('echo') });
  app.registerTool(echo);
  app.registerAgent(new LLMAgent({ name: 'Bench', tools: ['echo'], historyLimit: 0 }));
  const rt = await app.runContext();
  results.push(
    await measure(
      'plain function tool (in process)',
      () => echo.invoke({ text: 'hello' }),
      () => rt.callAgent('Bench', 'go'),
    ),
  );
  await rt.close();
}

// 2. An MCP tool on a MockMCPServer over Streamable HTTP on 127.0.0.1.
{
  const server = new MockMCPServer({ name: 'bench' });
  server.addTool('echo', ({ text }) => text, { inputSchema: z.object({ text: z.string() }) });
  await server.start();
  const client = new MCPTestClient(server.url, { name: 'bench' });
  const source = new MCPTestToolSource({ servers: { bench: client } });
  const tool = await source.resolveTool('mcp://bench/echo');
  const app = new TFrameXApp({ llm: instantModel('bench__echo'), tools: source, sampling: false });
  app.registerAgent(new LLMAgent({ name: 'Bench', tools: ['mcp://bench/echo'], historyLimit: 0 }));
  const rt = await app.runContext();
  try {
    results.push(
      await measure(
        'mcp:// tool over HTTP (MockMCPServer)',
        () => tool.invoke({ text: 'hello' }),
        () => rt.callAgent('Bench', 'go'),
      ),
    );
  } finally {
    await rt.close();
    await source.close();
    await client.close();
    await server.stop();
  }
}

printTable(
  `Agent runtime overhead per tool round (${ROUNDS} rounds × ${RUNS} runs, one at a time; model: a double answering at once)`,
  [
    { title: 'tool', align: 'left' },
    { title: 'direct ms' },
    { title: 'agent ms' },
    { title: 'overhead ms' },
    { title: 'ratio' },
    { title: 'direct CPU µs' },
    { title: 'agent CPU µs' },
    { title: 'overhead CPU µs' },
  ],
  results.map(({ label, d, a }) => [
    label,
    fmt.ms(d.ms),
    fmt.ms(a.ms),
    fmt.ms(a.ms - d.ms),
    fmt.ratio(a.ms / d.ms),
    fmt.us(d.cpu),
    fmt.us(a.cpu),
    fmt.us(a.cpu - d.cpu),
  ]),
);
console.log(
  '\nEach agent run is one tool round: two model turns (instant), the tool call, validation,\n' +
    'naming, events and memory. Ratios are against the direct call measured in this run.',
);
