// A process of an application: it calls an OAuth-protected MCP server through OAuth2Auth
// (client credentials, the authorization server discovered from the server's 401), with its
// tokens in a RedisTokenStore that every such process shares. It answers commands on stdin,
// one JSON line each, after printing "ready":
//   call          -> { status, fingerprint }  (SHA-256 of the Authorization header it sent)
//   advance <ms>  -> { advanced }             (moves its clock on: tokens expire by it)
// The client secret and the encryption key (base64) come from the environment, not argv, as
// do TOKEN_HOLDER_LOCK_TTL_MS (renewalLockTtlMs), TOKEN_HOLDER_REFRESH_TOKEN (the refresh token
// grant instead of client credentials) and TOKEN_HOLDER_STALL=1 (its requests to the token
// endpoint never finish: a process that stops mid-renewal, holding the lock).
//   node --import tsx token-holder.ts <redis url> <mcp url> <key prefix>
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { OAuth2Auth } from '@tframex/mcp-auth';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { RedisTokenStore } from '@tframex/mcp-redis';

const [redisUrl, mcpUrl, keyPrefix] = process.argv.slice(2);
const encryptionKey = process.env.TOKEN_HOLDER_ENCRYPTION_KEY;
let clockOffsetMs = 0;

const store = new RedisTokenStore({
  url: redisUrl!,
  keyPrefix: keyPrefix!,
  ...(encryptionKey ? { encryptionKey: Buffer.from(encryptionKey, 'base64') } : {}),
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
const lockTtlMs = process.env.TOKEN_HOLDER_LOCK_TTL_MS;
const refreshToken = process.env.TOKEN_HOLDER_REFRESH_TOKEN;
const auth = new OAuth2Auth({
  clientId: 'svc',
  clientSecret: process.env.TOKEN_HOLDER_CLIENT_SECRET!,
  tokenStore: store,
  now: () => Date.now() + clockOffsetMs,
  ...(lockTtlMs ? { renewalLockTtlMs: Number(lockTtlMs) } : {}),
  ...(refreshToken ? { grantType: 'refresh_token' as const, refreshToken } : {}),
  ...(process.env.TOKEN_HOLDER_STALL === '1'
    ? {
        fetch: (input: string | URL | Request, init?: RequestInit) =>
          String(input instanceof Request ? input.url : input).endsWith('/token')
            ? new Promise<Response>(() => undefined)
            : fetch(input, init),
      }
    : {}),
});
let sentAuthorization = '';
const authFetch = createAuthFetch(auth, {
  fetch: (input, init) => {
    sentAuthorization = new Headers(init?.headers).get('authorization') ?? '';
    return fetch(input, init);
  },
});

async function call(): Promise<object> {
  const response = await authFetch(mcpUrl!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'token-holder', version: '1.0.0' },
      },
    }),
  });
  await response.body?.cancel();
  const fingerprint = createHash('sha256').update(sentAuthorization).digest('hex');
  return { status: response.status, fingerprint };
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, argument] = line.trim().split(' ');
  const answer =
    command === 'advance'
      ? Promise.resolve({ advanced: (clockOffsetMs += Number(argument)) })
      : call();
  void answer.then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`),
  );
});
lines.on('close', () => {
  void store.close().then(() => process.exit(0));
});
process.stdout.write('ready\n');
