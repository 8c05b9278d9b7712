// TFrameX: `MCPClient(config, auth=APIKeyAuth(api_key=..., header_name="X-API-Key"))`,
// against a server that checks the key. (An MCPTestClient stands in for the client here:
// an implementation package's examples use only it and the interface packages.)
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { APIKeyAuth } from '../src/index.js';

export async function main(): Promise<void> {
  const server = new MockMCPServer({
    name: 'api',
    auth: { type: 'api-key', header: 'x-api-key', keys: ['sk-example-key'] },
  });
  server.addTool('whoami', () => 'a caller with a valid key');
  await server.start();
  const auth = new APIKeyAuth({ apiKey: 'sk-example-key', headerName: 'X-API-Key' });
  const client = new MCPTestClient(server, { auth });
  try {
    const answer: unknown = await client.executeTool('whoami');
    if (answer !== 'a caller with a valid key') throw new Error('the API key was not accepted');
    console.log(`${String(answer)}; the plugin prints as`, JSON.stringify(auth));
  } finally {
    await client.close();
    await server.stop();
  }
}
