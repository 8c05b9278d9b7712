// Checks DPoP proofs (RFC 9449 §4.3) for the simulated authorization server (token requests)
// and MCP server (resource requests): the JWS itself, htm, htu, iat, a jti never seen before,
// `ath` for the presented token, the key a token is bound to, and server nonces.
import { createHash, randomBytes, type JsonWebKey } from 'node:crypto';
import { jwkThumbprint, verifyJws } from './jws.js';

/** The outcome of checking a proof: the key's thumbprint, or why it was refused. */
export type DpopProofCheck =
  | { ok: true; jkt: string }
  | { ok: false; error: 'invalid_dpop_proof' | 'use_dpop_nonce'; description: string };

export interface DpopProofExpectation {
  method: string;
  url: string;
  /** The access token presented with the proof (resource requests). */
  accessToken?: string;
  /** The thumbprint the token is bound to (`cnf.jkt`). */
  jkt?: string;
  /** The nonce the proof must carry, when the server requires one. */
  nonce?: string;
}

const IAT_WINDOW_S = 300;
const JTI_MEMORY = 10_000;

const withoutQuery = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/$/, '');
};

/** Verifies proofs and remembers their `jti`s (a proof is good once); hands out nonces. */
export class DpopProofChecker {
  readonly #seen = new Set<string>();
  #nonce = randomBytes(16).toString('base64url');

  /** The nonce proofs must carry now. */
  get nonce(): string {
    return this.#nonce;
  }

  /** Hands out a new nonce; proofs with the old one are answered `use_dpop_nonce`. */
  rotateNonce(): string {
    this.#nonce = randomBytes(16).toString('base64url');
    return this.#nonce;
  }

  check(proof: string | null, expected: DpopProofExpectation): DpopProofCheck {
    const refuse = (description: string): DpopProofCheck => ({
      ok: false,
      error: 'invalid_dpop_proof',
      description,
    });
    if (proof === null || proof === '') return refuse('A DPoP proof is required');
    if (proof.includes(',')) return refuse('Exactly one DPoP proof is allowed');
    const jwk = (() => {
      try {
        const header = JSON.parse(
          Buffer.from(proof.split('.')[0] ?? '', 'base64url').toString('utf8'),
        ) as {
          jwk?: JsonWebKey;
        };
        return header.jwk;
      } catch {
        return undefined;
      }
    })();
    if (!jwk || typeof jwk !== 'object') return refuse('The proof has no jwk header');
    if ('d' in jwk) return refuse('The proof carries a private key');
    const verified = verifyJws(proof, jwk);
    if (!verified) return refuse('The proof signature does not verify');
    const { header, claims } = verified;
    if (header.typ !== 'dpop+jwt') return refuse('typ must be dpop+jwt');
    if (typeof claims.jti !== 'string' || claims.jti === '') return refuse('jti is missing');
    if (claims.htm !== expected.method.toUpperCase()) return refuse('htm does not match');
    if (typeof claims.htu !== 'string' || /[?#]/.test(claims.htu))
      return refuse('htu is malformed');
    if (withoutQuery(claims.htu) !== withoutQuery(expected.url))
      return refuse('htu does not match');
    if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > IAT_WINDOW_S)
      return refuse('iat is outside the accepted window');
    const jkt = jwkThumbprint(jwk);
    if (expected.jkt !== undefined && expected.jkt !== jkt)
      return refuse('The proof key is not the one the token is bound to');
    if (expected.accessToken !== undefined) {
      const ath = createHash('sha256').update(expected.accessToken).digest('base64url');
      if (claims.ath !== ath) return refuse('ath does not match the access token');
    }
    if (this.#seen.has(claims.jti)) return refuse('The proof was used before (jti replay)');
    if (expected.nonce !== undefined && claims.nonce !== expected.nonce) {
      return { ok: false, error: 'use_dpop_nonce', description: 'A DPoP nonce is required' };
    }
    if (this.#seen.size >= JTI_MEMORY) this.#seen.clear();
    this.#seen.add(claims.jti);
    return { ok: true, jkt };
  }
}
