// OAuth tokens shared through Redis by four real processes: each an OAuth2Auth (client
// credentials) on one RedisTokenStore with an encryption key, all calling one OAuth-protected
// MockMCPServer. Started cold at once they make ONE token request; when the token expires
// (every clock moved past it) they make ONE new token request (client credentials has no
// refresh token: the renewal is a new client_credentials grant). At rest, no token text.
// With a rotating refresh token instead, ONE refresh on expiry (a second use of the rotated
// token would be refused). And a process killed while it holds the renewal lock: its lease
// lapses, another renews.
import { createHash, randomBytes } from 'node:crypto';
import { RedisTokenStore } from '@tframex/mcp-redis';
import { MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { afterEach, expect, it } from 'vitest';
import { startTokenHolder, type TokenHolder } from './token-holders.js';

const HOUR_MS = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('four processes, one Redis token store: one token request cold, one on expiry, encrypted at rest', async () => {
  const redis = await startRedis();
  const clock = { now: Date.now() };
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    accessTokenTtlMs: HOUR_MS,
    now: () => clock.now,
  });
  await authServer.start();
  const server = new MockMCPServer({
    name: 'reports',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  const mcpUrl = await server.start();
  const encryptionKey = randomBytes(32);
  const keyPrefix = 'it-tokens:';
  const holders: TokenHolder[] = [];
  const admin = createClient({ url: redis.url });
  const reader = new RedisTokenStore({ url: redis.url, keyPrefix, encryptionKey });
  try {
    for (let i = 0; i < 4; i++) {
      holders.push(
        startTokenHolder({
          redisUrl: redis.url,
          mcpUrl,
          keyPrefix,
          clientSecret: 'svc-secret',
          encryptionKey,
        }),
      );
    }
    await Promise.all(holders.map((holder) => holder.ready));
    const tokenRequests = () => authServer.requests.filter((r) => r.endpoint === 'token');
    const fingerprint = (token: string) =>
      createHash('sha256').update(`Bearer ${token}`).digest('hex');
    await admin.connect();
    /** The one token set in Redis: its raw value and what it holds. */
    const stored = async () => {
      const keys = await admin.keys(`${keyPrefix}token:*`);
      expect(keys).toHaveLength(1);
      const raw = (await admin.get(keys[0]!))!;
      const tokens = (await reader.get(keys[0]!.slice(`${keyPrefix}token:`.length)))!;
      return { raw, tokens };
    };

    // Cold, all at once.
    const cold = await Promise.all(holders.map((holder) => holder.send('call')));
    expect(cold.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(tokenRequests().map((r) => r.params.grant_type)).toEqual(['client_credentials']);
    const first = await stored();
    expect(cold.map((answer) => answer.fingerprint)).toEqual(
      Array(4).fill(fingerprint(first.tokens.accessToken)),
    );
    expect(first.raw).not.toContain(first.tokens.accessToken);

    // The token expires for everyone: the authorization server and every process.
    clock.now += HOUR_MS + 1000;
    expect(authServer.introspect(first.tokens.accessToken)).toBeUndefined();
    await Promise.all(holders.map((holder) => holder.send(`advance ${HOUR_MS + 1000}`)));
    const renewed = await Promise.all(holders.map((holder) => holder.send('call')));
    expect(renewed.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(tokenRequests().map((r) => r.params.grant_type)).toEqual([
      'client_credentials',
      'client_credentials',
    ]);
    const second = await stored();
    expect(second.tokens.accessToken).not.toBe(first.tokens.accessToken);
    expect(authServer.introspect(second.tokens.accessToken)).toBeDefined();
    expect(renewed.map((answer) => answer.fingerprint)).toEqual(
      Array(4).fill(fingerprint(second.tokens.accessToken)),
    );
    expect(second.raw).not.toContain(second.tokens.accessToken);
    expect(second.raw).not.toContain('Bearer');
    // No lock left behind.
    expect(await admin.keys(`${keyPrefix}lock:*`)).toEqual([]);
  } finally {
    await Promise.all(holders.map((holder) => holder.stop()));
    await reader.close();
    if (admin.isOpen) await admin.close();
    await server.stop();
    await authServer.stop();
    await redis.stop();
  }
});

it('a process killed while it holds the renewal lock: the lease lapses and another renews', async () => {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
  });
  await authServer.start();
  cleanups.push(() => authServer.stop());
  const server = new MockMCPServer({
    name: 'reports',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  const mcpUrl = await server.start();
  cleanups.push(() => server.stop());
  const admin = createClient({ url: redis.url });
  await admin.connect();
  cleanups.push(() => admin.close());
  const keyPrefix = 'it-dead-holder:';
  const start = (stall: boolean) => {
    const holder = startTokenHolder({
      redisUrl: redis.url,
      mcpUrl,
      keyPrefix,
      clientSecret: 'svc-secret',
      lockTtlMs: 1500,
      stall,
    });
    cleanups.push(() => holder.stop());
    return holder;
  };

  const doomed = start(true);
  await doomed.ready;
  void doomed.send('call').catch(() => undefined);
  // It holds the lock, and its token request will never come back.
  await expect.poll(() => admin.keys(`${keyPrefix}lock:*`), { timeout: 30_000 }).toHaveLength(1);
  await doomed.kill();

  const others = [start(false), start(false), start(false)];
  await Promise.all(others.map((holder) => holder.ready));
  const answers = await Promise.all(others.map((holder) => holder.send('call')));
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  expect(new Set(answers.map((answer) => answer.fingerprint)).size).toBe(1);
  expect(authServer.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
});

it('four processes on a rotating refresh token: one refresh cold, one on expiry', async () => {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const clock = { now: Date.now() };
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    accessTokenTtlMs: HOUR_MS,
    now: () => clock.now,
  });
  await authServer.start();
  cleanups.push(() => authServer.stop());
  const server = new MockMCPServer({
    name: 'reports',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  const mcpUrl = await server.start();
  cleanups.push(() => server.stop());
  // A grant made earlier (say by a sign-in): the processes start from its refresh token.
  const { refreshToken } = authServer.issueToken({ clientId: 'svc', refresh: true });
  const holders = Array.from({ length: 4 }, () => {
    const holder = startTokenHolder({
      redisUrl: redis.url,
      mcpUrl,
      keyPrefix: 'it-refresh:',
      clientSecret: 'svc-secret',
      refreshToken: refreshToken!,
    });
    cleanups.push(() => holder.stop());
    return holder;
  });
  await Promise.all(holders.map((holder) => holder.ready));
  const grants = () =>
    authServer.requests.filter((r) => r.endpoint === 'token').map((r) => r.params.grant_type);

  const cold = await Promise.all(holders.map((holder) => holder.send('call')));
  expect(cold.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  expect(grants()).toEqual(['refresh_token']);

  clock.now += HOUR_MS + 1000;
  await Promise.all(holders.map((holder) => holder.send(`advance ${HOUR_MS + 1000}`)));
  const renewed = await Promise.all(holders.map((holder) => holder.send('call')));
  expect(renewed.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  expect(grants()).toEqual(['refresh_token', 'refresh_token']);
  expect(new Set(renewed.map((answer) => answer.fingerprint)).size).toBe(1);
  expect(renewed[0]!.fingerprint).not.toBe(cold[0]!.fingerprint);
});
