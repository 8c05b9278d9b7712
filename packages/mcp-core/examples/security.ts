// TFrameX: `MCPClient(config, security=MCPSecurity(allowed_servers=[...], signing_key=...))`.
// The policy object is enforced: a server off the allow-list is refused before connecting.
import { McpSecurityError } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient, MCPSecurity } from '../src/index.js';

export async function main(): Promise<void> {
  const server = new MockMCPServer({ name: 'api' });
  server.addTool('echo', ({ text }) => String(text));
  const serverUrl = await server.start();
  const security = new MCPSecurity({
    allowedServers: ['127.0.0.1:*'],
    signingKey: 'a-shared-signing-key-of-32-bytes!!',
    validateSchemas: true,
  });
  const client = new MCPClient({ serverUrl, security });
  try {
    const result = await client.callTool('echo', { text: 'signed and allowed' });
    console.log(result.content);
    let refused = false;
    try {
      new MCPClient({ serverUrl: 'https://elsewhere.example.com/mcp', security });
    } catch (error) {
      refused = McpSecurityError.isInstance(error) && error.rule === 'allowed-servers';
    }
    if (!refused) throw new Error('the allow-list did not refuse an unknown server');
    console.log('elsewhere.example.com refused: not on allowedServers');
  } finally {
    await client.close();
    await server.stop();
  }
}
