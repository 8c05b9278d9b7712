// OAuth2Auth on RedisTokenStore while Redis goes away and comes back: a process keeps using
// a token it holds while that token is valid; nothing bypasses the shared store (a cold
// process fails with McpConnectionError instead of fetching a token of its own, and nothing
// hangs); once Redis is back, one token request serves everyone again.
import { McpConnectionError } from '@tframex/mcp-api';
import { OAuth2Auth } from '@tframex/mcp-auth';
import { RedisTokenStore } from '@tframex/mcp-redis';
import { MockAuthorizationServer } from '@tframex/mcp-testing';
import { startRedis } from '@tframex/test-services';
import { expect, it } from 'vitest';

const HOUR_MS = 3_600_000;
const MCP_URL = 'http://127.0.0.1:9/mcp';

it('Redis killed and restarted: valid tokens keep working, nothing fails open, then shared again', async () => {
  const redis = await startRedis();
  const clock = { now: Date.now() };
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    accessTokenTtlMs: HOUR_MS,
    now: () => clock.now,
  });
  await authServer.start();
  const errors: unknown[] = [];
  const stores = [1, 2].map(
    () => new RedisTokenStore({ url: redis.url, onError: (error) => errors.push(error) }),
  );
  const [warm, cold] = stores.map(
    (tokenStore) =>
      new OAuth2Auth({
        clientId: 'svc',
        clientSecret: 'svc-secret',
        tokenUrl: `${authServer.issuer}/token`,
        tokenStore,
        now: () => clock.now,
      }),
  ) as [OAuth2Auth, OAuth2Auth];
  const bearer = (auth: OAuth2Auth) =>
    Promise.resolve(auth.headers({ url: MCP_URL, method: 'POST', headers: {} })).then(
      (headers) => headers?.Authorization,
    );
  const tokenRequests = () => authServer.requests.filter((r) => r.endpoint === 'token').length;
  try {
    const first = await bearer(warm);
    expect(tokenRequests()).toBe(1);

    await redis.kill();
    // The token in hand needs no Redis.
    expect(await bearer(warm)).toBe(first);
    // A process without one fails at once rather than asking the authorization server alone.
    const refused = await bearer(cold).catch((error: unknown) => error);
    expect(McpConnectionError.isInstance(refused)).toBe(true);
    // Due for refresh but still valid: the refresh cannot be coordinated, the token stays.
    clock.now += HOUR_MS - 30_000;
    expect(await bearer(warm)).toBe(first);
    // Expired: no way to renew it without the shared store.
    clock.now += 60_000;
    await expect(bearer(warm)).rejects.toSatisfy(McpConnectionError.isInstance);
    expect(tokenRequests()).toBe(1);
    expect(errors.some((error) => McpConnectionError.isInstance(error))).toBe(true);

    await redis.restart();
    await expect
      .poll(
        () =>
          bearer(cold).then(
            () => 'renewed',
            () => 'down',
          ),
        { timeout: 30_000 },
      )
      .toBe('renewed');
    const renewed = await bearer(cold);
    // Each process reconnects on its own; once it has, it uses what the other stored.
    await expect.poll(() => bearer(warm).catch(() => 'down'), { timeout: 30_000 }).toBe(renewed);
    expect(renewed).not.toBe(first);
    expect(tokenRequests()).toBe(2);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await authServer.stop();
    await redis.stop();
  }
});
