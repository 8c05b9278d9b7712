// OAuth2Auth with the JWT bearer grant (RFC 7523) for workload identity: a platform-issued
// JWT, re-read for every token request, against a real authorization server and protected
// server on 127.0.0.1.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthFetch, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { startOAuthTestServer, type OAuthTestServer } from '../test-support/oauth-test-server.js';
import {
  startProtectedTestServer,
  type ProtectedTestServer,
} from '../test-support/protected-test-server.js';
import { signJwt } from '../test-support/sign-jwt.js';
import { assertionFromEnv, assertionFromFile } from './assertion-sources.js';
import { OAuth2Auth } from './oauth2-auth.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

interface World {
  as: OAuthTestServer;
  rs: ProtectedTestServer;
  platformKey: KeyObject;
}

async function world(): Promise<World> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const as = await startOAuthTestServer({
    assertionKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    registration: false,
    clients: [{ clientId: 'workload' }],
  });
  stops.push(() => as.close());
  const rs = await startProtectedTestServer({ authServer: as });
  stops.push(() => rs.close());
  return { as, rs, platformKey: privateKey };
}

function call(plugin: McpAuthPlugin, rs: ProtectedTestServer) {
  return createAuthFetch(plugin)(rs.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
}

describe('OAuth2Auth: JWT bearer grant (workload identity)', () => {
  it('presents the platform JWT as the assertion, and reads it again when it has rotated', async () => {
    const { as, rs, platformKey } = await world();
    let generation = 0;
    const issued: string[] = [];
    const auth = new OAuth2Auth({
      clientId: 'workload',
      // A callback stands for a projected token file the platform rewrites.
      assertion: ({ issuer }) => {
        generation += 1;
        const jwt = signJwt(
          { iss: 'https://platform.example', sub: `pod-${generation}`, aud: issuer },
          platformKey,
        );
        issued.push(jwt);
        return jwt;
      },
    });
    expect((await call(auth, rs)).status).toBe(200);
    as.expireAccessTokens();
    expect((await call(auth, rs)).status).toBe(200);

    const grants = as.tokenRequests.filter((r) => r.grantType.endsWith(':jwt-bearer'));
    expect(grants.map((r) => r.assertion)).toEqual(issued);
    expect(issued).toHaveLength(2);
    expect(grants.map((r) => [r.resource, r.clientId, r.authMethod])).toEqual([
      [rs.mcpUrl, 'workload', 'none'],
      [rs.mcpUrl, 'workload', 'none'],
    ]);
    expectRedacted(auth, ...issued);
  });

  it('reads a projected token file again for every token request (assertionFromFile)', async () => {
    const { as, rs, platformKey } = await world();
    const dir = mkdtempSync(join(tmpdir(), 'wif-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'token');
    const first = signJwt({ sub: 'pod', aud: as.issuer }, platformKey);
    writeFileSync(file, `${first}\n`);
    const auth = new OAuth2Auth({ clientId: 'workload', assertion: assertionFromFile(file) });
    expect((await call(auth, rs)).status).toBe(200);
    const rotated = signJwt({ sub: 'pod', aud: as.issuer, jti: 'second' }, platformKey);
    writeFileSync(file, rotated); // the platform rotates the token
    as.expireAccessTokens();
    expect((await call(auth, rs)).status).toBe(200);
    expect(as.tokenRequests.map((r) => r.assertion)).toEqual([first, rotated]);

    rmSync(file);
    as.expireAccessTokens();
    const missing = await call(auth, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(missing) && missing.reason).toBe('invalid_grant');
  });

  it('reads the token from an environment variable (assertionFromEnv)', async () => {
    const { as, rs, platformKey } = await world();
    const env: Record<string, string | undefined> = {
      MCP_WORKLOAD_TOKEN: signJwt({ sub: 'job', aud: as.issuer }, platformKey),
    };
    const auth = new OAuth2Auth({ assertion: assertionFromEnv('MCP_WORKLOAD_TOKEN', env) });
    expect((await call(auth, rs)).status).toBe(200);
    expect(as.tokenRequests[0]!.assertion).toBe(env.MCP_WORKLOAD_TOKEN);
    const empty = new OAuth2Auth({ assertion: assertionFromEnv('UNSET_TOKEN', {}) });
    const error = await call(empty, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(error) && error.message).toContain('UNSET_TOKEN');
  });

  it('stops at a refused assertion: one token request, no retry, no other grant', async () => {
    const { as, rs } = await world();
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = signJwt({ sub: 'pod', aud: as.issuer }, stranger);
    const auth = new OAuth2Auth({ assertion: forged });
    const error = await call(auth, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(error)).toBe(true);
    expect((error as McpAuthError).reason).toBe('invalid_grant');
    expect(as.tokenRequests).toHaveLength(1);
    expectRedacted(error, forged);
  });

  it('reports an assertion source that fails or returns no JWT, without echoing it', async () => {
    const { rs } = await world();
    const broken = new OAuth2Auth({
      assertion: () => {
        throw new Error('token file missing');
      },
    });
    const failed = await call(broken, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(failed) && failed.reason).toBe('invalid_grant');
    expect((failed as Error).cause).toBeInstanceOf(Error);

    const garbage = new OAuth2Auth({ assertion: () => 'not-a-jwt-secret-value' });
    const refused = await call(garbage, rs).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(refused) && refused.message).toContain('compact JWS');
    expectRedacted(refused, 'not-a-jwt-secret-value');
  });

  it('validates the options at construction', () => {
    const field = (options: object) => {
      try {
        new OAuth2Auth(options as never);
      } catch (error) {
        return McpConfigError.isInstance(error) ? error.field : 'other';
      }
      return undefined;
    };
    expect(field({ assertion: 'a.b.c', grantType: 'jwt_bearer' })).toBeUndefined();
    expect(field({ assertion: 42 })).toBe('assertion');
    expect(field({ grantType: 'jwt_bearer', clientId: 'x' })).toBe('assertion');
    expect(
      field({
        assertion: 'a.b.c',
        clientId: 'c',
        enterprise: { idToken: 't', idpClientId: 'i', idpTokenUrl: 'https://idp.example/token' },
      }),
    ).toBe('enterprise');
    expect(
      field({
        enterprise: { idToken: 't', idpClientId: 'i', idpTokenUrl: 'https://idp.example/token' },
      }),
    ).toBe('clientId');
    expect(field({ clientId: 'c', enterprise: { idToken: 't', idpClientId: 'i' } })).toBe(
      'enterprise.idpTokenUrl',
    );
    expect(
      field({
        clientId: 'c',
        enterprise: { idToken: 't', idpClientId: 'i', idpTokenUrl: 'http://idp.example/token' },
      }),
    ).toBe('enterprise.idpTokenUrl');
  });
});
