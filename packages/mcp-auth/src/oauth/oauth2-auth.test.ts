// OAuth2Auth against a real authorization server and a real protected server over HTTP on
// 127.0.0.1, through createAuthFetch (what MCPClient and MCPTestClient use).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAuthFetch,
  InMemoryTokenStore,
  type McpAuthPlugin,
  type StoredTokens,
} from '@tframex/mcp-auth-api';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import {
  startOAuthTestServer,
  type OAuthTestServer,
  type OAuthTestServerOptions,
} from '../test-support/oauth-test-server.js';
import {
  startProtectedTestServer,
  type ProtectedTestServer,
  type ProtectedTestServerOptions,
} from '../test-support/protected-test-server.js';
import { FileTokenStore } from './file-token-store.js';
import { headlessAuthorization } from './headless-authorization.js';
import { startLoopbackRedirect } from './loopback-redirect.js';
import { OAuth2Auth } from './oauth2-auth.js';
import type { OAuth2AuthOptions } from './oauth2-auth-options.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function setup(
  asOptions: OAuthTestServerOptions = {},
  rsOptions: Omit<ProtectedTestServerOptions, 'authServer'> = {},
): Promise<{ as: OAuthTestServer; rs: ProtectedTestServer }> {
  const as = await startOAuthTestServer(asOptions);
  stops.push(() => as.close());
  const rs = await startProtectedTestServer({ authServer: as, ...rsOptions });
  stops.push(() => rs.close());
  return { as, rs };
}

function call(plugin: McpAuthPlugin, rs: ProtectedTestServer, method = 'tools/list') {
  return createAuthFetch(plugin)(rs.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method }),
  });
}

async function ok(plugin: McpAuthPlugin, rs: ProtectedTestServer, method = 'tools/list') {
  const response = await call(plugin, rs, method);
  expect(response.status).toBe(200);
  return (await response.json()) as { ok: boolean; scope: string | null };
}

const interactive = (extra: Partial<OAuth2AuthOptions> = {}): OAuth2AuthOptions => ({
  redirectUrl: REDIRECT,
  onAuthorizationUrl: headlessAuthorization(),
  ...extra,
});

describe('OAuth2Auth: client credentials', () => {
  it('gets a token from a configured token endpoint before the first request (client_secret_basic)', async () => {
    const { as, rs } = await setup({ clients: [{ clientId: 'svc', clientSecret: 's3cret-svc' }] });
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 's3cret-svc',
      tokenUrl: `${as.issuer}/token`,
      scopes: ['read:data', 'write:data'],
    });
    expect((await ok(auth, rs)).scope).toBe('read:data write:data');
    expect(rs.presentedTokens).toHaveLength(1); // no 401 round trip
    expect(as.tokenRequests).toEqual([
      {
        grantType: 'client_credentials',
        clientId: 'svc',
        authMethod: 'client_secret_basic',
        scope: 'read:data write:data',
        resource: undefined,
      },
    ]);
    await ok(auth, rs);
    expect(as.tokenRequests).toHaveLength(1); // the token is reused
  });

  it('sends the secret in the body with client_secret_post', async () => {
    const { as, rs } = await setup({ clients: [{ clientId: 'svc', clientSecret: 'pst' }] });
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 'pst',
      clientAuthMethod: 'client_secret_post',
      tokenUrl: `${as.issuer}/token`,
    });
    await ok(auth, rs);
    expect(as.tokenRequests[0]?.authMethod).toBe('client_secret_post');
  });

  it('signs a JWT assertion with private_key_jwt', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { as, rs } = await setup({
      clients: [
        {
          clientId: 'jwt-svc',
          publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      ],
    });
    const auth = new OAuth2Auth({
      clientId: 'jwt-svc',
      privateKey: pem,
      privateKeyAlgorithm: 'ES256',
      tokenUrl: `${as.issuer}/token`,
    });
    await ok(auth, rs);
    expect(as.tokenRequests[0]?.authMethod).toBe('private_key_jwt');
    expectRedacted(auth, pem, 'BEGIN PRIVATE KEY');
  });

  it('discovers the token endpoint from a 401 when none is configured, with resource and challenged scope', async () => {
    const { as, rs } = await setup(
      { clients: [{ clientId: 'svc', clientSecret: 'x' }] },
      { requiredScopes: () => ['mcp:read'] },
    );
    const auth = new OAuth2Auth({ clientId: 'svc', clientSecret: 'x' });
    expect((await ok(auth, rs)).scope).toBe('mcp:read');
    expect(rs.presentedTokens[0]).toBeUndefined();
    expect(as.tokenRequests[0]).toMatchObject({ scope: 'mcp:read', resource: rs.mcpUrl });
    const paths = as.received.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['GET /.well-known/oauth-authorization-server', 'POST /token']);
  });

  it('reports a refused client as McpAuthError invalid_client without showing the secret', async () => {
    const { as, rs } = await setup({ clients: [{ clientId: 'svc', clientSecret: 'right' }] });
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 'wrong-secret-value',
      tokenUrl: `${as.issuer}/token`,
    });
    const error = await call(auth, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(error)).toBe(true);
    expect((error as McpAuthError).reason).toBe('invalid_client');
    expectRedacted(error, 'wrong-secret-value');
  });
});

describe('OAuth2Auth: authorization code with PKCE', () => {
  it('registers, authorizes headlessly with S256, validates iss and exchanges the code', async () => {
    const { as, rs } = await setup({}, { requiredScopes: () => ['mcp:basic'] });
    const auth = new OAuth2Auth(interactive());
    expect((await ok(auth, rs)).scope).toBe('mcp:basic');
    expect(as.registrations).toHaveLength(1);
    expect(as.registrations[0]).toMatchObject({
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
    expect(as.authorizations).toEqual([
      {
        clientId: expect.any(String),
        scope: 'mcp:basic',
        resource: rs.mcpUrl,
        redirectUri: REDIRECT,
      },
    ]);
    const authorize = as.received.find((r) => r.path === '/authorize')!;
    expect(authorize.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(as.tokenRequests.map((r) => [r.grantType, r.authMethod])).toEqual([
      ['authorization_code', 'none'],
    ]);
  });

  it('uses scopes_supported when the challenge names no scope, and adds offline_access only when offered', async () => {
    const { as, rs } = await setup(
      { scopesSupported: ['mcp:a', 'mcp:b', 'offline_access'] },
      { scopesSupported: ['mcp:a', 'mcp:b'] },
    );
    await ok(new OAuth2Auth(interactive()), rs);
    expect(as.authorizations[0]?.scope).toBe('mcp:a mcp:b offline_access');

    const bare = await setup({}, {});
    await ok(new OAuth2Auth(interactive()), bare.rs);
    expect(bare.as.authorizations[0]?.scope).toBeUndefined();
  });

  it('uses a client ID metadata document instead of registering where supported', async () => {
    const { as, rs } = await setup({ clientIdMetadataDocuments: true });
    const clientMetadataUrl = 'https://agent.example.com/oauth/client.json';
    await ok(new OAuth2Auth(interactive({ clientMetadataUrl })), rs);
    expect(as.registrations).toHaveLength(0);
    expect(as.authorizations[0]?.clientId).toBe(clientMetadataUrl);
  });

  it('steps up on 403 insufficient_scope, asking for the union of scopes', async () => {
    const { as, rs } = await setup(
      {},
      {
        requiredScopes: (method) =>
          method === 'tools/call' ? ['mcp:basic', 'mcp:write'] : ['mcp:basic'],
      },
    );
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs, 'tools/list');
    expect((await ok(auth, rs, 'tools/call')).scope).toBe('mcp:basic mcp:write');
    expect(as.authorizations.map((a) => a.scope)).toEqual(['mcp:basic', 'mcp:basic mcp:write']);
    // A refresh cannot widen a grant: the step-up is a new authorization.
    expect(as.tokenRequests.map((r) => r.grantType)).toEqual([
      'authorization_code',
      'authorization_code',
    ]);
  });

  it('stops stepping up after maxStepUpAttempts with McpAuthError retry-limit', async () => {
    const { as, rs } = await setup(
      { grantScope: (requested) => requested?.replace(/\s*mcp:admin/, '') },
      { requiredScopes: (method) => (method === 'tools/call' ? ['mcp:admin'] : []) },
    );
    const auth = new OAuth2Auth(interactive({ maxStepUpAttempts: 2 }));
    await ok(auth, rs, 'tools/list');
    const outcomes: unknown[] = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(
        await call(auth, rs, 'tools/call').then(
          (r) => r.status,
          (e: unknown) => e,
        ),
      );
    const last = outcomes.at(-1);
    expect(McpAuthError.isInstance(last) && last.reason).toBe('retry-limit');
    expect(as.authorizations.length).toBeLessThanOrEqual(3);
  });

  it('refreshes a token the server no longer accepts and retries the request', async () => {
    const { as, rs } = await setup();
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs);
    as.expireAccessTokens();
    await ok(auth, rs);
    expect(as.tokenRequests.map((r) => r.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(as.authorizations).toHaveLength(1);
  });

  it('authorizes again when the tokens were revoked (refresh answers invalid_grant)', async () => {
    const { as, rs } = await setup();
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs);
    as.revokeAll();
    await ok(auth, rs);
    expect(as.tokenRequests.map((r) => r.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
      'authorization_code',
    ]);
    expect(as.authorizations).toHaveLength(2);
  });

  it('registers again when the authorization server forgot the registered client', async () => {
    const { as, rs } = await setup();
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs);
    as.forgetRegisteredClients();
    as.expireAccessTokens();
    await ok(auth, rs);
    expect(as.registrations).toHaveLength(2);
    expect(as.tokenRequests.map((r) => [r.grantType, r.authMethod])).toEqual([
      ['authorization_code', 'none'],
      ['refresh_token', 'failed'],
      ['authorization_code', 'none'],
    ]);
  });

  it('refreshes ahead of expiry, once for any number of concurrent requests', async () => {
    let nowMs = Date.now();
    const { as, rs } = await setup({ accessTokenTtlSeconds: 3600 });
    const auth = new OAuth2Auth(interactive({ now: () => nowMs, refreshBeforeExpiryMs: 60_000 }));
    await ok(auth, rs);
    const first = rs.presentedTokens.at(-1);
    nowMs += 3_550_000; // 50 s before expiry: inside the refresh window
    await Promise.all(Array.from({ length: 5 }, () => ok(auth, rs)));
    expect(as.tokenRequests.map((r) => r.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    const after = rs.presentedTokens.slice(-5);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(first);
    expect(rs.received.filter((r) => r.path === '/mcp').length).toBe(2 + 5); // 401 + 1 + 5, no refusals
  });

  it('keeps using a valid token while refresh fails, and tries again later', async () => {
    let nowMs = Date.now();
    let refreshWorks = false;
    const { as, rs } = await setup({
      beforeTokenResponse: async (grant) => {
        if (grant === 'refresh_token' && !refreshWorks) throw new Error('token endpoint down');
      },
    });
    const auth = new OAuth2Auth(interactive({ now: () => nowMs }));
    await ok(auth, rs);
    const first = rs.presentedTokens.at(-1);
    nowMs += 3_570_000; // 30 s before expiry
    await ok(auth, rs); // the refresh fails; the current token still works
    await ok(auth, rs); // no new attempt right away
    expect(rs.presentedTokens.slice(-2)).toEqual([first, first]);
    expect(as.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
    refreshWorks = true;
    nowMs += 16_000;
    await ok(auth, rs);
    expect(as.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(2);
    expect(rs.presentedTokens.at(-1)).not.toBe(first);
  });

  it('lets concurrent 401s share one refresh', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { as, rs } = await setup({
      beforeTokenResponse: (grant) => (grant === 'refresh_token' ? released : Promise.resolve()),
    });
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs);
    as.expireAccessTokens();
    const N = 6;
    let refusals = 0;
    // Holds the refresh until every request has been refused, so all of them meet it in flight.
    const counting: McpAuthPlugin = {
      name: auth.name,
      headers: (request) => auth.headers(request),
      onUnauthorized: (challenge) => {
        if (++refusals === N) release();
        return auth.onUnauthorized(challenge);
      },
    };
    const results = await Promise.all(Array.from({ length: N }, () => call(counting, rs)));
    expect(results.map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(as.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
  });

  it('does not renew again for a refusal that arrives after the renewal finished', async () => {
    const { as, rs } = await setup();
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs);
    as.expireAccessTokens();
    // A request that left with the old token is refused only after another request's
    // refusal already brought a fresh one: the straggler retries with the fresh token.
    const stale = await auth.headers({ url: rs.mcpUrl, method: 'POST', headers: {} });
    await ok(auth, rs);
    expect(as.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
    const decision = await auth.onUnauthorized({
      url: rs.mcpUrl,
      status: 401,
      challenges: [{ scheme: 'bearer', params: { error: 'invalid_token' } }],
      attempt: 1,
      hadCredentials: true,
      credentials: stale ?? {},
    });
    expect(decision).toBe('retry');
    expect(as.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
  });

  it('revokes refresh and access tokens on signOut and forgets them', async () => {
    const store = new InMemoryTokenStore();
    const { as, rs } = await setup();
    const auth = new OAuth2Auth(interactive({ tokenStore: store }));
    await ok(auth, rs);
    const presented = rs.presentedTokens.at(-1)!;
    await auth.signOut();
    expect(as.revocations.map((r) => r.hint)).toEqual(['refresh_token', 'access_token']);
    expect(as.revocations[1]?.token).toBe(presented);
    expect(as.verify(presented)).toBeUndefined();
    const key = ['oauth2', as.issuer, rs.mcpUrl, ''].join('|');
    expect(await store.get(key)).toBeUndefined();
    await ok(auth, rs);
    expect(as.authorizations).toHaveLength(2);
  });

  it('keeps credentials in the token store by issuer, so another instance reuses them', async () => {
    const saved = new Map<string, StoredTokens>();
    const store = {
      get: async (key: string) => saved.get(key),
      set: async (key: string, tokens: StoredTokens) =>
        void saved.set(key, structuredClone(tokens)),
      delete: async (key: string) => void saved.delete(key),
    };
    const { as, rs } = await setup();
    await ok(new OAuth2Auth(interactive({ tokenStore: store })), rs);
    expect([...saved.keys()]).toEqual([`oauth2|${as.issuer}|${rs.mcpUrl}|`]);
    const entry = [...saved.values()][0]!;
    expect(entry.client?.clientId).toEqual(expect.any(String));
    expect(entry.refreshToken).toEqual(expect.any(String));

    await ok(new OAuth2Auth(interactive({ tokenStore: store })), rs);
    expect(as.authorizations).toHaveLength(1);
    expect(as.registrations).toHaveLength(1);
  });
});

describe('OAuth2Auth: a CLI session', () => {
  it('authorizes through the loopback listener and keeps tokens in an encrypted file across runs', async () => {
    const { as, rs } = await setup({}, { requiredScopes: () => ['mcp:basic'] });
    const dir = mkdtempSync(join(tmpdir(), 'mcp-auth-cli-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const key = randomBytes(32);
    const opened: URL[] = [];
    const loopback = await startLoopbackRedirect({
      // The "browser": follows the authorization server's redirect back to the listener.
      openUrl: async (url) => {
        opened.push(url);
        await (await fetch(url)).text();
      },
    });
    stops.push(() => loopback.close());
    const run = () =>
      new OAuth2Auth({
        redirectUrl: loopback.redirectUrl,
        onAuthorizationUrl: loopback.onAuthorizationUrl,
        tokenStore: new FileTokenStore({ path: join(dir, 'tokens.json'), key }),
      });
    await ok(run(), rs);
    await ok(run(), rs); // a second run: tokens come from the file, no browser
    expect(opened).toHaveLength(1);
    expect(as.authorizations).toHaveLength(1);
    expect(as.authorizations[0]?.redirectUri).toBe(loopback.redirectUrl);
  });
});

describe('OAuth2Auth: authorization server changes (SEP-2352)', () => {
  it('re-registers with the new authorization server and never shows it the old client', async () => {
    const as1 = await startOAuthTestServer();
    const as2 = await startOAuthTestServer();
    stops.push(
      () => as1.close(),
      () => as2.close(),
    );
    let current = as1;
    const rs = await startProtectedTestServer({ authServer: () => current });
    stops.push(() => rs.close());
    const auth = new OAuth2Auth(interactive());
    await ok(auth, rs);
    current = as2;
    await ok(auth, rs);
    const oldClient = as1.registrations.length === 1 ? as1.authorizations[0]!.clientId : '';
    expect(as2.registrations).toHaveLength(1);
    expect(as2.authorizations.map((a) => a.clientId)).not.toContain(oldClient);
    expect(as2.tokenRequests.map((r) => r.clientId)).not.toContain(oldClient);
  });

  it('refuses to send pre-registered credentials to another authorization server', async () => {
    const as1 = await startOAuthTestServer({
      clients: [{ clientId: 'pre', clientSecret: 'pre-secret' }],
    });
    const as2 = await startOAuthTestServer({
      clients: [{ clientId: 'pre', clientSecret: 'pre-secret' }],
    });
    stops.push(
      () => as1.close(),
      () => as2.close(),
    );
    let current = as1;
    const rs = await startProtectedTestServer({ authServer: () => current });
    stops.push(() => rs.close());
    const auth = new OAuth2Auth({ clientId: 'pre', clientSecret: 'pre-secret' });
    await ok(auth, rs);
    current = as2;
    const error = await call(auth, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(error) && error.reason).toBe('issuer-mismatch');
    expect(as2.tokenRequests).toHaveLength(0);
  });
});

describe('OAuth2Auth: options and hygiene', () => {
  it.each([
    [{}, 'grantType'],
    [{ clientSecret: 'x' }, 'clientId'],
    [{ clientId: 'a', clientSecret: 'x', tokenUrl: 'http://auth.example.com/token' }, 'tokenUrl'],
    [
      { clientId: 'a', clientSecret: 'x', tokenUrl: 'https://u:p@auth.example.com/token' },
      'tokenUrl',
    ],
    [{ onAuthorizationUrl: () => '' }, 'redirectUrl'],
    [{ redirectUrl: REDIRECT, grantType: 'authorization_code' }, 'onAuthorizationUrl'],
    [{ clientId: 'a', clientSecret: 'x', scopes: ['has space'] }, 'scopes.0'],
    [{ clientId: 'a', privateKey: 'k', privateKeyAlgorithm: 'HS256' }, 'privateKeyAlgorithm'],
    [
      { clientId: 'a', clientSecret: 'x', clientMetadataUrl: 'http://insecure.example/c.json' },
      'clientMetadataUrl',
    ],
    [
      { clientId: 'a', clientSecret: 'x', revocationUrl: 'https://auth.example.com/revoke' },
      'revocationUrl',
    ],
    [{ clientId: 'a', clientSecret: 'x', tokenStore: {} }, 'tokenStore'],
    [{ clientId: 'a', clientSecret: 'x', clientSecrte: 'typo' }, 'clientSecrte'],
  ])('reports %j as McpConfigError on %s', (options, field) => {
    let caught: unknown;
    try {
      new OAuth2Auth(options as OAuth2AuthOptions);
    } catch (error) {
      caught = error;
    }
    expect(McpConfigError.isInstance(caught)).toBe(true);
    expect((caught as McpConfigError).field).toBe(field);
  });

  it('never shows secrets or tokens when printed', async () => {
    const { as, rs } = await setup({
      clients: [{ clientId: 'svc', clientSecret: 'top-secret-value' }],
    });
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 'top-secret-value',
      refreshToken: 'rt-configured-value',
      tokenUrl: `${as.issuer}/token`,
      grantType: 'client_credentials',
    });
    await ok(auth, rs);
    const token = rs.presentedTokens.at(-1)!;
    expectRedacted(auth, 'top-secret-value', 'rt-configured-value', token);
    expect(auth.toJSON()).toMatchObject({
      name: 'oauth2',
      clientId: 'svc',
      clientSecret: '[redacted]',
      authorized: true,
    });
  });

  it('will not send its tokens to a second server', async () => {
    const { as, rs } = await setup({ clients: [{ clientId: 'svc', clientSecret: 'x' }] });
    const other = await setup();
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 'x',
      tokenUrl: `${as.issuer}/token`,
    });
    await ok(auth, rs);
    await expect(call(auth, other.rs)).rejects.toSatisfy((error: unknown) =>
      McpConfigError.isInstance(error),
    );
    expect(other.rs.presentedTokens).toHaveLength(0);
  });
});
