// MockAuthorizationServer's DPoP, JWT bearer and token exchange support, driven with plain
// fetch and hand-made proofs and assertions (a second client besides @tframex/mcp-auth), and
// MockMCPServer refusing a DPoP-bound token presented without its key.
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MockAuthorizationServer,
  MockMCPServer,
  type MockAuthorizationServerOptions,
} from '../index.js';
import { signJws } from './jws.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function started(options: MockAuthorizationServerOptions) {
  const server = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    ...options,
  });
  await server.start();
  stops.push(() => server.stop());
  return server;
}

const basic = `Basic ${Buffer.from('svc:svc-secret').toString('base64')}`;
const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

function proof(
  pair: { privateKey: KeyObject; publicKey: KeyObject },
  claims: Record<string, unknown>,
): string {
  return signJws(
    { jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims },
    pair.privateKey,
    { typ: 'dpop+jwt', jwk: pair.publicKey.export({ format: 'jwk' }) },
  );
}

function token(
  server: MockAuthorizationServer,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
}

describe('MockAuthorizationServer: DPoP', () => {
  it('advertises DPoP, hands out a nonce, and binds the token to the proof key', async () => {
    const server = await started({ dpop: { nonce: true } });
    expect(server.metadata.dpop_signing_alg_values_supported).toContain('ES256');
    const pair = key();
    const htu = `${server.issuer}/token`;
    const first = await token(
      server,
      { grant_type: 'client_credentials' },
      {
        authorization: basic,
        dpop: proof(pair, { htm: 'POST', htu }),
      },
    );
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toBe(server.dpopNonce);

    const second = await token(
      server,
      { grant_type: 'client_credentials' },
      {
        authorization: basic,
        dpop: proof(pair, { htm: 'POST', htu, nonce }),
      },
    );
    const body = (await second.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    const thumbprint = createHash('sha256')
      .update(
        JSON.stringify(
          (({ crv, kty, x, y }) => ({ crv, kty, x, y }))(pair.publicKey.export({ format: 'jwk' })),
        ),
      )
      .digest('base64url');
    expect(server.introspect(body.access_token)?.jkt).toBe(thumbprint);
  });

  it('refuses a missing proof when required, a replayed one, and one for another URL', async () => {
    const server = await started({ dpop: { required: true } });
    const pair = key();
    const refused = async (headers: Record<string, string>) => {
      const response = await token(
        server,
        { grant_type: 'client_credentials' },
        { authorization: basic, ...headers },
      );
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await refused({})).toBe('invalid_dpop_proof');
    expect(
      await refused({ dpop: proof(pair, { htm: 'POST', htu: `${server.issuer}/other` }) }),
    ).toBe('invalid_dpop_proof');
    expect(
      await refused({ dpop: proof(pair, { htm: 'GET', htu: `${server.issuer}/token` }) }),
    ).toBe('invalid_dpop_proof');
    const once = proof(pair, { htm: 'POST', htu: `${server.issuer}/token` });
    expect(
      (
        await token(
          server,
          { grant_type: 'client_credentials' },
          { authorization: basic, dpop: once },
        )
      ).status,
    ).toBe(200);
    expect(await refused({ dpop: once })).toBe('invalid_dpop_proof'); // jti replay
  });

  it('has MockMCPServer refuse a bound token presented as Bearer or without a matching proof', async () => {
    const authServer = await started({ dpop: {} });
    const server = new MockMCPServer({ auth: { type: 'oauth', authorizationServer: authServer } });
    const url = await server.start();
    stops.push(() => server.stop());
    const pair = key();
    const issued = (await (
      await token(
        authServer,
        { grant_type: 'client_credentials' },
        {
          authorization: basic,
          dpop: proof(pair, { htm: 'POST', htu: `${authServer.issuer}/token` }),
        },
      )
    ).json()) as { access_token: string };
    const ath = createHash('sha256').update(issued.access_token).digest('base64url');
    const call = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    const asBearer = await call({ authorization: `Bearer ${issued.access_token}` });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    const otherKey = await call({
      authorization: `DPoP ${issued.access_token}`,
      dpop: proof(key(), { htm: 'POST', htu: url, ath }),
    });
    expect(otherKey.headers.get('www-authenticate')).toMatch(/invalid_dpop_proof/);
    const noAth = await call({
      authorization: `DPoP ${issued.access_token}`,
      dpop: proof(pair, { htm: 'POST', htu: url }),
    });
    expect(noAth.status).toBe(401);
    const good = await call({
      authorization: `DPoP ${issued.access_token}`,
      dpop: proof(pair, { htm: 'POST', htu: url, ath }),
    });
    expect(good.status).not.toBe(401);
  });
});

describe('MockAuthorizationServer: JWT bearer grant and token exchange', () => {
  it('accepts an assertion from a trusted issuer for its own audience only', async () => {
    const platform = key();
    const server = await started({
      trustedIssuers: [
        {
          issuer: 'https://platform.example',
          publicKey: platform.publicKey.export({ format: 'jwk' }),
        },
      ],
    });
    expect(server.metadata.grant_types_supported).toContain(
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    );
    const now = Math.floor(Date.now() / 1000);
    const assertion = (claims: Record<string, unknown>, signer = platform.privateKey) =>
      signJws(
        {
          iss: 'https://platform.example',
          sub: 'workload',
          aud: server.issuer,
          exp: now + 60,
          ...claims,
        },
        signer,
      );
    const grant = (value: string) =>
      token(server, {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: value,
      });
    const ok = await grant(assertion({}));
    expect(ok.status).toBe(200);
    const issued = (await ok.json()) as { access_token: string };
    expect(server.introspect(issued.access_token)?.clientId).toBe('workload');
    for (const bad of [
      assertion({ aud: 'https://elsewhere.example' }),
      assertion({ exp: now - 60 }),
      assertion({}, key().privateKey),
      assertion({ iss: 'https://unknown.example' }),
    ]) {
      const response = await grant(bad);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('plays the identity provider: ID token → ID-JAG → access token at a trusting server', async () => {
    const authServer = await started({ trustedIssuers: [] });
    const idp = await started({
      clients: [{ clientId: 'app', clientSecret: 'app-secret' }],
      identityProvider: { clientIds: { [authServer.issuer]: 'svc' } },
    });
    authServer.trustIssuer({ issuer: idp.issuer, publicKey: idp.publicJwk });
    const exchange = await token(idp, {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
      subject_token: idp.issueIdToken({ subject: 'alice', clientId: 'app' }),
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      audience: authServer.issuer,
      resource: 'https://mcp.example/mcp',
      client_id: 'app',
      client_secret: 'app-secret',
    });
    const jag = (await exchange.json()) as { access_token: string; issued_token_type: string };
    expect(jag.issued_token_type).toBe('urn:ietf:params:oauth:token-type:id-jag');
    const grant = await token(
      authServer,
      {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jag.access_token,
        resource: 'https://mcp.example/mcp',
      },
      { authorization: basic },
    );
    const issued = (await grant.json()) as { access_token: string };
    expect(authServer.introspect(issued.access_token)).toMatchObject({
      clientId: 'svc',
      resource: 'https://mcp.example/mcp',
    });
    // An ID-JAG is only good for the client it names, and only with client authentication.
    const anonymous = await token(authServer, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: jag.access_token,
    });
    expect(anonymous.status).toBe(401);
  });
});
