// Enterprise-managed authorization: the user signed in to the company's identity provider; the
// application exchanges that ID token there for an ID-JAG (RFC 8693) naming the MCP server, and
// the MCP server's authorization server turns the ID-JAG into an access token (RFC 7523). The
// user sees no consent screen: the company's IdP policy decides.
import { MCPTestClient, MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { OAuth2Auth } from '../src/index.js';

export async function main(): Promise<void> {
  // The MCP server's authorization server, where the application is registered as `chat-app`.
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'chat-app', clientSecret: 'chat-app-secret' }],
    trustedIssuers: [],
  });
  await authServer.start();
  // The company's identity provider, where the application is `chat-app-sso`.
  const idp = new MockAuthorizationServer({
    clients: [{ clientId: 'chat-app-sso', clientSecret: 'sso-secret' }],
    identityProvider: { clientIds: { [authServer.issuer]: 'chat-app' } },
  });
  await idp.start();
  authServer.trustIssuer({ issuer: idp.issuer, publicKey: idp.publicJwk });
  const server = new MockMCPServer({
    name: 'crm',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  server.addTool('whoami', (_args, context) => context.auth?.clientId ?? 'nobody');
  await server.start();

  // What the application got when the user signed in with SSO.
  const idToken = idp.issueIdToken({ subject: 'alice@example.com', clientId: 'chat-app-sso' });
  const client = new MCPTestClient(server, {
    auth: new OAuth2Auth({
      clientId: 'chat-app',
      clientSecret: 'chat-app-secret',
      enterprise: {
        idToken: () => idToken,
        idpIssuer: idp.issuer,
        idpClientId: 'chat-app-sso',
        idpClientSecret: 'sso-secret',
      },
    }),
  });
  try {
    const who = await client.executeTool('whoami');
    if (who !== 'chat-app') throw new Error(`unexpected client ${String(who)}`);
    const exchange = idp.requests.find((r) => r.endpoint === 'token');
    const grant = authServer.requests.find((r) => r.endpoint === 'token');
    console.log(`identity provider: ${exchange?.params.grant_type} → ${exchange?.status}`);
    console.log(`MCP authorization server: ${grant?.params.grant_type} → ${grant?.status}`);
    console.log(`connected to the MCP server as ${who} for alice@example.com`);
  } finally {
    await client.close();
    await server.stop();
    await idp.stop();
    await authServer.stop();
  }
}
