// MCPClient against the official reference server, over every transport it speaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpCancelledError, McpProtocolError, McpTimeoutError } from '@tframex/mcp-api';
import { MCPClient } from './mcp-client.js';
import {
  EVERYTHING_BIN,
  startEverythingHttp,
  type RunningEverything,
} from '../test-support/everything.js';
import { testOptions } from '../test-support/test-options.js';

const stdio = () =>
  testOptions({
    name: 'everything',
    command: process.execPath,
    args: [EVERYTHING_BIN, 'stdio'],
  });

describe.each([
  ['stdio', 'stdio'],
  ['streamable-http', 'http'],
] as const)('MCPClient with server-everything over %s', (_label, kind) => {
  let server: RunningEverything | undefined;
  let client: MCPClient;

  beforeAll(async () => {
    if (kind === 'http') server = await startEverythingHttp('streamableHttp');
    client = new MCPClient(
      kind === 'stdio'
        ? stdio()
        : testOptions({
            name: 'everything',
            serverUrl: server!.url,
          }),
    );
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('connects in the legacy era and knows the server', () => {
    expect(client.protocolEra).toBe('legacy');
    expect(client.serverInfo?.name).toBeTruthy();
    expect(client.capabilities?.tools).toBeDefined();
  });

  it('lists tools and calls one', async () => {
    const tools = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const result = await client.callTool('get-sum', { a: 2, b: 40 });
    expect(JSON.stringify(result.content)).toContain('42');
  });

  it('reads resources and templates, gets prompts', async () => {
    const resources = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const read = await client.readResource(resources[0]!.uri);
    expect(read.contents[0]?.uri).toBe(resources[0]!.uri);
    expect((await client.listResourceTemplates()).length).toBeGreaterThan(0);
    const prompts = await client.listPrompts();
    const simple = prompts.find(
      (prompt) => !prompt.arguments?.some((argument) => argument.required),
    );
    expect(simple).toBeDefined();
    const prompt = await client.getPrompt(simple!.name);
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it('reports progress and outlives its timeout while progress keeps coming', async () => {
    const progress: number[] = [];
    const result = await client.callTool(
      'trigger-long-running-operation',
      { duration: 2, steps: 8 },
      { timeoutMs: 600, onProgress: (p) => progress.push(p.progress) },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThanOrEqual(4);
  }, 30_000);

  it('tells a timeout from a cancellation', async () => {
    await expect(
      client.callTool(
        'trigger-long-running-operation',
        { duration: 5, steps: 1 },
        { timeoutMs: 200 },
      ),
    ).rejects.toSatisfy((error) => McpTimeoutError.isInstance(error) && error.timeoutMs === 200);
    const controller = new AbortController();
    const call = client.callTool(
      'trigger-long-running-operation',
      { duration: 5, steps: 1 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
    await expect(call).rejects.toSatisfy((error) => McpCancelledError.isInstance(error));
  }, 30_000);

  it('reports an unknown tool (as a tool error or a protocol error, as the server chooses) and pings', async () => {
    // 2025-era servers on the v1 SDK answer with isError; v2 servers with JSON-RPC -32602.
    const outcome: unknown = await client.callTool('no-such-tool', {}).then(
      (result) => result,
      (error: unknown) => error,
    );
    expect(
      McpProtocolError.isInstance(outcome) || (outcome as { isError?: boolean }).isError === true,
    ).toBe(true);
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it('completes prompt arguments', async () => {
    const prompts = await client.listPrompts();
    const withArgs = prompts.find((prompt) => prompt.arguments?.length);
    if (!withArgs) return;
    const completion = await client.complete(
      { type: 'ref/prompt', name: withArgs.name },
      { name: withArgs.arguments![0]!.name, value: '' },
    );
    expect(Array.isArray(completion.values)).toBe(true);
  });
});
