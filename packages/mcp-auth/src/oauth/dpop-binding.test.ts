// DpopBinding on its own: when DPoP is used, what an issued token must look like (cnf.jkt),
// and how a resource server's nonce challenge is answered.
import { inspect } from 'node:util';
import { McpAuthError } from '@tframex/mcp-api';
import type { McpAuthChallenge } from '@tframex/mcp-auth-api';
import { describe, expect, it } from 'vitest';
import { DpopBinding } from './dpop-binding.js';
import { OAuth2Auth } from './oauth2-auth.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${part({ alg: 'ES256' })}.${part(claims)}.sig`;
const offering = (algs: string[]) =>
  ({ dpop_signing_alg_values_supported: algs }) as unknown as Parameters<
    DpopBinding['sessionFor']
  >[0];

describe('DpopBinding', () => {
  it('is used where the server offers an algorithm it can sign with, or always', async () => {
    const optional = new DpopBinding({
      use: 'if-supported',
      algorithm: undefined,
      keyPair: undefined,
    });
    expect(await optional.sessionFor(undefined)).toBeUndefined();
    expect(await optional.sessionFor(offering([]))).toBeUndefined();
    const session = await optional.sessionFor(offering(['RS256', 'ES256']));
    expect(session?.alg).toBe('ES256');
    const always = new DpopBinding({ use: 'always', algorithm: 'ES384', keyPair: undefined });
    expect((await always.sessionFor(undefined))?.alg).toBe('ES384');
    const mismatch = new DpopBinding({
      use: 'if-supported',
      algorithm: 'ES384',
      keyPair: undefined,
    });
    expect(await mismatch.sessionFor(offering(['ES256']))).toBeUndefined();
  });

  it('accepts a token bound to its key, refuses one bound to another and an unbound one when required', async () => {
    const binding = new DpopBinding({ use: 'always', algorithm: undefined, keyPair: undefined });
    const session = (await binding.sessionFor(undefined))!;
    expect(
      binding.checkIssued(
        { access_token: jwt({ cnf: { jkt: session.thumbprint } }), token_type: 'DPoP' },
        session,
      ),
    ).toBe(true);
    expect(binding.checkIssued({ access_token: 'opaque-token', token_type: 'dpop' }, session)).toBe(
      true,
    );
    for (const tokens of [
      { access_token: jwt({ cnf: { jkt: 'someone-else' } }), token_type: 'DPoP' },
      { access_token: 'opaque-token', token_type: 'Bearer' },
    ]) {
      expect(() => binding.checkIssued(tokens, session)).toThrow(McpAuthError);
    }
    const optional = new DpopBinding({
      use: 'if-supported',
      algorithm: undefined,
      keyPair: undefined,
    });
    expect(optional.checkIssued({ access_token: 't', token_type: 'Bearer' }, session)).toBe(false);
    expect(() =>
      optional.checkIssued({ access_token: 't', token_type: 'DPoP' }, undefined),
    ).toThrow(/without a DPoP proof/);
  });

  it('retries a nonce challenge once per new nonce, and fails one without a nonce', async () => {
    const binding = new DpopBinding({ use: 'always', algorithm: undefined, keyPair: undefined });
    const session = (await binding.sessionFor(undefined))!;
    const challenge = (nonce: string | undefined, proofNonce?: string): McpAuthChallenge => ({
      url: 'https://mcp.example.com/mcp',
      status: 401 as const,
      challenges: [{ scheme: 'dpop', params: { error: 'use_dpop_nonce' } }],
      attempt: 1,
      hadCredentials: true,
      credentials: { DPoP: jwt(proofNonce === undefined ? {} : { nonce: proofNonce }) },
      responseHeaders:
        nonce === undefined ? {} : ({ 'dpop-nonce': nonce } as Record<string, string>),
    });
    expect(await binding.nonceChallenge(challenge('n-1'))).toBe('retry');
    expect(session.nonceFor('https://mcp.example.com/x')).toBe('n-1');
    expect(await binding.nonceChallenge(challenge('n-1', 'n-1'))).toBe('fail');
    expect(await binding.nonceChallenge(challenge('n-2', 'n-1'))).toBe('retry');
    expect(await binding.nonceChallenge(challenge(undefined))).toBe('fail');
    // A refused request that carried no proof goes the usual way; its nonce is kept.
    expect(await binding.nonceChallenge({ ...challenge('n-9'), credentials: {} })).toBeUndefined();
    expect(session.nonceFor('https://mcp.example.com/mcp')).toBe('n-9');
    expect(
      await binding.nonceChallenge({
        ...challenge('n-3'),
        challenges: [{ scheme: 'dpop', params: { error: 'invalid_token' } }],
      }),
    ).toBeUndefined();
  });

  it('never shows the private key of a key pair it was given', async () => {
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const { d } = await crypto.subtle.exportKey('jwk', keyPair.privateKey);
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 'svc-secret',
      tokenUrl: 'https://auth.example.com/token',
      dpop: { use: 'always', keyPair },
    });
    for (const view of [
      inspect(auth, { depth: 10, showHidden: true }),
      JSON.stringify(auth),
      String(auth),
    ]) {
      expect(view).not.toContain(d!);
      expect(view).not.toContain('svc-secret');
    }
    expect(JSON.stringify(auth)).toContain('"dpop":"always"');
  });
});
