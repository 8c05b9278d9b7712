// The monitor on the official reference server (@modelcontextprotocol/server-everything) over
// stdio, a child process the client spawns: tools, prompts and resources are measured under the
// conventions' names, the transport is `pipe`, and the session's duration is recorded when it
// ends.
import { createRequire } from 'node:module';
import { MCPTestClient } from '@tframex/mcp-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCPMonitor } from '../src/index.js';

const require = createRequire(import.meta.url);
const EVERYTHING_BIN = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let client: MCPTestClient;
let monitor: MCPMonitor;

beforeAll(() => {
  client = new MCPTestClient(
    { command: process.execPath, args: [EVERYTHING_BIN, 'stdio'] },
    { name: 'everything' },
  );
  monitor = new MCPMonitor(client, { openTelemetry: false });
});

afterAll(async () => {
  await client.close();
  await monitor.close();
});

describe('MCPMonitor on server-everything over stdio', () => {
  it('measures tool calls, prompts and resource reads', async () => {
    await client.callTool('get-sum', { a: 2, b: 40 });
    await client.callTool('echo', { message: 'hello' });
    await client.callTool('echo', { message: 'again' });
    const prompt = (await client.listPrompts()).find(
      (candidate) => !(candidate.arguments ?? []).some((argument) => argument.required),
    );
    if (prompt) await client.getPrompt(prompt.name);
    const [resource] = await client.listResources();
    await client.readResource(resource!.uri);

    const status = await monitor.getStatus();
    expect(status.servers[0]).toMatchObject({
      server: 'everything',
      connected: true,
      transport: 'stdio',
    });
    expect(await monitor.getToolUsage('mcp://everything/echo')).toMatchObject({
      totalCalls: 2,
      errors: 0,
    });
    const text = await monitor.exportMetrics();
    expect(text).toMatch(
      /mcp_client_operation_duration_seconds_count\{mcp_server="everything",mcp_method_name="tools\/call",gen_ai_tool_name="get-sum",[^}]*network_transport="pipe"[^}]*\} 1/,
    );
    expect(text).toMatch(/mcp_method_name="resources\/read"/);
    if (prompt) expect(text).toContain(`gen_ai_prompt_name="${prompt.name}"`);
    expect(text).not.toContain('mcp_resource_uri');
  }, 60_000);

  it('records the session’s duration when it ends', async () => {
    await client.close();
    await expect
      .poll(async () => (await monitor.getStatus()).servers[0]!.state)
      .not.toBe('connected');
    expect(await monitor.exportMetrics()).toMatch(
      /mcp_client_session_duration_seconds_count\{mcp_server="everything"[^}]*\} 1/,
    );
  });
});
