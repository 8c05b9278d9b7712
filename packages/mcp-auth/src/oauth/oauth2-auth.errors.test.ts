// Failure paths of OAuth2Auth against hostile or broken servers, faked with msw: each ends
// in an McpAuthError whose reason says what went wrong, and nothing hangs.
import { createAuthFetch } from '@tframex/mcp-auth-api';
import {
  McpAuthError,
  McpSecurityError,
  McpTimeoutError,
  type McpAuthErrorReason,
} from '@tframex/mcp-api';
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { OAuth2Auth } from './oauth2-auth.js';
import type { AuthorizationUrlHandler, OAuth2AuthOptions } from './oauth2-auth-options.js';

const MCP = 'https://mcp.example.com/mcp';
const PRM = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const AS = 'https://auth.example.com';
const REDIRECT = 'http://127.0.0.1:9/callback';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let tokenCalls = 0;

function asMetadata(overrides: Record<string, unknown> = {}) {
  return {
    issuer: AS,
    authorization_endpoint: `${AS}/authorize`,
    token_endpoint: `${AS}/token`,
    registration_endpoint: `${AS}/register`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    ...overrides,
  };
}

/** A well-behaved world; each test replaces the part it breaks. */
function world(...overrides: HttpHandler[]) {
  tokenCalls = 0;
  server.use(
    ...overrides,
    http.post(MCP, ({ request }) =>
      request.headers.get('authorization') === 'Bearer good-token'
        ? HttpResponse.json({ ok: true })
        : new HttpResponse(null, {
            status: 401,
            headers: { 'www-authenticate': `Bearer resource_metadata="${PRM}", scope="mcp:basic"` },
          }),
    ),
    http.get(PRM, () => HttpResponse.json({ resource: MCP, authorization_servers: [AS] })),
    http.get(`${AS}/.well-known/oauth-authorization-server`, () => HttpResponse.json(asMetadata())),
    http.post(`${AS}/register`, () =>
      HttpResponse.json(
        { client_id: 'dyn-client', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
        { status: 201 },
      ),
    ),
    http.post(`${AS}/token`, () => {
      tokenCalls++;
      return HttpResponse.json({
        access_token: 'good-token',
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }),
  );
}

/** Answers the authorization URL the way a browser would come back. */
const redirectBack =
  (params: (sent: URL) => Record<string, string>): AuthorizationUrlHandler =>
  (authorizationUrl) => {
    const back = new URL(REDIRECT);
    for (const [key, value] of Object.entries(params(authorizationUrl)))
      back.searchParams.set(key, value);
    return back;
  };

const goodCallback = redirectBack((sent) => ({
  code: 'c-1',
  state: sent.searchParams.get('state')!,
  iss: AS,
}));

async function failure(options: OAuth2AuthOptions): Promise<McpAuthError> {
  const auth = new OAuth2Auth(options);
  const outcome = await createAuthFetch(auth)(MCP, { method: 'POST', body: '{}' }).then(
    (response) => response,
    (error: unknown) => error,
  );
  if (!McpAuthError.isInstance(outcome))
    throw new Error(`expected McpAuthError, got ${String(outcome)}`);
  return outcome;
}

const interactive = (onAuthorizationUrl = goodCallback): OAuth2AuthOptions => ({
  redirectUrl: REDIRECT,
  onAuthorizationUrl,
});

describe('OAuth2Auth failure paths', () => {
  it('works in the well-behaved world (the baseline the other tests break)', async () => {
    world();
    const response = await createAuthFetch(new OAuth2Auth(interactive()))(MCP, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(tokenCalls).toBe(1);
  });

  it.each<[string, HttpHandler, McpAuthErrorReason]>([
    [
      'protected resource metadata that is not JSON',
      http.get(PRM, () => new HttpResponse('<html>', { status: 200 })),
      'discovery-failed',
    ],
    [
      'protected resource metadata without resource',
      http.get(PRM, () => HttpResponse.json({ authorization_servers: [AS] })),
      'discovery-failed',
    ],
    [
      'protected resource metadata for another server',
      http.get(PRM, () =>
        HttpResponse.json({
          resource: 'https://other.example.com/mcp',
          authorization_servers: [AS],
        }),
      ),
      'discovery-failed',
    ],
    [
      'protected resource metadata that fails',
      http.get(PRM, () => new HttpResponse(null, { status: 500 })),
      'discovery-failed',
    ],
    [
      'oversized protected resource metadata',
      http.get(PRM, () =>
        HttpResponse.json({ resource: MCP, authorization_servers: [AS], pad: 'x'.repeat(300_000) }),
      ),
      'discovery-failed',
    ],
    [
      'authorization server metadata naming another issuer',
      http.get(`${AS}/.well-known/oauth-authorization-server`, () =>
        HttpResponse.json(asMetadata({ issuer: 'https://evil.example.com' })),
      ),
      'issuer-mismatch',
    ],
    [
      'authorization server metadata that is malformed',
      http.get(`${AS}/.well-known/oauth-authorization-server`, () =>
        HttpResponse.json({ issuer: AS }),
      ),
      'discovery-failed',
    ],
    [
      'an authorization server without PKCE S256',
      http.get(`${AS}/.well-known/oauth-authorization-server`, () =>
        HttpResponse.json(asMetadata({ code_challenge_methods_supported: ['plain'] })),
      ),
      'discovery-failed',
    ],
    [
      'an insecure token endpoint',
      http.get(`${AS}/.well-known/oauth-authorization-server`, () =>
        HttpResponse.json(asMetadata({ token_endpoint: 'http://auth.example.com/token' })),
      ),
      'discovery-failed',
    ],
    [
      'a refused registration',
      http.post(`${AS}/register`, () =>
        HttpResponse.json({ error: 'invalid_redirect_uri' }, { status: 400 }),
      ),
      'registration-failed',
    ],
    [
      'a code the token endpoint rejects',
      http.post(`${AS}/token`, () =>
        HttpResponse.json({ error: 'invalid_grant' }, { status: 400 }),
      ),
      'invalid_grant',
    ],
    [
      'a token response that is not a token',
      http.post(`${AS}/token`, () => HttpResponse.json({ hello: 'world' })),
      'unauthorized',
    ],
    [
      'a sender-constrained token type',
      http.post(`${AS}/token`, () => HttpResponse.json({ access_token: 'a', token_type: 'DPoP' })),
      'invalid_token',
    ],
  ])('ends in McpAuthError on %s', async (_what, handler, reason) => {
    world(handler);
    const error = await failure(interactive());
    expect(error.reason).toBe(reason);
  });

  it('reports a missing authorization server metadata document', async () => {
    world(
      http.get(
        `${AS}/.well-known/oauth-authorization-server`,
        () => new HttpResponse(null, { status: 404 }),
      ),
      http.get(
        `${AS}/.well-known/openid-configuration`,
        () => new HttpResponse(null, { status: 404 }),
      ),
    );
    expect((await failure(interactive())).reason).toBe('discovery-failed');
  });

  it('refuses a registration-less server when no client is configured', async () => {
    world(
      http.get(`${AS}/.well-known/oauth-authorization-server`, () =>
        HttpResponse.json(asMetadata({ registration_endpoint: undefined })),
      ),
    );
    expect((await failure(interactive())).reason).toBe('registration-failed');
  });

  it.each<[string, (sent: URL) => Record<string, string>, McpAuthErrorReason]>([
    [
      'an iss from another issuer (mix-up)',
      (s) => ({
        code: 'c',
        state: s.searchParams.get('state')!,
        iss: 'https://evil.example.com',
        error_description: 'click here',
      }),
      'issuer-mismatch',
    ],
    [
      'an iss with a trailing slash (no normalization)',
      (s) => ({ code: 'c', state: s.searchParams.get('state')!, iss: `${AS}/` }),
      'issuer-mismatch',
    ],
    [
      'no iss although the server promises one',
      (s) => ({ code: 'c', state: s.searchParams.get('state')! }),
      'issuer-mismatch',
    ],
    [
      'a state that was never sent',
      () => ({ code: 'c', state: 'forged', iss: AS }),
      'access_denied',
    ],
    [
      'an error instead of a code',
      (s) => ({ error: 'access_denied', state: s.searchParams.get('state')!, iss: AS }),
      'access_denied',
    ],
    [
      'neither code nor error',
      (s) => ({ state: s.searchParams.get('state')!, iss: AS }),
      'access_denied',
    ],
  ])(
    'rejects an authorization response with %s before redeeming anything',
    async (_what, params, reason) => {
      world();
      const error = await failure(interactive(redirectBack(params)));
      expect(error.reason).toBe(reason);
      expect(tokenCalls).toBe(0);
      expect(error.message).not.toContain('click here');
    },
  );

  it('reports a dead configured refresh token as invalid_grant without showing it', async () => {
    world(
      http.post(`${AS}/token`, () =>
        HttpResponse.json({ error: 'invalid_grant' }, { status: 400 }),
      ),
    );
    const error = await failure({
      refreshToken: 'rt-secret-123',
      clientId: 'cli',
      tokenUrl: `${AS}/token`,
    });
    expect(error.reason).toBe('invalid_grant');
    expectRedacted(error, 'rt-secret-123');
  });

  it('reports an unreachable authorization server as retryable', async () => {
    world(http.get(`${AS}/.well-known/oauth-authorization-server`, () => HttpResponse.error()));
    const error = await failure(interactive());
    expect(error.reason).toBe('discovery-failed');
    expect(error.retryable).toBe(true);
  });

  it('gives up on an authorization server that never answers', async () => {
    world(
      http.get(`${AS}/.well-known/oauth-authorization-server`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const auth = new OAuth2Auth({ ...interactive(), requestTimeoutMs: 200 });
    const error = await createAuthFetch(auth)(MCP, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(McpTimeoutError.isInstance(error)).toBe(true);
  });

  it('refuses an oversized token response', async () => {
    world(
      http.post(`${AS}/token`, () =>
        HttpResponse.json({ access_token: 'x'.repeat(2 * 1024 * 1024), token_type: 'Bearer' }),
      ),
    );
    const auth = new OAuth2Auth(interactive());
    const error = await createAuthFetch(auth)(MCP, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(McpSecurityError.isInstance(error) && error.rule).toBe('response-size');
  });
});
