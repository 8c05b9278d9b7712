// TFrameX: `client = MCPClient(MCPConfig(server_url=..., timeout=30, retry_attempts=3));
// await client.connect(); tools = await client.list_tools(); await client.execute_tool(...)`.
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from '../src/index.js';

export async function main(): Promise<void> {
  const server = new MockMCPServer({ name: 'database' });
  server.addTool('query', ({ sql }) => [{ id: 1, sql }], { tags: ['sql', 'database'] });
  const serverUrl = await server.start();
  const client = new MCPClient({ serverUrl, timeoutMs: 30_000, retryAttempts: 3 });
  try {
    await client.connect();
    const tools = await client.listTools();
    const result = await client.callTool('query', { sql: 'select 1' });
    if (tools.length !== 1 || result.isError) throw new Error('the basic client example failed');
    console.log(`${tools[0]!.name}:`, JSON.stringify(result.structuredContent ?? result.content));
  } finally {
    await client.close();
    await server.stop();
  }
}
