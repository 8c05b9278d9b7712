// Whether two sets of TLS material are the same, field by field (PEM text or bytes): tells a
// rotated client certificate from the one already in use, without keeping any digest of it.
import type { McpTlsMaterial, PemData } from '@tframex/mcp-auth-api';

function samePem(a: PemData | undefined, b: PemData | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const left = typeof a === 'string' ? Buffer.from(a) : a;
  const right = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.compare(Buffer.from(left), Buffer.from(right)) === 0;
}

function sameCa(a: McpTlsMaterial['ca'], b: McpTlsMaterial['ca']): boolean {
  const left = a === undefined ? [] : Array.isArray(a) ? a : [a];
  const right = b === undefined ? [] : Array.isArray(b) ? b : [b];
  return left.length === right.length && left.every((pem, i) => samePem(pem, right[i]));
}

export function sameTlsMaterial(
  a: McpTlsMaterial | undefined,
  b: McpTlsMaterial | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    samePem(a.cert, b.cert) &&
    samePem(a.key, b.key) &&
    samePem(a.pfx, b.pfx) &&
    sameCa(a.ca, b.ca) &&
    a.passphrase === b.passphrase &&
    a.servername === b.servername &&
    a.rejectUnauthorized === b.rejectUnauthorized
  );
}
