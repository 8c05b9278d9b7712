// OAuth2Auth end to end with @tframex/mcp-testing's own OAuth simulation: MCPTestClient
// ({ auth: plugin }) against MockMCPServer (oauth auth gate), tokens from
// MockAuthorizationServer, everything over HTTP on 127.0.0.1, in both protocol eras.
import { InMemoryTokenStore, type FetchFunction, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import { McpAuthError } from '@tframex/mcp-api';
import { MCPTestClient, MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { headlessAuthorization } from './headless-authorization.js';
import type { OAuth2AuthOptions } from './oauth2-auth-options.js';
import { OAuth2Auth } from './oauth2-auth.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  authServer: MockAuthorizationServer;
  server: MockMCPServer;
  /** The authorization server's clock (tokens expire by it). */
  clock: { now: number };
}

async function world(): Promise<World> {
  const clock = { now: Date.now() };
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    scopesSupported: ['mcp:basic', 'mcp:admin'],
    accessTokenTtlMs: 3_600_000,
    now: () => clock.now,
  });
  await authServer.start();
  cleanups.push(() => authServer.stop());
  const server = new MockMCPServer({
    name: 'secured',
    auth: {
      type: 'oauth',
      authorizationServer: authServer,
      scopes: ['mcp:basic'],
      toolScopes: { 'admin/purge': ['mcp:admin'] },
    },
  });
  server.addTool('whoami', (_args, context) => ({
    client: context.auth?.clientId ?? null,
    scopes: context.auth?.scopes ?? [],
  }));
  server.addTool('admin/purge', () => 'purged');
  await server.start();
  cleanups.push(() => server.stop());
  return { authServer, server, clock };
}

/**
 * The plugin's McpAuthError, where the client put it: MCPTestClient rethrows it as is on a
 * legacy connection, but wraps it in McpConnectionError when it stops the modern era's
 * version negotiation probe (the SDK reports the probe as failed, with the error as cause).
 */
function authErrorOf(error: unknown): McpAuthError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (McpAuthError.isInstance(current)) return current;
  }
  return undefined;
}

const grants = (authServer: MockAuthorizationServer) =>
  authServer.requests
    .filter((request) => request.endpoint === 'token')
    .map((request) => request.params.grant_type);

describe.each(['legacy', 'modern'] as const)(
  'OAuth2Auth with MockAuthorizationServer (%s era)',
  { timeout: 30_000 },
  (era) => {
    function connect(server: MockMCPServer, auth: McpAuthPlugin) {
      const client = new MCPTestClient(server, { auth, era, timeoutMs: 20_000 });
      cleanups.push(() => client.close());
      return client;
    }
    const userAuth = (extra: Partial<OAuth2AuthOptions> = {}) =>
      new OAuth2Auth({
        redirectUrl: REDIRECT,
        onAuthorizationUrl: headlessAuthorization(),
        ...extra,
      });

    it('signs in with authorization code + PKCE (headless), then steps up for an admin tool', async () => {
      const { authServer, server } = await world();
      const client = connect(server, userAuth());
      expect(await client.executeTool('whoami')).toMatchObject({ scopes: ['mcp:basic'] });
      expect(await client.executeTool('admin/purge')).toBe('purged');
      const authorizations = authServer.requests.filter((r) => r.endpoint === 'authorize');
      expect(authorizations.map((r) => r.params.scope)).toEqual([
        'mcp:basic',
        'mcp:basic mcp:admin',
      ]);
      expect(authorizations.every((r) => r.params.code_challenge_method === 'S256')).toBe(true);
      expect(authorizations.every((r) => r.params.resource === server.url)).toBe(true);
      expect(authServer.requests.filter((r) => r.endpoint === 'register')).toHaveLength(1);
    });

    it('uses client credentials', async () => {
      const { authServer, server } = await world();
      const client = connect(
        server,
        new OAuth2Auth({ clientId: 'svc', clientSecret: 'svc-secret' }),
      );
      expect(await client.executeTool('whoami')).toMatchObject({
        client: 'svc',
        scopes: ['mcp:basic'],
      });
      expect(authServer.requests.find((r) => r.endpoint === 'token')?.clientAuth).toBe(
        'client_secret_basic',
      );
    });

    it('refreshes ahead of expiry on the same clock, without a refused request', async () => {
      const { authServer, server, clock } = await world();
      const client = connect(server, userAuth({ now: () => clock.now }));
      await client.listTools();
      const refusalsBefore = server.httpRequests.filter((r) => r.status === 401).length;
      clock.now += 3_570_000; // 30 s before expiry
      await client.listTools();
      expect(grants(authServer)).toEqual(['authorization_code', 'refresh_token']);
      expect(server.httpRequests.filter((r) => r.status === 401).length).toBe(refusalsBefore);
    });

    it('refreshes a token that expired on the server, once for concurrent refused requests', async () => {
      const { authServer, server, clock } = await world();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // Holds the refresh until every request was refused, so all of them meet it in flight.
      const holdingFetch: FetchFunction = async (input, init) => {
        if (String(init?.body ?? '').includes('grant_type=refresh_token')) await released;
        return fetch(input, init);
      };
      const auth = userAuth({ fetch: holdingFetch });
      const N = 5;
      let refusals = 0;
      const counting: McpAuthPlugin = {
        name: auth.name,
        headers: (request) => auth.headers(request),
        onUnauthorized: (challenge) => {
          if (++refusals === N) release();
          return auth.onUnauthorized(challenge);
        },
      };
      const client = connect(server, counting);
      await client.listTools();
      refusals = 0; // the sign-in's own 401 does not count
      clock.now += 3_700_000; // past expiry on the server; the plugin's clock did not move
      const results = await Promise.all(
        Array.from({ length: N }, () => client.executeTool('whoami')),
      );
      expect(results).toHaveLength(N);
      expect(grants(authServer)).toEqual(['authorization_code', 'refresh_token']);
    });

    it('signs in again after the grant was revoked, and revokes on signOut', async () => {
      const { authServer, server } = await world();
      const store = new InMemoryTokenStore();
      const auth = userAuth({ tokenStore: store });
      const client = connect(server, auth);
      await client.listTools();
      const key = ['oauth2', authServer.issuer, server.url, ''].join('|');
      const first = await store.get(key);
      authServer.revoke(first!.refreshToken!); // ends the whole grant
      await client.listTools();
      expect(grants(authServer)).toEqual([
        'authorization_code',
        'refresh_token',
        'authorization_code',
      ]);

      const current = await store.get(key);
      await auth.signOut();
      expect(authServer.introspect(current!.accessToken)).toBeUndefined();
      expect(authServer.requests.filter((r) => r.endpoint === 'revoke')).toHaveLength(2);
      expect(await store.get(key)).toBeUndefined();
    });

    it('reports a denied consent as McpAuthError access_denied', async () => {
      const { authServer, server } = await world();
      authServer.setConsent('deny');
      const error = authErrorOf(
        await connect(server, userAuth())
          .listTools()
          .catch((e: unknown) => e),
      );
      expect(error?.reason).toBe('access_denied');
    });

    it('marks a temporarily unavailable token endpoint as retryable, and works once it is back', async () => {
      const { authServer, server } = await world();
      authServer.failNext('token', { status: 503, error: 'temporarily_unavailable' });
      const client = connect(
        server,
        new OAuth2Auth({ clientId: 'svc', clientSecret: 'svc-secret' }),
      );
      const error = authErrorOf(await client.listTools().catch((e: unknown) => e));
      expect(error?.retryable).toBe(true);
      expect(await client.executeTool('whoami')).toMatchObject({ client: 'svc' });
    });
  },
);
