#!/usr/bin/env node
// What sharing OAuth tokens through Redis costs and saves (npm run bench -- tokens). Four
// OAuth2Auth instances, each on its own RedisTokenStore connection (as four processes would
// be), against one MockAuthorizationServer, measured in this run:
//   1. cold start, all at once: token requests, wall time until all four hold a token, and
//      Redis commands, with the store's lock (one renews, three read) and with the lock hidden
//      (each renews on its own: the behaviour without coordination);
//   2. the same when the token expires (every clock moved past it);
//   3. steady state: headers() per request on RedisTokenStore against InMemoryTokenStore (a
//      held token never touches the store, so the ratio should be ~1).
// Medians of several rounds, rounds alternating A B B A. It asserts nothing.
//   node tools/bench/tokens.mjs [--quick]
import { performance } from 'node:perf_hooks';
import { OAuth2Auth } from '@tframex/mcp-auth';
import { InMemoryTokenStore } from '@tframex/mcp-auth-api';
import { RedisTokenStore } from '@tframex/mcp-redis';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';

const { MockAuthorizationServer } = await import('@tframex/mcp-testing');

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 8;
const HOLDERS = 4;
const HEADER_CALLS = quick ? 500 : 20_000;
const HOUR_MS = 3_600_000;
const MCP_URL = 'http://127.0.0.1:9/mcp';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const redis = await startRedis();
const admin = createClient({ url: redis.url });
await admin.connect();
const clock = { now: Date.now() };
const authServer = new MockAuthorizationServer({
  clients: [{ clientId: 'bench', clientSecret: 'bench-secret' }],
  accessTokenTtlMs: HOUR_MS,
  now: () => clock.now,
});
await authServer.start();
const tokenRequests = () => authServer.requests.filter((r) => r.endpoint === 'token').length;
const redisCommands = async () => {
  const stats = await admin.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(stats)[1]);
};

let round = 0;
/** Four holders on fresh keys; `locked: false` hides the store's lock. */
function holders(locked) {
  const keyPrefix = `bench-${round++}:`;
  return Array.from({ length: HOLDERS }, () => {
    const store = new RedisTokenStore({ url: redis.url, keyPrefix });
    if (!locked) Object.defineProperty(store, 'lock', { value: undefined });
    let offsetMs = 0;
    const auth = new OAuth2Auth({
      clientId: 'bench',
      clientSecret: 'bench-secret',
      tokenUrl: `${authServer.issuer}/token`,
      tokenStore: store,
      now: () => clock.now + offsetMs,
    });
    return { store, auth, advance: (ms) => (offsetMs += ms) };
  });
}

const headersOf = (auth) => auth.headers({ url: MCP_URL, method: 'POST', headers: {} });

/** One phase, all holders at once: token requests, wall ms, Redis commands. */
async function phase(group) {
  const [requests, commands] = [tokenRequests(), await redisCommands()];
  const start = performance.now();
  await Promise.all(group.map((holder) => headersOf(holder.auth)));
  const wallMs = performance.now() - start;
  // One INFO is the measuring itself.
  return {
    requests: tokenRequests() - requests,
    wallMs,
    commands: (await redisCommands()) - commands - 1,
  };
}

async function coldAndExpiry(locked) {
  const group = holders(locked);
  try {
    // Connect first, so the figures are about tokens, not about opening connections.
    await Promise.all(group.map((holder) => holder.store.get('warm-up')));
    const cold = await phase(group);
    for (const holder of group) holder.advance(HOUR_MS + 1000);
    const expiry = await phase(group);
    return { cold, expiry };
  } finally {
    await Promise.all(group.map((holder) => holder.store.close()));
  }
}

function report(label, lockedRuns, unlockedRuns) {
  const pick = (runs, field) => median(runs.map((run) => run[field]));
  const line = (name, runs) =>
    `${name.padEnd(12)} token requests ${String(pick(runs, 'requests')).padStart(2)}   wall ${pick(runs, 'wallMs').toFixed(1).padStart(6)} ms   Redis commands ${String(pick(runs, 'commands')).padStart(3)}`;
  console.log(`  ${label}`);
  console.log(`    ${line('with lock', lockedRuns)}`);
  console.log(`    ${line('lock hidden', unlockedRuns)}`);
  console.log(
    `    ratio (with / hidden): token requests ${(pick(lockedRuns, 'requests') / pick(unlockedRuns, 'requests')).toFixed(2)}×, wall ${(pick(lockedRuns, 'wallMs') / pick(unlockedRuns, 'wallMs')).toFixed(2)}×`,
  );
}

async function steadyState(store) {
  const auth = new OAuth2Auth({
    clientId: 'bench',
    clientSecret: 'bench-secret',
    tokenUrl: `${authServer.issuer}/token`,
    tokenStore: store,
    now: () => clock.now,
  });
  await headersOf(auth);
  return async () => {
    const start = performance.now();
    for (let i = 0; i < HEADER_CALLS; i++) await headersOf(auth);
    return ((performance.now() - start) * 1000) / HEADER_CALLS;
  };
}

try {
  console.log(
    `Shared OAuth tokens: ${HOLDERS} OAuth2Auth on RedisTokenStore (redis-server 7, one connection each); medians of ${ROUNDS} rounds, Node ${process.version}`,
  );
  const locked = { cold: [], expiry: [] };
  const unlocked = { cold: [], expiry: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? [true, false] : [false, true];
    for (const withLock of order) {
      const { cold, expiry } = await coldAndExpiry(withLock);
      const into = withLock ? locked : unlocked;
      into.cold.push(cold);
      into.expiry.push(expiry);
    }
  }
  report('1. cold start, all at once', locked.cold, unlocked.cold);
  report('2. token expired, all at once', locked.expiry, unlocked.expiry);

  const redisStore = new RedisTokenStore({ url: redis.url, keyPrefix: 'bench-steady:' });
  const onRedis = await steadyState(redisStore);
  const inMemory = await steadyState(new InMemoryTokenStore());
  const [a, b] = [[], []];
  await onRedis();
  await inMemory();
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      a.push(await onRedis());
      b.push(await inMemory());
    } else {
      b.push(await inMemory());
      a.push(await onRedis());
    }
  }
  console.log(
    `  3. headers() with a held token (×${HEADER_CALLS}): RedisTokenStore ${median(a).toFixed(2)} µs   InMemoryTokenStore ${median(b).toFixed(2)} µs   ratio ${(median(a) / median(b)).toFixed(2)}×`,
  );
  await redisStore.close();
} finally {
  await admin.close();
  await authServer.stop();
  await redis.stop();
}
