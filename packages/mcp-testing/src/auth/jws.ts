// Compact JWS (RFC 7515) signing and verification with node:crypto, for the simulated
// authorization server: the ID tokens and ID-JAGs it issues as an identity provider, and the
// assertions and DPoP proofs it checks.
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** A decoded, signature-checked JWS. */
export interface VerifiedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

const ASYMMETRIC = /^(?:(?:RS|PS|ES)(?:256|384|512)|EdDSA)$/;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined || !/^[\w-]*$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The header and claims of a compact JWS, unverified (`undefined` when malformed). */
export function decodeJws(jws: string): VerifiedJws | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  const header = decode(parts[0]);
  const claims = decode(parts[1]);
  return header && claims ? { header, claims } : undefined;
}

function hashOf(alg: string): string | undefined {
  return alg === 'EdDSA' ? undefined : `sha${alg.slice(2)}`;
}

function signatureOptions(alg: string, key: KeyObject) {
  if (alg.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' as const };
  if (alg.startsWith('PS'))
    return { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: Number(alg.slice(2)) / 8 };
  return key;
}

/** Signs `claims` with `privateKey` (ES256 unless `header.alg` says otherwise). */
export function signJws(
  claims: Record<string, unknown>,
  privateKey: KeyObject,
  header: Record<string, unknown> = {},
): string {
  const alg = typeof header.alg === 'string' ? header.alg : 'ES256';
  const input = `${encode({ ...header, alg })}.${encode(claims)}`;
  const signature = sign(hashOf(alg), Buffer.from(input), signatureOptions(alg, privateKey));
  return `${input}.${signature.toString('base64url')}`;
}

/** Checks the signature with `publicKey` (a KeyObject or a public JWK); `undefined` when it fails. */
export function verifyJws(jws: string, publicKey: KeyObject | JsonWebKey): VerifiedJws | undefined {
  const decoded = decodeJws(jws);
  const alg = decoded?.header.alg;
  if (!decoded || typeof alg !== 'string' || !ASYMMETRIC.test(alg)) return undefined;
  try {
    const key =
      'type' in publicKey && typeof publicKey.type === 'string' && 'export' in publicKey
        ? (publicKey as KeyObject)
        : createPublicKey({ key: publicKey as JsonWebKey, format: 'jwk' });
    const [head, body, signature] = jws.split('.') as [string, string, string];
    const ok = verify(
      hashOf(alg),
      Buffer.from(`${head}.${body}`),
      signatureOptions(alg, key),
      Buffer.from(signature, 'base64url'),
    );
    return ok ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 7638 SHA-256 thumbprint of a public JWK, base64url. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members: Record<string, string[]> = {
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
    RSA: ['e', 'kty', 'n'],
  };
  const names = members[String(jwk.kty)] ?? [];
  const canonical = `{${names.map((name) => `"${name}":${JSON.stringify(jwk[name])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A fresh P-256 signing key pair. */
export function generateSigningKey(): { privateKey: KeyObject; publicJwk: JsonWebKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) };
}
