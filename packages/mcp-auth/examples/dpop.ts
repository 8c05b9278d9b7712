// DPoP: the access token is bound to a key only this client holds, so a copy of the token is
// useless. The authorization server and the MCP server both demand fresh nonces; the plugin
// echoes them with one retry each.
import { McpAuthError } from '@tframex/mcp-api';
import { MCPTestClient, MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { OAuth2Auth } from '../src/index.js';

export async function main(): Promise<void> {
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'reporting-agent', clientSecret: 'agent-secret' }],
    dpop: { nonce: true },
  });
  await authServer.start();
  const server = new MockMCPServer({
    name: 'reports',
    auth: { type: 'oauth', authorizationServer: authServer, dpop: { nonce: true } },
  });
  server.addTool('quarterly', () => 'revenue up 12%');
  await server.start();
  const client = new MCPTestClient(server, {
    auth: new OAuth2Auth({
      clientId: 'reporting-agent',
      clientSecret: 'agent-secret',
      dpop: 'if-supported',
    }),
  });
  let thief: MCPTestClient | undefined;
  try {
    console.log(`quarterly → ${String(await client.executeTool('quarterly'))}`);
    const presented = server.httpRequests.find((r) => r.headers.authorization?.startsWith('DPoP '));
    const accessToken = presented!.headers.authorization!.slice('DPoP '.length);
    console.log(`token bound to key ${authServer.introspect(accessToken)?.jkt}`);

    // Someone who copied the token cannot use it: no key, no proof.
    thief = new MCPTestClient(server, {
      auth: { name: 'thief', headers: () => ({ Authorization: `Bearer ${accessToken}` }) },
    });
    const stolen = await thief.executeTool('quarterly').then(
      () => 'accepted',
      (error: unknown) => (McpAuthError.isInstance(error) ? 'refused' : `failed: ${String(error)}`),
    );
    if (stolen !== 'refused') throw new Error(`a copied DPoP token was ${stolen}`);
    console.log('a copied token presented without the key: refused');
  } finally {
    await thief?.close();
    await client.close();
    await server.stop();
    await authServer.stop();
  }
}
