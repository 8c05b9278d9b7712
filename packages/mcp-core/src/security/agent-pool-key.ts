// The key under which HTTP agents are shared: a SHA-256 digest of what makes two agents
// different (TLS material included), so a pool of agents never keeps key text as a map key.
import { createHash } from 'node:crypto';
import type { McpTlsMaterial } from '@tframex/mcp-auth-api';

/** Equal settings give equal keys; the key reveals nothing of the material. */
export function agentPoolKey(
  secure: boolean,
  tls: McpTlsMaterial | undefined,
  maxSockets: number | undefined,
): string {
  const text = JSON.stringify(
    [secure, secure ? tls : undefined, maxSockets, tls ? Object.keys(tls).length : 0],
    (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
  );
  return createHash('sha256').update(text).digest('base64url');
}
