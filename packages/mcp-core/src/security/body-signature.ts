// HMAC-SHA256 request signing, so a server holding the shared key can tell the body came from
// this client, unchanged and recently. Header: `X-MCP-Signature: t=<unix seconds>,v1=<hex>`,
// where v1 = HMAC-SHA256(key, `${t}.` + body bytes).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature. */
export const MCP_SIGNATURE_HEADER = 'x-mcp-signature';

export type SigningKey = string | Uint8Array;

const encoder = new TextEncoder();
const bytesOf = (value: string | Uint8Array) =>
  typeof value === 'string' ? encoder.encode(value) : value;

function hmacHex(key: SigningKey, timestampSeconds: number, body: string | Uint8Array): string {
  return createHmac('sha256', bytesOf(key))
    .update(encoder.encode(`${timestampSeconds}.`))
    .update(bytesOf(body))
    .digest('hex');
}

/**
 * The `X-MCP-Signature` value for `body`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>." followed by the body bytes>`. `timestampMs` defaults to now. Sign the exact bytes
 * that go on the wire.
 */
export function signBody(
  body: string | Uint8Array,
  key: SigningKey,
  options: { timestampMs?: number } = {},
): string {
  const timestampSeconds = Math.floor((options.timestampMs ?? Date.now()) / 1000);
  return `t=${timestampSeconds},v1=${hmacHex(key, timestampSeconds, body)}`;
}

export interface VerifySignatureOptions {
  /** Largest accepted distance between the signature's time and now (default 300 000). */
  toleranceMs?: number;
  /** Now, in milliseconds (default Date.now()). */
  nowMs?: number;
}

/** Why a signature was refused, or `ok`. */
export type SignatureVerdict = 'ok' | 'missing' | 'malformed' | 'expired' | 'mismatch';

/**
 * Checks an `X-MCP-Signature` value against `body` and the shared key, in constant time.
 * Accepts several `v1=` entries (for key rotation: sign with both keys during the switch).
 */
export function verifyBodySignature(
  body: string | Uint8Array,
  header: string | null | undefined,
  key: SigningKey,
  options: VerifySignatureOptions = {},
): SignatureVerdict {
  if (typeof header !== 'string' || header.trim() === '') return 'missing';
  let timestampSeconds: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't' && /^\d{1,15}$/.test(value)) timestampSeconds = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value))
      signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestampSeconds === undefined || signatures.length === 0) return 'malformed';
  const nowMs = options.nowMs ?? Date.now();
  if (Math.abs(nowMs - timestampSeconds * 1000) > (options.toleranceMs ?? 300_000))
    return 'expired';
  const expected = Buffer.from(hmacHex(key, timestampSeconds, body), 'hex');
  // Every candidate is compared, so timing does not reveal which one matched.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  return matched ? 'ok' : 'mismatch';
}
