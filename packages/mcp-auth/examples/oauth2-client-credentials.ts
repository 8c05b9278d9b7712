// TFrameX: `OAuth2Auth(client_id=..., client_secret=..., token_url=..., scopes=[...])`:
// tokens fetched from the authorization server, refreshed before expiry, never printed.
import { MCPTestClient, MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { OAuth2Auth } from '../src/index.js';

export async function main(): Promise<void> {
  const authorizationServer = new MockAuthorizationServer({
    clients: [{ clientId: 'reports-service', clientSecret: 'reports-secret' }],
    scopesSupported: ['mcp:read'],
  });
  await authorizationServer.start();
  const server = new MockMCPServer({
    name: 'reports',
    auth: { type: 'oauth', authorizationServer, scopes: ['mcp:read'] },
  });
  server.addTool('latest', (_args, context) => ({ client: context.auth?.clientId ?? null }));
  await server.start();
  const auth = new OAuth2Auth({ clientId: 'reports-service', clientSecret: 'reports-secret' });
  const client = new MCPTestClient(server, { auth });
  try {
    const answer = (await client.executeTool('latest')) as { client: string | null };
    if (answer.client !== 'reports-service') throw new Error('the token was not accepted');
    console.log('called as', answer.client);
  } finally {
    await client.close();
    await server.stop();
    await authorizationServer.stop();
  }
}
