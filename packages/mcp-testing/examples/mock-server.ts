// TFrameX testing: a mock MCP server with tools, a test client, and injected faults to see
// how calling code copes (here: a tool that fails once, then answers).
import { fault, MCPTestClient, MockMCPServer } from '../src/index.js';

export async function main(): Promise<void> {
  const server = new MockMCPServer({ name: 'weather' });
  server.addTool('forecast', ({ city }) => ({ city, tempC: 18 }));
  await server.start();
  server.faults.inject({ tool: 'forecast', fault: fault.toolError('upstream down'), times: 1 });
  const client = new MCPTestClient(server);
  try {
    const failed = await client.callTool('forecast', { city: 'Oslo' });
    const answered: unknown = await client.executeTool('forecast', { city: 'Oslo' });
    if (!failed.isError || JSON.stringify(answered) !== '{"city":"Oslo","tempC":18}')
      throw new Error('the fault was not injected as asked');
    if (server.callsTo('forecast').length !== 2) throw new Error('the server saw other calls');
    console.log('first call failed as injected, then:', answered);
  } finally {
    await client.close();
    await server.stop();
  }
}
