import { createHmac, timingSafeEqual } from 'node:crypto';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { startHttpServer, type HttpTestServer } from '../test-support/http-test-server.js';
import { defineAuthPlugin } from './define-auth-plugin.js';

const SECRET = 'hmac-signing-secret-91c2';

/** The documented example: requests signed with HMAC-SHA256 over method, path, time and body. */
function hmacAuth(keyId: string, secret: string, now: () => number = Date.now) {
  return defineAuthPlugin({
    name: 'hmac',
    headers: ({ method, url, body }) => {
      const timestamp = String(Math.floor(now() / 1000));
      const text =
        typeof body === 'string' ? body : new TextDecoder().decode(body ?? new Uint8Array());
      const payload = [method, new URL(url).pathname, timestamp, text].join('\n');
      const signature = createHmac('sha256', secret).update(payload).digest('base64url');
      return { 'X-Key-Id': keyId, 'X-Timestamp': timestamp, 'X-Signature': signature };
    },
    // A server that says the signature is stale gets one retry with a fresh timestamp.
    onUnauthorized: ({ attempt, challenges }) =>
      attempt === 1 && challenges.some((c) => c.params.error === 'stale_signature')
        ? 'retry'
        : 'fail',
  });
}

describe('defineAuthPlugin', () => {
  let server: HttpTestServer;
  const serverNowS = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    // Verifies signatures the way a gateway would: same payload, constant-time comparison,
    // timestamps within 5 minutes.
    server = await startHttpServer((req, res) => {
      const timestamp = String(req.headers['x-timestamp'] ?? '');
      const payload = [req.method, req.path, timestamp, req.body].join('\n');
      const expected = Buffer.from(
        createHmac('sha256', SECRET).update(payload).digest('base64url'),
      );
      const given = Buffer.from(String(req.headers['x-signature'] ?? ''));
      if (Math.abs(serverNowS() - Number(timestamp)) > 300) {
        res.writeHead(401, { 'www-authenticate': 'HMAC error="stale_signature"' }).end();
      } else if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'www-authenticate': 'HMAC error="bad_signature"' }).end();
      } else {
        res.end('signed ok');
      }
    });
  });
  afterAll(() => server.close());

  it('signs requests with a few lines of code (HMAC example)', async () => {
    const authFetch = createAuthFetch(hmacAuth('key-1', SECRET));
    const response = await authFetch(`${server.url}/mcp`, {
      method: 'POST',
      body: '{"jsonrpc":"2.0"}',
    });
    expect(await response.text()).toBe('signed ok');
    expect(server.received.at(-1)!.headers['x-key-id']).toBe('key-1');
  });

  it('retries once when the server calls the signature stale, then signs afresh', async () => {
    let clock = Date.now() - 3_600_000; // an hour behind: the first signature is stale
    const plugin = hmacAuth('key-1', SECRET, () => {
      const value = clock;
      clock = Date.now();
      return value;
    });
    const before = server.received.length;
    const response = await createAuthFetch(plugin)(`${server.url}/mcp`, {
      method: 'POST',
      body: '{}',
    });
    expect(await response.text()).toBe('signed ok');
    expect(server.received.length - before).toBe(2);
  });

  it('fails without retrying on a wrong key', async () => {
    const before = server.received.length;
    const response = await createAuthFetch(hmacAuth('key-1', 'wrong-secret'))(`${server.url}/mcp`);
    expect(response.status).toBe(401);
    expect(server.received.length - before).toBe(1);
  });

  it('turns failures of the definition into McpAuthError and checks the headers it returns', async () => {
    const request = { url: server.url, method: 'GET', headers: {} };
    const throwing = defineAuthPlugin({
      name: 'broken',
      headers: () => {
        throw new Error('kms down');
      },
    });
    await expect(throwing.headers!(request)).rejects.toSatisfy(
      (error: unknown) =>
        McpAuthError.isInstance(error) && (error as Error).message.includes('"broken"'),
    );
    const injecting = defineAuthPlugin({
      name: 'inject',
      headers: () => ({ 'X-Sig': 'a\r\nHost: evil' }),
    });
    await expect(injecting.headers!(request)).rejects.toSatisfy(
      (error: unknown) =>
        McpAuthError.isInstance(error) && !(error as Error).message.includes('evil'),
    );
    const framing = defineAuthPlugin({
      name: 'framing',
      headers: () => ({ 'Content-Length': '0' }),
    });
    await expect(framing.headers!(request)).rejects.toSatisfy((error: unknown) =>
      McpAuthError.isInstance(error),
    );
    const undecided = defineAuthPlugin({
      name: 'undecided',
      onUnauthorized: () => 'maybe' as never,
    });
    await expect(
      undecided.onUnauthorized!({
        url: server.url,
        status: 401,
        challenges: [],
        attempt: 1,
        hadCredentials: true,
        credentials: {},
      }),
    ).rejects.toSatisfy((error: unknown) => McpAuthError.isInstance(error));
  });

  it('validates the definition once', () => {
    for (const [definition, field] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'has space' }, 'name'],
      [{ name: 'ok', headers: 'not a function' }, 'headers'],
    ] as const) {
      let caught: unknown;
      try {
        defineAuthPlugin(definition as never);
      } catch (error) {
        caught = error;
      }
      expect(McpConfigError.isInstance(caught)).toBe(true);
      expect((caught as McpConfigError).field).toBe(field);
    }
  });

  it('prints only its name, never what its closures hold', () => {
    const plugin = hmacAuth('key-1', SECRET);
    expectRedacted(plugin, SECRET);
    expect(JSON.parse(JSON.stringify(plugin))).toEqual({ name: 'hmac' });
    expect(Object.isFrozen(plugin)).toBe(true);
  });
});
