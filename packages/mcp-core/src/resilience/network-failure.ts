// Tells a failure of the network itself (a socket, DNS, TLS) from any other error that
// happens to pass through fetch, such as a TypeError thrown by a user's auth plugin: only the
// first is a connection error. Judged by Node's and undici's error codes, never message text.
import {
  errorCodes,
  NOT_SENT_NETWORK_CODES,
  TRANSIENT_NETWORK_CODES,
} from './network-error-code.js';

/** Code prefixes of socket, TLS and HTTP-parser failures from Node and undici. */
const NETWORK_CODE_PREFIXES = ['UND_ERR_', 'ERR_TLS_', 'ERR_SSL_', 'ERR_SOCKET_', 'HPE_'];

/** OpenSSL certificate verification failures (no prefix in common). */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/**
 * `transient`: a later attempt may get through (reset, refused, timed out, DNS hiccup).
 * `permanent`: the network refused for good (a certificate that does not verify).
 * `undefined`: not a network failure at all.
 */
export type NetworkFailure = 'transient' | 'permanent' | undefined;

export function networkFailureOf(error: unknown): NetworkFailure {
  const codes = errorCodes(error);
  if (codes.some((code) => TRANSIENT_NETWORK_CODES.has(code) || NOT_SENT_NETWORK_CODES.has(code)))
    return 'transient';
  if (
    codes.some(
      (code) =>
        CERTIFICATE_CODES.has(code) ||
        NETWORK_CODE_PREFIXES.some((prefix) => code.startsWith(prefix)),
    ) ||
    hasSyscall(error)
  )
    return 'permanent';
  return undefined;
}

/** Node's system errors (from sockets and DNS) name the call that failed. */
function hasSyscall(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (typeof (current as { syscall?: unknown }).syscall === 'string') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
