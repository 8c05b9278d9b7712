// OAuth 2.1 end to end over real HTTP: MockAuthorizationServer issues, MockMCPServer
// (the protected resource) checks, clients drive the flows with plain fetch or the SDK.
import { createHash, randomBytes } from 'node:crypto';
import { McpAuthError } from '@tframex/mcp-api';
import { parseWwwAuthenticate, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MCPTestClient,
  MockAuthorizationServer,
  MockMCPServer,
  type MockAuthorizationServerOptions,
} from '../index.js';
import { HeadlessOAuthProvider } from './test-support/headless-oauth-provider.js';

let authServer: MockAuthorizationServer;
let server: MockMCPServer;
let url: string;
const closers: Array<() => Promise<unknown>> = [];

async function setup(options: MockAuthorizationServerOptions = {}): Promise<void> {
  authServer = new MockAuthorizationServer({
    scopesSupported: ['mcp', 'admin', 'read'],
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    ...options,
  });
  await authServer.start();
  server = new MockMCPServer({
    auth: {
      type: 'oauth',
      authorizationServer: authServer,
      scopes: ['mcp'],
      toolScopes: { 'admin-tool': ['admin'] },
    },
  });
  server.addTool('whoami', (_args, ctx) => ({
    clientId: ctx.auth?.clientId,
    scopes: ctx.auth?.scopes,
  }));
  server.addTool('admin-tool', () => 'admin ok');
  url = await server.start();
}

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await server?.stop();
  await authServer?.stop();
});

function form(values: Record<string, string>): URLSearchParams {
  return new URLSearchParams(values);
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function tokenRequest(body: URLSearchParams, authorization?: string): Promise<Response> {
  return fetch(`${authServer.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body,
  });
}

function bearer(token: string): McpAuthPlugin {
  return { name: 'oauth-token', headers: () => ({ authorization: `Bearer ${token}` }) };
}

function testClient(token: string): MCPTestClient {
  const client = new MCPTestClient(url, { auth: bearer(token) });
  closers.push(() => client.close());
  return client;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(
  params: Record<string, string>,
): Promise<{ status: number; location: URL | undefined; body: unknown }> {
  const response = await fetch(`${authServer.issuer}/authorize?${new URLSearchParams(params)}`, {
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  return {
    status: response.status,
    location: location === null ? undefined : new URL(location),
    body: location === null ? await response.json() : undefined,
  };
}

describe('OAuth discovery', () => {
  it('challenges with resource_metadata and serves RFC 9728, RFC 8414 and OIDC metadata', async () => {
    await setup();
    const refused = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    const [challenge] = parseWwwAuthenticate(refused.headers.get('www-authenticate'));
    const origin = new URL(url).origin;
    expect(challenge).toEqual({
      scheme: 'bearer',
      params: {
        scope: 'mcp',
        resource_metadata: `${origin}/.well-known/oauth-protected-resource/mcp`,
      },
    });

    const resource = await (await fetch(challenge!.params['resource_metadata']!)).json();
    expect(resource).toMatchObject({
      resource: url,
      authorization_servers: [authServer.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['mcp', 'admin'],
    });
    const metadata = await (
      await fetch(`${authServer.issuer}/.well-known/oauth-authorization-server`)
    ).json();
    expect(metadata).toMatchObject({
      issuer: authServer.issuer,
      token_endpoint: `${authServer.issuer}/token`,
      registration_endpoint: `${authServer.issuer}/register`,
      revocation_endpoint: `${authServer.issuer}/revoke`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    });
    const oidc = await (
      await fetch(`${authServer.issuer}/.well-known/openid-configuration`)
    ).json();
    expect(oidc).toMatchObject({
      issuer: authServer.issuer,
      jwks_uri: `${authServer.issuer}/jwks`,
    });
  });

  it('discovers an issuer with a path, in the styles asked for', async () => {
    const oauthOnly = new MockAuthorizationServer({ metadata: 'oauth' });
    const issuer = await oauthOnly.start({ path: '/tenant' });
    closers.push(() => oauthOnly.stop());
    const origin = new URL(issuer).origin;
    expect(issuer).toMatch(/\/tenant$/);
    expect((await fetch(`${origin}/.well-known/oauth-authorization-server/tenant`)).status).toBe(
      200,
    );
    expect((await fetch(`${origin}/.well-known/openid-configuration/tenant`)).status).toBe(404);

    const oidcOnly = new MockAuthorizationServer({ metadata: 'oidc' });
    const oidcIssuer = await oidcOnly.start({ path: '/t' });
    closers.push(() => oidcOnly.stop());
    const oidcOrigin = new URL(oidcIssuer).origin;
    expect((await fetch(`${oidcOrigin}/.well-known/openid-configuration/t`)).status).toBe(200);
    expect((await fetch(`${oidcIssuer}/.well-known/openid-configuration`)).status).toBe(200);
    expect((await fetch(`${oidcOrigin}/.well-known/oauth-authorization-server/t`)).status).toBe(
      404,
    );
  });
});

describe('client credentials', () => {
  it('issues tokens to client_secret_basic and client_secret_post, which the MCP server accepts', async () => {
    await setup();
    const viaBasic = await tokenRequest(
      form({ grant_type: 'client_credentials', scope: 'mcp' }),
      basic('svc', 'svc-secret'),
    );
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.headers.get('cache-control')).toBe('no-store');
    const issued = (await viaBasic.json()) as Record<string, unknown>;
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'mcp' });
    expect(issued['refresh_token']).toBeUndefined();

    const viaPost = await tokenRequest(
      form({
        grant_type: 'client_credentials',
        scope: 'mcp read',
        client_id: 'svc',
        client_secret: 'svc-secret',
      }),
    );
    expect(await viaPost.json()).toMatchObject({ scope: 'mcp read' });
    expect(
      authServer.requests.filter((r) => r.endpoint === 'token').map((r) => r.clientAuth),
    ).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(authServer.requests.every((r) => !('client_secret' in r.params))).toBe(true);

    expect(await testClient(String(issued['access_token'])).executeTool('whoami')).toEqual({
      clientId: 'svc',
      scopes: ['mcp'],
    });
    const introspected = await fetch(`${authServer.issuer}/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('svc', 'svc-secret'),
      },
      body: form({ token: String(issued['access_token']) }),
    });
    expect(await introspected.json()).toMatchObject({
      active: true,
      client_id: 'svc',
      scope: 'mcp',
      token_type: 'Bearer',
    });
  });

  it('refuses wrong secrets, unknown scopes and grants with OAuth errors', async () => {
    await setup();
    const wrong = await tokenRequest(
      form({ grant_type: 'client_credentials' }),
      basic('svc', 'nope'),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const scope = await tokenRequest(
      form({ grant_type: 'client_credentials', scope: 'mcp root' }),
      basic('svc', 'svc-secret'),
    );
    expect(await scope.json()).toMatchObject({ error: 'invalid_scope' });
    const grant = await tokenRequest(form({ grant_type: 'password' }), basic('svc', 'svc-secret'));
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await fetch(`${authServer.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    authServer.failNext('token', { status: 503, error: 'temporarily_unavailable' });
    const failed = await tokenRequest(
      form({ grant_type: 'client_credentials' }),
      basic('svc', 'svc-secret'),
    );
    expect(failed.status).toBe(503);
    expect(
      (await tokenRequest(form({ grant_type: 'client_credentials' }), basic('svc', 'svc-secret')))
        .status,
    ).toBe(200);
  });

  it.each(['legacy', 'auto'] as const)(
    'works through the SDK ClientCredentialsProvider, from the 401 challenge (%s)',
    async (mode) => {
      await setup();
      const provider = new ClientCredentialsProvider({
        clientId: 'svc',
        clientSecret: 'svc-secret',
        scope: 'mcp',
        expectedIssuer: authServer.issuer,
      });
      const client = new Client({ name: 'cc', version: '1.0.0' }, { versionNegotiation: { mode } });
      closers.push(() => client.close());
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }),
      );
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.structuredContent).toEqual({ clientId: 'svc', scopes: ['mcp'] });
      expect(
        server.httpRequests.some(
          (request) => request.path === '/.well-known/oauth-protected-resource/mcp',
        ),
      ).toBe(true);
      expect(authServer.requests.map((request) => request.endpoint)).toEqual(
        expect.arrayContaining(['metadata', 'token']),
      );
      const tokenCall = authServer.requests.find((request) => request.endpoint === 'token');
      expect(tokenCall?.params['resource']).toBe(url);
    },
  );
});

describe('authorization code + PKCE', () => {
  it('runs end to end through the SDK auth machinery, with dynamic registration', async () => {
    await setup();
    const provider = new HeadlessOAuthProvider({ scope: 'mcp' });
    const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
    const refused = new Client(
      { name: 'ac', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await expect(refused.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    await refused.close();

    expect(provider.callback?.get('iss')).toBe(authServer.issuer);
    const authorizeUrl = provider.authorizationUrls[0]!;
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('resource')).toBe(url);
    await first.finishAuth(provider.callback!);

    const client = new Client(
      { name: 'ac', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    closers.push(() => client.close());
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }),
    );
    const { structuredContent } = await client.callTool({ name: 'whoami', arguments: {} });
    const registered = authServer.clients.find(
      (candidate) => candidate.clientName === 'headless test client',
    );
    expect(structuredContent).toEqual({ clientId: registered?.clientId, scopes: ['mcp'] });
    expect(provider.tokens()?.refresh_token).toBeDefined();
    expect(authServer.requests.map((request) => request.endpoint)).toEqual(
      expect.arrayContaining(['register', 'authorize', 'token']),
    );
  });

  it('keeps a registered client within the scope it registered for', async () => {
    await setup();
    const client = authServer.registerClient({
      redirectUris: ['http://127.0.0.1:9/cb'],
      scopes: ['mcp'],
    });
    const { challenge } = pkce();
    const asked = await authorize({
      response_type: 'code',
      client_id: client.clientId,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'mcp admin',
    });
    expect(asked.location?.searchParams.get('error')).toBe('invalid_scope');
  });

  it('checks the verifier, redirect URI and state, and single-uses codes (plain fetch)', async () => {
    await setup();
    const redirect = 'http://127.0.0.1:9/callback';
    const client = authServer.registerClient({ redirectUris: [redirect] });
    const { verifier, challenge } = pkce();
    const params = {
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirect,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
      scope: 'mcp',
      resource: url,
    };
    const auth = (secret = client.clientSecret!) => basic(client.clientId, secret);

    const wrongVerifier = await authorize(params);
    expect(wrongVerifier.location?.searchParams.get('state')).toBe('xyz');
    expect(wrongVerifier.location?.searchParams.get('iss')).toBe(authServer.issuer);
    const rejected = await tokenRequest(
      form({
        grant_type: 'authorization_code',
        code: wrongVerifier.location!.searchParams.get('code')!,
        redirect_uri: redirect,
        code_verifier: pkce().verifier,
      }),
      auth(),
    );
    expect(await rejected.json()).toMatchObject({ error: 'invalid_grant' });

    const granted = await authorize(params);
    const code = granted.location!.searchParams.get('code')!;
    const exchange = form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      code_verifier: verifier,
    });
    const tokens = (await (await tokenRequest(exchange, auth())).json()) as Record<string, string>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'mcp' });
    expect(tokens['refresh_token']).toBeDefined();
    expect(await testClient(tokens['access_token']!).executeTool('whoami')).toEqual({
      clientId: client.clientId,
      scopes: ['mcp'],
    });

    // Replaying the code fails and revokes what it bought.
    expect(await (await tokenRequest(exchange, auth())).json()).toMatchObject({
      error: 'invalid_grant',
    });
    expect(authServer.introspect(tokens['access_token']!)).toBeUndefined();

    const withoutChallenge = await authorize(
      Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'code_challenge')),
    );
    expect(withoutChallenge.location?.searchParams.get('error')).toBe('invalid_request');
    const plain = await authorize({ ...params, code_challenge_method: 'plain' });
    expect(plain.location?.searchParams.get('error')).toBe('invalid_request');
    const foreignRedirect = await authorize({ ...params, redirect_uri: 'https://evil.example/cb' });
    expect(foreignRedirect).toMatchObject({
      status: 400,
      location: undefined,
      body: { error: 'invalid_request' },
    });

    authServer.setConsent('deny');
    const denied = await authorize(params);
    expect(Object.fromEntries(denied.location!.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'xyz',
      iss: authServer.issuer,
    });
  });

  it('steps up: a tool needing more scope gets 403 insufficient_scope, and the SDK re-authorizes', async () => {
    await setup();
    // Registered without a scope limit; the SDK asks for the scope the challenges name.
    const provider = new HeadlessOAuthProvider();
    const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
    const probe = new Client({ name: 'step-up', version: '1.0.0' });
    await expect(probe.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    await probe.close();
    await first.finishAuth(provider.callback!);

    const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
    const client = new Client({ name: 'step-up', version: '1.0.0' });
    closers.push(() => client.close());
    await client.connect(transport);
    await expect(client.callTool({ name: 'admin-tool', arguments: {} })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    const stepUp = provider.authorizationUrls.at(-1)!;
    expect(stepUp.searchParams.get('scope')?.split(' ').sort()).toEqual(['admin', 'mcp']);
    await transport.finishAuth(provider.callback!);
    expect((await client.callTool({ name: 'admin-tool', arguments: {} })).content).toEqual([
      { type: 'text', text: 'admin ok' },
    ]);

    const challenge = server.httpRequests.find((request) => request.status === 403);
    expect(challenge).toBeDefined();
  });

  it('tells an McpSession caller which scope is missing', async () => {
    await setup();
    const { accessToken } = authServer.issueToken({ clientId: 'svc', scopes: ['mcp'] });
    const error = await testClient(accessToken)
      .executeTool('admin-tool')
      .catch((caught: unknown) => caught);
    expect(McpAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, reason: 'insufficient_scope' });
  });
});

describe('token lifetime', () => {
  it('refresh rotates, cannot widen scope, and tokens expire by the clock', async () => {
    let now = Date.UTC(2026, 0, 1);
    await setup({ now: () => now, accessTokenTtlMs: 60_000, refreshTokenTtlMs: 600_000 });
    const issued = authServer.issueToken({
      clientId: 'svc',
      scopes: ['mcp', 'read'],
      refresh: true,
    });
    const session = testClient(issued.accessToken);
    expect(await session.executeTool('whoami')).toMatchObject({ scopes: ['mcp', 'read'] });

    now += 61_000;
    const expired = await testClient(issued.accessToken)
      .listTools()
      .catch((error: unknown) => error);
    expect(McpAuthError.isInstance(expired)).toBe(true);
    expect(server.httpRequests.at(-1)?.status).toBe(401);

    const widen = await tokenRequest(
      form({
        grant_type: 'refresh_token',
        refresh_token: issued.refreshToken!,
        scope: 'mcp admin',
      }),
      basic('svc', 'svc-secret'),
    );
    expect(await widen.json()).toMatchObject({ error: 'invalid_scope' });
    const rotated = (await (
      await tokenRequest(
        form({ grant_type: 'refresh_token', refresh_token: issued.refreshToken!, scope: 'mcp' }),
        basic('svc', 'svc-secret'),
      )
    ).json()) as Record<string, string>;
    expect(rotated).toMatchObject({ scope: 'mcp', expires_in: 60 });
    expect(rotated['refresh_token']).not.toBe(issued.refreshToken);
    const replay = await tokenRequest(
      form({ grant_type: 'refresh_token', refresh_token: issued.refreshToken! }),
      basic('svc', 'svc-secret'),
    );
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await testClient(rotated['access_token']!).executeTool('whoami')).toMatchObject({
      scopes: ['mcp'],
    });

    now += 601_000;
    const stale = await tokenRequest(
      form({ grant_type: 'refresh_token', refresh_token: rotated['refresh_token']! }),
      basic('svc', 'svc-secret'),
    );
    expect(await stale.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revocation (RFC 7009) ends a token, and a refresh token takes its access tokens along', async () => {
    await setup();
    const issued = authServer.issueToken({ clientId: 'svc', scopes: ['mcp'], refresh: true });
    expect(await testClient(issued.accessToken).executeTool('whoami')).toMatchObject({
      clientId: 'svc',
    });
    const revoke = (tokenValue: string) =>
      fetch(`${authServer.issuer}/revoke`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic('svc', 'svc-secret'),
        },
        body: form({ token: tokenValue }),
      });
    expect((await revoke('never-issued')).status).toBe(200);
    expect((await revoke(issued.refreshToken!)).status).toBe(200);
    expect(authServer.introspect(issued.accessToken)).toBeUndefined();
    const refused = await testClient(issued.accessToken)
      .listTools()
      .catch((error: unknown) => error);
    expect(McpAuthError.isInstance(refused)).toBe(true);
  });

  it('refuses a token issued for another resource (RFC 8707)', async () => {
    await setup();
    const elsewhere = authServer.issueToken({
      clientId: 'svc',
      scopes: ['mcp'],
      resource: 'http://127.0.0.1:1/other',
    });
    expect(
      await testClient(elsewhere.accessToken)
        .listTools()
        .catch((error: unknown) => error),
    ).toMatchObject({ status: 401 });
    const here = authServer.issueToken({ clientId: 'svc', scopes: ['mcp'], resource: url });
    expect(await testClient(here.accessToken).listTools()).toHaveLength(2);
  });
});

describe('dynamic client registration', () => {
  it('registers confidential and public clients and refuses bad metadata', async () => {
    await setup();
    const register = (body: unknown) =>
      fetch(`${authServer.issuer}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const confidential = await register({
      redirect_uris: ['http://127.0.0.1:9/cb'],
      client_name: 'app',
    });
    expect(confidential.status).toBe(201);
    expect(await confidential.json()).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      client_name: 'app',
    });
    const publicClient = (await (
      await register({
        redirect_uris: ['http://127.0.0.1:9/cb'],
        token_endpoint_auth_method: 'none',
      })
    ).json()) as Record<string, unknown>;
    expect(publicClient['client_secret']).toBeUndefined();
    const machine = await register({ grant_types: ['client_credentials'] });
    expect(machine.status).toBe(201);
    expect(await (await register({ client_name: 'no redirect' })).json()).toMatchObject({
      error: 'invalid_redirect_uri',
    });
    expect(await (await register({ redirect_uris: ['not a uri'] })).json()).toMatchObject({
      error: 'invalid_redirect_uri',
    });
    expect(
      await (
        await register({ redirect_uris: ['http://x/cb'], token_endpoint_auth_method: 'magic' })
      ).json(),
    ).toMatchObject({
      error: 'invalid_client_metadata',
    });
  });
});
