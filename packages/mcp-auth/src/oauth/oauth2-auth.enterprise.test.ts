// Enterprise-managed authorization and workload identity against @tframex/mcp-testing's
// simulation: one MockAuthorizationServer plays the company's identity provider (ID tokens,
// token exchange for ID-JAGs), another the MCP server's authorization server (JWT bearer
// grant from trusted issuers); MCPTestClient connects to MockMCPServer through OAuth2Auth.
import { generateKeyPairSync } from 'node:crypto';
import { McpAuthError } from '@tframex/mcp-api';
import {
  MCPTestClient,
  MockAuthorizationServer,
  MockMCPServer,
  type MockAuthorizationServerOptions,
} from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { signJwt } from '../test-support/sign-jwt.js';
import { OAuth2Auth } from './oauth2-auth.js';
import type { EnterpriseAuthorizationOptions } from './oauth2-extension-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(options: MockAuthorizationServerOptions): Promise<MockAuthorizationServer> {
  const server = new MockAuthorizationServer(options);
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

async function mcpServer(authServer: MockAuthorizationServer): Promise<MockMCPServer> {
  const server = new MockMCPServer({
    name: 'enterprise',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  server.addTool('whoami', (_args, context) => ({ client: context.auth?.clientId ?? null }));
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

function connect(server: MockMCPServer, auth: OAuth2Auth) {
  const client = new MCPTestClient(server, { auth, timeoutMs: 20_000 });
  cleanups.push(() => client.close());
  return client;
}

function authErrorOf(error: unknown): McpAuthError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (McpAuthError.isInstance(current)) return current;
  }
  return undefined;
}

/** The company's identity provider and the MCP server's authorization server, which trusts it. */
async function enterpriseWorld(clientIdAtMcp = 'mcp-client') {
  const authServer = await started({
    clients: [{ clientId: 'mcp-client', clientSecret: 'mcp-secret' }],
    trustedIssuers: [],
  });
  // The ID-JAG names the client the application is at the MCP server's authorization server.
  const idp = await started({
    clients: [{ clientId: 'chat-app', clientSecret: 'idp-secret' }],
    identityProvider: { clientIds: { [authServer.issuer]: clientIdAtMcp } },
  });
  authServer.trustIssuer({ issuer: idp.issuer, publicKey: idp.publicJwk });
  return { idp, authServer };
}

describe('OAuth2Auth: enterprise-managed authorization (ID-JAG)', { timeout: 30_000 }, () => {
  it('exchanges the ID token at the identity provider and presents the ID-JAG with the JWT bearer grant', async () => {
    const { idp, authServer } = await enterpriseWorld();
    const server = await mcpServer(authServer);
    const idToken = idp.issueIdToken({ subject: 'alice@example.com', clientId: 'chat-app' });
    const options: EnterpriseAuthorizationOptions = {
      idToken: async () => idToken,
      idpIssuer: idp.issuer, // the token endpoint is discovered
      idpClientId: 'chat-app',
      idpClientSecret: 'idp-secret',
    };
    const auth = new OAuth2Auth({
      clientId: 'mcp-client',
      clientSecret: 'mcp-secret',
      enterprise: options,
    });
    expect(await connect(server, auth).executeTool('whoami')).toEqual({ client: 'mcp-client' });

    const exchange = idp.requests.find((r) => r.endpoint === 'token');
    expect(exchange?.params).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      audience: authServer.issuer,
      resource: server.url,
    });
    expect(exchange?.status).toBe(200);
    const grant = authServer.requests.find((r) => r.endpoint === 'token');
    expect(grant?.params.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(grant?.clientAuth).toBe('client_secret_basic');
    expect(grant?.status).toBe(200);
    expectRedacted(auth, idToken, 'mcp-secret', 'idp-secret');
  });

  it('refuses an ID token issued to another application, and an ID-JAG for another client', async () => {
    const { idp, authServer } = await enterpriseWorld();
    const server = await mcpServer(authServer);
    const foreign = idp.issueIdToken({ subject: 'bob@example.com', clientId: 'other-app' });
    const auth = new OAuth2Auth({
      clientId: 'mcp-client',
      clientSecret: 'mcp-secret',
      enterprise: {
        idToken: foreign,
        idpTokenUrl: `${idp.issuer}/token`,
        idpClientId: 'chat-app',
        idpClientSecret: 'idp-secret',
      },
    });
    const refused = authErrorOf(
      await connect(server, auth)
        .listTools()
        .catch((e: unknown) => e),
    );
    expect(refused?.reason).toBe('invalid_grant');
    expectRedacted(refused, foreign);

    const misissued = await enterpriseWorld('someone-else');
    const elsewhere = await mcpServer(misissued.authServer);
    const wrongClient = new OAuth2Auth({
      clientId: 'mcp-client',
      clientSecret: 'mcp-secret',
      enterprise: {
        idToken: misissued.idp.issueIdToken({ subject: 'alice@example.com', clientId: 'chat-app' }),
        idpTokenUrl: `${misissued.idp.issuer}/token`,
        idpClientId: 'chat-app',
        idpClientSecret: 'idp-secret',
      },
    });
    const error = authErrorOf(
      await connect(elsewhere, wrongClient)
        .listTools()
        .catch((e: unknown) => e),
    );
    expect(error?.reason).toBe('invalid_grant');
    expect(misissued.authServer.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
  });
});

describe('OAuth2Auth: workload identity with MockAuthorizationServer', { timeout: 30_000 }, () => {
  it('presents a platform JWT from a trusted issuer, without client credentials', async () => {
    const platform = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const authServer = await started({
      trustedIssuers: [
        {
          issuer: 'https://platform.example',
          publicKey: platform.publicKey.export({ format: 'jwk' }),
        },
      ],
    });
    const server = await mcpServer(authServer);
    const auth = new OAuth2Auth({
      assertion: ({ issuer }) =>
        signJwt(
          {
            iss: 'https://platform.example',
            sub: 'system:serviceaccount:jobs:indexer',
            aud: issuer,
          },
          platform.privateKey,
        ),
    });
    expect(await connect(server, auth).executeTool('whoami')).toEqual({
      client: 'system:serviceaccount:jobs:indexer',
    });
    const grant = authServer.requests.find((r) => r.endpoint === 'token');
    expect(grant?.clientAuth).toBeUndefined();
    expect(grant?.params.resource).toBe(server.url);
  });
});
