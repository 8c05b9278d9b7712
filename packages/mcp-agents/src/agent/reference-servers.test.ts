// Agents on the official reference servers, over stdio: server-everything (tools, images,
// structured content, sampling) and server-filesystem (file tools; write_file is destructive).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCPTestToolSource, type MCPTestClient } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TFrameXApp } from '../app/tframex-app.js';
import { everythingClient, filesystemClient } from '../test-support/reference-servers.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { LLMAgent } from './llm-agent.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function sourceOf(clients: Record<string, MCPTestClient>): MCPTestToolSource {
  const source = new MCPTestToolSource({ servers: clients });
  stops.push(async () => {
    await source.close();
    await Promise.all(Object.values(clients).map((client) => client.close()));
  });
  return source;
}

const toolMessages = (model: ScriptedChatModel, request: number) =>
  model.requests[request]!.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : []));

describe('agents on server-everything (stdio)', () => {
  it('calls echo and get-sum, sees images and structured content, and serves sampling with its model', async () => {
    const source = sourceOf({ everything: everythingClient() });
    const llm = new ScriptedChatModel({
      acceptsImages: true,
      script: [
        {
          toolCalls: [
            { name: 'everything__echo', arguments: { message: 'hello MCP' } },
            { name: 'everything__get-sum', arguments: { a: 2, b: 40 } },
            { name: 'everything__get-tiny-image', arguments: {} },
            { name: 'everything__get-structured-content', arguments: { location: 'New York' } },
          ],
        },
        ScriptedChatModel.toolCall('everything__trigger-sampling-request', {
          prompt: 'Name a colour',
          maxTokens: 20,
        }),
        { text: 'Teal.' }, // the sampling request from the server
        { text: 'All tools worked.' },
      ],
    });
    const app = new TFrameXApp({ llm, tools: source });
    app.registerAgent(new LLMAgent({ name: 'Tester', tools: ['mcp://everything/*'] }));
    await using rt = await app.runContext();
    const result = await rt.callAgent('Tester', 'exercise the server');

    expect(result.content).toBe('All tools worked.');
    expect(result.toolCalls.map((call) => call.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const first = toolMessages(llm, 1);
    expect(first[0]).toContain('hello MCP');
    expect(first[1]).toContain('42');
    expect(first[2]).toMatch(/\[image 1: image\/png, attached below\]/);
    expect(first[3]).toMatch(/temperature/);
    expect(llm.requests[1]!.messages.at(-1)).toMatchObject({
      role: 'user',
      content: expect.arrayContaining([
        expect.objectContaining({ type: 'image', mimeType: 'image/png' }),
      ]),
    });
    // The server's sampling request reached the agent's model, with the server's own prompt.
    expect(llm.requests[2]!.messages).toEqual([
      { role: 'system', content: 'You are a helpful test server.' },
      { role: 'user', content: expect.stringContaining('Name a colour') },
    ]);
    expect(toolMessages(llm, 3).at(-1)).toContain('Teal.');
  });
});

describe('agents on server-filesystem (stdio)', () => {
  it('reads files, and writes only with approval (write_file is destructive)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agents-fs-'));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'sales.csv'), 'quarter,revenue\nQ4,120\n');
    const source = sourceOf({ fs: filesystemClient(dir) });
    const script = () => [
      ScriptedChatModel.toolCall('fs__read_text_file', { path: join(dir, 'sales.csv') }),
      ScriptedChatModel.toolCall('fs__write_file', {
        path: join(dir, 'report.md'),
        content: '# Q4\nRevenue 120',
      }),
      { text: 'Report written.' },
    ];
    const approvals: string[] = [];
    const app = new TFrameXApp({
      tools: source,
      approveToolCall: (request) => {
        approvals.push(`${request.uri} ${request.reason}`);
        return request.agent === 'Trusted';
      },
    });
    const untrusted = new ScriptedChatModel({ script: script() });
    const trusted = new ScriptedChatModel({ script: script() });
    app.registerAgent(new LLMAgent({ name: 'Untrusted', llm: untrusted, tools: ['mcp://fs/*'] }));
    app.registerAgent(new LLMAgent({ name: 'Trusted', llm: trusted, tools: ['mcp://fs/*'] }));
    await using rt = await app.runContext();

    const denied = await rt.callAgent('Untrusted', 'write the report');
    expect(denied.toolCalls.map((call) => call.outcome)).toEqual(['ok', 'denied']);
    expect(toolMessages(untrusted, 1)[0]).toContain('Q4,120');
    await expect(readFile(join(dir, 'report.md'), 'utf8')).rejects.toThrow();

    const written = await rt.callAgent('Trusted', 'write the report');
    expect(written.toolCalls.map((call) => call.outcome)).toEqual(['ok', 'ok']);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toBe('# Q4\nRevenue 120');
    expect(approvals).toEqual([
      'mcp://fs/write_file destructive',
      'mcp://fs/write_file destructive',
    ]);
  });
});
