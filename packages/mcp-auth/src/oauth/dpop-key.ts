// What a DPoP proof needs of a key pair given as Web Crypto keys: the JWS algorithm it signs
// with, its public JWK (embedded in every proof) and the RFC 7638 thumbprint (`cnf.jkt`).
import type { DpopAlg } from '@modelcontextprotocol/client';
import { McpConfigError } from '@tframex/mcp-api';
import type { WebCryptoKey } from './oauth2-extension-options.js';

type Jwk = Record<string, unknown>;

function fail(message: string): never {
  throw new McpConfigError(`OAuth2Auth options: dpop.keyPair ${message}`, {
    field: 'dpop.keyPair',
    expected: 'an ECDSA (P-256/384/521), Ed25519, RSASSA-PKCS1-v1_5 or RSA-PSS key pair',
  });
}

/** The JWS algorithm of a signing key (RFC 7518 names). */
export function signingAlgorithmOf(key: WebCryptoKey): DpopAlg {
  const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  const bits = algorithm.hash?.name.replace('SHA-', '');
  switch (algorithm.name) {
    case 'ECDSA': {
      const curve = { 'P-256': '256', 'P-384': '384', 'P-521': '512' }[algorithm.namedCurve ?? ''];
      if (curve === undefined) return fail(`uses an unsupported curve ${algorithm.namedCurve}`);
      return `ES${curve}` as DpopAlg;
    }
    case 'Ed25519':
      return 'EdDSA';
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
      if (bits !== '256' && bits !== '384' && bits !== '512')
        return fail('uses an unsupported hash');
      return `${algorithm.name === 'RSA-PSS' ? 'PS' : 'RS'}${bits}` as DpopAlg;
    default:
      return fail(`is a ${algorithm.name} key, which cannot sign DPoP proofs`);
  }
}

/** The public key as a JWK with only its key members (what goes into a proof's header). */
export async function publicJwkOf(publicKey: WebCryptoKey): Promise<Jwk> {
  const jwk = (await crypto.subtle.exportKey('jwk', publicKey)) as Jwk;
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined),
  );
}

/** RFC 7638 JWK SHA-256 thumbprint, base64url. */
export async function jwkThumbprint(jwk: Jwk): Promise<string> {
  const required: Record<string, string[]> = {
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
    RSA: ['e', 'kty', 'n'],
  };
  const members = required[String(jwk.kty)];
  if (!members) return fail(`has an unsupported key type ${String(jwk.kty)}`);
  const canonical = `{${members.map((name) => `"${name}":${JSON.stringify(jwk[name])}`).join(',')}}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
