// PKCE (RFC 7636): the S256 code challenge of a verifier.
import { createHash } from 'node:crypto';

/** Verifiers are 43-128 characters of the unreserved set (RFC 7636 §4.1). */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
