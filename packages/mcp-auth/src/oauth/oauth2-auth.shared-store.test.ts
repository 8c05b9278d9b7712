// OAuth2Auth instances sharing one TokenStore with a lock, as processes sharing a Redis store
// do: one token request for all of them, one refresh on expiry, a dead holder's lease lapses,
// waiting is bounded and abortable. Tokens come from MockAuthorizationServer over HTTP.
import { McpAuthError, McpCancelledError } from '@tframex/mcp-api';
import { InMemoryTokenStore, type FetchFunction, type TokenStore } from '@tframex/mcp-auth-api';
import { MockAuthorizationServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { OAuth2AuthOptions } from './oauth2-auth-options.js';
import { OAuth2Auth } from './oauth2-auth.js';

const MCP_URL = 'http://127.0.0.1:9/mcp';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function authServer() {
  const clock = { now: Date.now() };
  const server = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    accessTokenTtlMs: 3_600_000,
    now: () => clock.now,
  });
  await server.start();
  cleanups.push(() => server.stop());
  const grants = () =>
    server.requests.filter((r) => r.endpoint === 'token').map((r) => r.params.grant_type);
  return { server, clock, grants };
}

type World = Awaited<ReturnType<typeof authServer>>;

function plugin(world: World, store: TokenStore, extra: Partial<OAuth2AuthOptions> = {}) {
  return new OAuth2Auth({
    clientId: 'svc',
    clientSecret: 'svc-secret',
    tokenUrl: `${world.server.issuer}/token`,
    tokenStore: store,
    now: () => world.clock.now,
    ...extra,
  });
}

async function tokenOf(auth: OAuth2Auth, signal?: AbortSignal): Promise<string> {
  const headers = await auth.headers({
    url: MCP_URL,
    method: 'POST',
    headers: {},
    ...(signal ? { signal } : {}),
  });
  return headers!.Authorization!.replace(/^Bearer /, '');
}

/** A store without `lock`: the seam as a plain object, and today's behaviour. */
function unlockedStore(): TokenStore {
  const inner = new InMemoryTokenStore();
  return {
    get: (key) => inner.get(key),
    set: (key, tokens) => inner.set(key, tokens),
    delete: (key) => inner.delete(key),
  };
}

/** A fetch whose token requests hang until `fail()`: a holder that stopped mid-renewal. */
function stalledFetch() {
  let reached!: () => void;
  const stalled = new Promise<void>((resolve) => (reached = resolve));
  const pending: ((error: Error) => void)[] = [];
  const fetch: FetchFunction = () => {
    reached();
    return new Promise<Response>((_resolve, reject) => pending.push(reject));
  };
  const fail = () => pending.forEach((reject) => reject(new Error('holder stopped')));
  cleanups.push(fail);
  return { fetch, stalled, fail };
}

describe('OAuth2Auth on a TokenStore with a lock', () => {
  it('four cold holders of one store: one token request; on expiry one new one', async () => {
    const world = await authServer();
    const store = new InMemoryTokenStore();
    const auths = Array.from({ length: 4 }, () => plugin(world, store));
    const first = await Promise.all(auths.map((auth) => tokenOf(auth)));
    expect(world.grants()).toEqual(['client_credentials']);
    expect(new Set(first).size).toBe(1);
    expect(world.server.introspect(first[0]!)).toBeDefined();

    world.clock.now += 3_600_000;
    const second = await Promise.all(auths.map((auth) => tokenOf(auth)));
    expect(world.grants()).toEqual(['client_credentials', 'client_credentials']);
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first[0]);
    expect(world.server.introspect(second[0]!)).toBeDefined();
  });

  it('without a lock each holder asks on its own (the behaviour the lock removes)', async () => {
    const world = await authServer();
    const store = unlockedStore();
    const auths = Array.from({ length: 3 }, () => plugin(world, store));
    await Promise.all(auths.map((auth) => tokenOf(auth)));
    expect(world.grants()).toEqual([
      'client_credentials',
      'client_credentials',
      'client_credentials',
    ]);
  });

  it('spends a rotating refresh token once: the others use what the first stored', async () => {
    const world = await authServer();
    const issued = world.server.issueToken({ clientId: 'svc', refresh: true, ttlMs: 60_000 });
    const store = new InMemoryTokenStore();
    const auths = Array.from({ length: 3 }, () =>
      plugin(world, store, { grantType: 'refresh_token', refreshToken: issued.refreshToken! }),
    );
    const first = await Promise.all(auths.map((auth) => tokenOf(auth)));
    expect(world.grants()).toEqual(['refresh_token']);
    expect(new Set(first).size).toBe(1);

    world.clock.now += 3_600_000;
    const second = await Promise.all(auths.map((auth) => tokenOf(auth)));
    // One refresh with the rotated token; a second use of it would be refused (invalid_grant).
    expect(world.grants()).toEqual(['refresh_token', 'refresh_token']);
    expect(new Set(second).size).toBe(1);
    expect(world.server.introspect(second[0]!)).toBeDefined();
  });

  it('takes over when a holder stops mid-renewal: its lease lapses', async () => {
    const world = await authServer();
    const store = new InMemoryTokenStore();
    const stalled = stalledFetch();
    const dead = plugin(world, store, { fetch: stalled.fetch, renewalLockTtlMs: 200 });
    void tokenOf(dead).catch(() => undefined);
    await stalled.stalled; // it holds the lease and will never finish
    const alive = plugin(world, store, { renewalLockTtlMs: 200 });
    const token = await tokenOf(alive);
    expect(world.server.introspect(token)).toBeDefined();
    expect(world.grants()).toEqual(['client_credentials']);
  });

  it('waits for a live holder only so long, then fails retryably', async () => {
    const world = await authServer();
    const store = new InMemoryTokenStore();
    const stalled = stalledFetch();
    const slow = plugin(world, store, { fetch: stalled.fetch, renewalLockTtlMs: 60_000 });
    void tokenOf(slow).catch(() => undefined);
    await stalled.stalled;
    const impatient = plugin(world, store, { renewalLockTtlMs: 50 });
    const error = await tokenOf(impatient).catch((e: unknown) => e);
    expect(McpAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'temporarily_unavailable', retryable: true });
    expect(world.grants()).toEqual([]);
  });

  it('stops waiting when the request is aborted', async () => {
    const world = await authServer();
    const store = new InMemoryTokenStore();
    const stalled = stalledFetch();
    const slow = plugin(world, store, { fetch: stalled.fetch });
    void tokenOf(slow).catch(() => undefined);
    await stalled.stalled;
    const waiting = plugin(world, store);
    const controller = new AbortController();
    const pending = tokenOf(waiting, controller.signal);
    controller.abort(new Error('user gave up'));
    const error = await pending.catch((e: unknown) => e);
    expect(McpCancelledError.isInstance(error)).toBe(true);
    expect(world.grants()).toEqual([]);
  });
});
