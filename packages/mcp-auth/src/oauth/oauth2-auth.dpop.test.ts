// OAuth2Auth with DPoP (RFC 9449) against @tframex/mcp-testing's simulation: MockAuthorizationServer
// issuing DPoP-bound tokens and demanding nonces, MockMCPServer checking proofs (and its own
// nonce), MCPTestClient connecting through the plugin, over HTTP on 127.0.0.1, in both eras.
import { McpAuthError } from '@tframex/mcp-api';
import { InMemoryTokenStore, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import {
  MCPTestClient,
  MockAuthorizationServer,
  MockMCPServer,
  type MockAuthorizationServerOptions,
} from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { jwkThumbprint, publicJwkOf } from './dpop-key.js';
import { headlessAuthorization } from './headless-authorization.js';
import { OAuth2Auth } from './oauth2-auth.js';
import type { OAuth2AuthOptions } from './oauth2-auth-options.js';
import type { WebCryptoKeyPair } from './oauth2-extension-options.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(
  asOptions: MockAuthorizationServerOptions = { dpop: { nonce: true } },
  rsNonce = true,
) {
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    ...asOptions,
  });
  await authServer.start();
  cleanups.push(() => authServer.stop());
  const server = new MockMCPServer({
    name: 'bound',
    auth: { type: 'oauth', authorizationServer: authServer, dpop: { nonce: rsNonce } },
  });
  server.addTool('whoami', (_args, context) => ({ client: context.auth?.clientId ?? null }));
  await server.start();
  cleanups.push(() => server.stop());
  return { authServer, server };
}

function authErrorOf(error: unknown): McpAuthError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (McpAuthError.isInstance(current)) return current;
  }
  return undefined;
}

const tokenStatuses = (authServer: MockAuthorizationServer) =>
  authServer.requests.filter((r) => r.endpoint === 'token').map((r) => r.status);

describe.each(['legacy', 'modern'] as const)(
  'OAuth2Auth with DPoP (%s era)',
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

    it('gets a token bound to its key, echoing the nonces of the authorization server and the MCP server', async () => {
      const { authServer, server } = await world();
      const store = new InMemoryTokenStore();
      const auth = userAuth({ dpop: 'if-supported', tokenStore: store });
      const client = connect(server, auth);
      expect(await client.executeTool('whoami')).toMatchObject({ client: expect.any(String) });

      // Token endpoint: use_dpop_nonce once, then the proof with the nonce is accepted.
      expect(tokenStatuses(authServer)).toEqual([400, 200]);
      const token = authServer.requests.find((r) => r.endpoint === 'token' && r.status === 200);
      expect(token?.params.grant_type).toBe('authorization_code');
      // MCP server: its nonce challenge is answered with one retry, then every request passes.
      const challenged = server.httpRequests.filter(
        (r) => r.status === 401 && r.headers.authorization?.startsWith('DPoP '),
      );
      expect(challenged).toHaveLength(1);
      const presented = server.httpRequests.filter((r) => r.headers.authorization !== undefined);
      expect(presented.every((r) => r.headers.authorization!.startsWith('DPoP '))).toBe(true);
      expect(new Set(presented.map((r) => r.headers.dpop)).size).toBe(presented.length); // fresh proofs

      const stored = await store.get(boundKey(authServer, server));
      expect(stored?.tokenType).toBe('DPoP');
      expect(authServer.introspect(stored!.accessToken)?.jkt).toEqual(expect.any(String));
      expectRedacted(auth, stored!.accessToken);

      // The token is useless without the key: as Bearer, or as DPoP without a proof.
      for (const headers of [
        { Authorization: `Bearer ${stored!.accessToken}` },
        { Authorization: `DPoP ${stored!.accessToken}` },
      ]) {
        const thief = connect(server, { name: 'thief', headers: () => headers });
        const error = await thief.listTools().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
      }
    });

    it('signs in with client credentials bound to a key the application supplies', async () => {
      const { authServer, server } = await world({ dpop: { required: true } }, false);
      const keyPair = (await crypto.subtle.generateKey(
        { name: 'ECDSA', namedCurve: 'P-384' },
        false,
        ['sign', 'verify'],
      )) as WebCryptoKeyPair;
      const auth = new OAuth2Auth({
        clientId: 'svc',
        clientSecret: 'svc-secret',
        dpop: { use: 'always', keyPair: async () => keyPair },
      });
      const client = connect(server, auth);
      expect(await client.executeTool('whoami')).toMatchObject({ client: 'svc' });
      const thumbprint = await jwkThumbprint(await publicJwkOf(keyPair.publicKey));
      const issued = server.httpRequests.find((r) => r.headers.authorization?.startsWith('DPoP '));
      const accessToken = issued!.headers.authorization!.slice('DPoP '.length);
      expect(authServer.introspect(accessToken)?.jkt).toBe(thumbprint);
    });

    it('reuses stored bound tokens only with the same key (a key kept in a store)', async () => {
      const { authServer, server } = await world({ dpop: {} }, false);
      const store = new InMemoryTokenStore();
      const kept = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'sign',
        'verify',
      ]);
      const withKey = (keyPair?: WebCryptoKeyPair) =>
        new OAuth2Auth({
          clientId: 'svc',
          clientSecret: 'svc-secret',
          tokenStore: store,
          dpop: keyPair ? { use: 'always', keyPair: async () => keyPair } : 'always',
        });
      const tokenRequests = () => authServer.requests.filter((r) => r.endpoint === 'token').length;
      await connect(server, withKey(kept)).listTools();
      expect(tokenRequests()).toBe(1);
      // A restart that loads the same key from its store presents the stored token.
      await connect(server, withKey(kept)).listTools();
      expect(tokenRequests()).toBe(1);
      // Another key cannot use it: it gets a token of its own.
      await connect(server, withKey()).listTools();
      expect(tokenRequests()).toBe(2);
      // ...and never even tries the other key's token.
      const refusedTokens = server.httpRequests.filter(
        (r) => r.status === 401 && r.headers.authorization !== undefined,
      );
      expect(refusedTokens).toHaveLength(0);
    });

    it('follows a rotated authorization server nonce on refresh', async () => {
      const { authServer, server } = await world();
      const clock = { now: Date.now() };
      const client = connect(server, userAuth({ dpop: 'if-supported', now: () => clock.now }));
      await client.listTools();
      authServer.rotateDpopNonce();
      clock.now += 3_570_000; // inside the refresh window
      await client.listTools();
      expect(tokenStatuses(authServer)).toEqual([400, 200, 400, 200]);
      expect(
        authServer.requests.filter((r) => r.endpoint === 'token').at(-1)?.params.grant_type,
      ).toBe('refresh_token');
    });

    it('stays with Bearer where the authorization server offers no DPoP, and refuses it when DPoP is required', async () => {
      const { server } = await world({}, false);
      const optional = connect(server, userAuth({ dpop: 'if-supported' }));
      await optional.listTools();
      const presented = server.httpRequests.filter((r) => r.headers.authorization !== undefined);
      expect(presented.every((r) => r.headers.authorization!.startsWith('Bearer '))).toBe(true);
      expect(presented.every((r) => r.headers.dpop === undefined)).toBe(true);

      const required = connect(
        server,
        new OAuth2Auth({ clientId: 'svc', clientSecret: 'svc-secret', dpop: 'always' }),
      );
      const error = authErrorOf(await required.listTools().catch((e: unknown) => e));
      expect(error?.reason).toBe('invalid_token');
    });
  },
);

/** The store key of the bound tokens: issuer, resource, no client id, and the key thumbprint. */
function boundKey(authServer: MockAuthorizationServer, server: MockMCPServer): string {
  const bound = server.httpRequests.find((r) => r.headers.authorization?.startsWith('DPoP '));
  const jkt = authServer.introspect(bound!.headers.authorization!.slice('DPoP '.length))?.jkt;
  return ['oauth2', authServer.issuer, server.url, '', `dpop:${jkt}`].join('|');
}
