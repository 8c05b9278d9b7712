#!/usr/bin/env node
// Benchmark of the shared response cache (cachingMiddleware of @tframex/mcp-core on a
// RedisCacheStore of @tframex/mcp-redis, built packages), against baselines measured in the
// same run: a resources/read answered by the server (no cache), from an in-process
// MemoryCacheStore, from Redis, and from Redis with values encrypted (MCPSecurity). ABBA-style
// rounds (the order rotates each round), at 1 and 64 calls in flight. Also counts the Redis
// commands per hit and per miss (INFO commandstats). Prints figures and ratios; asserts nothing.
//   node tools/bench/cache.mjs [--quick] [--calls <n>] [--rounds <n>] [--bytes <n>]
import { cachingMiddleware, MCPClient, MCPSecurity, MemoryCacheStore } from '@tframex/mcp-core';
import { RedisCacheStore } from '@tframex/mcp-redis';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { median, runLoad } from './lib/measure.mjs';
import { fmt, printTable } from './lib/report.mjs';

// Loaded on demand, as every benchmark here loads the testing kit (see lib/server.mjs).
const { MockMCPServer } = await import('@tframex/mcp-testing');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const numberArg = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const CALLS = numberArg('--calls', quick ? 200 : 2_000);
const ROUNDS = numberArg('--rounds', quick ? 2 : 4);
const BYTES = numberArg('--bytes', 2_048);
const URI = 'mock:///docs/report';

const redis = await startRedis();
const server = new MockMCPServer({ name: 'bench' });
server.addResource('docs/report', 'x'.repeat(BYTES));
const url = await server.start({ era: 'legacy' });
const admin = createClient({ url: redis.url });
await admin.connect();
const closers = [];

/** One MCPClient with (or without) a cache on `store`; every read asks for the same URI. */
async function configuration(label, store, cipher) {
  const client = new MCPClient({ name: 'bench', serverUrl: url, protocol: 'legacy' });
  closers.push(() => client.close());
  if (store) client.use(cachingMiddleware({ store, cipher, honourServerHints: false }));
  await client.readResource(URI); // connects, and fills the cache
  return { label, read: () => client.readResource(URI) };
}

// one prefix each: plain and encrypted entries for the same request must not meet
const redisStores = ['plain', 'sealed'].map(
  (name) => new RedisCacheStore({ url: redis.url, keyPrefix: `bench:${name}:` }),
);
for (const store of redisStores) closers.push(() => store.close());
const cipher = new MCPSecurity({ encryptionKey: 'a benchmark key for the cache at rest' });
const configurations = [
  await configuration('no cache (server)', undefined),
  await configuration('MemoryCacheStore hit', new MemoryCacheStore()),
  await configuration('RedisCacheStore hit', redisStores[0]),
  await configuration('RedisCacheStore + cipher hit', redisStores[1], cipher),
];

async function commandsPer(read, times) {
  await admin.configResetStat();
  for (let i = 0; i < times; i++) await read();
  const stats = await admin.info('commandstats');
  let total = 0;
  for (const match of stats.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm)) {
    if (!['info', 'config|resetstat'].includes(match[1])) total += Number(match[2]);
  }
  return total / times;
}

try {
  const results = [];
  for (const concurrency of [1, 64]) {
    const runs = new Map(configurations.map((c) => [c.label, []]));
    for (const c of configurations) await runLoad(c.read, { calls: 100, concurrency }); // warm
    for (let round = 0; round < ROUNDS; round++) {
      const order = configurations.map(
        (_, i) => configurations[(i + round) % configurations.length],
      );
      for (const c of order) {
        const run = await runLoad(c.read, { calls: CALLS, concurrency });
        if (run.failures > 0) throw new Error(`${c.label}: ${run.firstError}`);
        runs.get(c.label).push(run);
      }
    }
    const pick = (label, key) => median(runs.get(label).map((run) => run[key]));
    const base = configurations[0].label;
    for (const c of configurations) {
      results.push([
        String(concurrency),
        c.label,
        fmt.ms(pick(c.label, 'medianMs')),
        fmt.ms(pick(c.label, 'p99Ms')),
        fmt.rate(pick(c.label, 'callsPerSec')),
        fmt.us(pick(c.label, 'cpuUsPerCall')),
        fmt.ratio(pick(c.label, 'medianMs') / pick(base, 'medianMs')),
      ]);
    }
  }
  printTable(
    `resources/read of ${BYTES} B, ${CALLS} calls x ${ROUNDS} rounds per row (medians of rounds)`,
    [
      { title: 'in flight' },
      { title: 'configuration', align: 'left' },
      { title: 'median ms' },
      { title: 'p99 ms' },
      { title: 'calls/s' },
      { title: 'CPU µs/call' },
      { title: 'median vs server' },
    ],
    results,
  );

  // Redis commands per hit, and per miss (a read of an entry just dropped: HMGET, then the set)
  const redisHit = configurations[2];
  const perHit = await commandsPer(redisHit.read, 200);
  await admin.configResetStat();
  for (let i = 0; i < 50; i++) {
    await redisStores[0].clear();
    await redisHit.read();
  }
  const stats = await admin.info('commandstats');
  const calls = (name) =>
    Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  printTable(
    'Redis commands per read (INFO commandstats)',
    [{ title: 'read', align: 'left' }, { title: 'commands' }, { title: 'which', align: 'left' }],
    [
      ['hit', fmt.us(perHit), 'HMGET'],
      [
        'miss',
        // less the 50 EVALSHA of the clears themselves
        fmt.us((calls('hmget') + calls('evalsha') + calls('eval') - 50) / 50),
        `HMGET ${calls('hmget') / 50}, EVALSHA (set + group) ${(calls('evalsha') - 50) / 50}`,
      ],
    ],
  );
} finally {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await admin.close().catch(() => undefined);
  await server.stop();
  await redis.stop();
}
