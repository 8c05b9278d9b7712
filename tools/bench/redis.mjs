#!/usr/bin/env node
// Benchmark of the shared rate limit of @tframex/mcp-redis (built packages): what a
// RateLimitHandler on a RedisRateLimitStore adds to each call, against the same limiter with
// its bucket in the process and against no limiter, in one run, at 1 and 64 calls in flight;
// and the Redis commands (round trips) per call, from INFO commandstats before and after.
// MCPClient talks to an SDK server in this process over an in-memory pair, so the limiter is
// most of what differs; the limit is far above what the run reaches (nothing waits). Prints
// figures and ratios; asserts nothing timed.
//   node tools/bench/redis.mjs [--quick] [--rounds n]
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { MCPClient, RateLimitHandler } from '@tframex/mcp-core';
import { RedisRateLimitStore } from '@tframex/mcp-redis';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { median, runLoad } from './lib/measure.mjs';
import { fmt, printTable } from './lib/report.mjs';
import { createServerFactory } from './lib/server.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : quick ? 1 : 5;
const callsAt = { 1: quick ? 300 : 3_000, 64: quick ? 1_000 : 12_000 };
// High enough never to throttle: a billion a minute, bursts of a million.
const LIMIT = { maxRequestsPerMinute: 1e9, burstSize: 1e6 };

const redis = await startRedis();
const admin = createClient({ url: redis.url });
await admin.connect();

/** EVALSHA/EVAL calls and the µs Redis spent on them, since Redis started. */
async function scriptStats() {
  const info = await admin.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const name of ['evalsha', 'eval']) {
    const match = new RegExp(`cmdstat_${name}:calls=(\\d+),usec=(\\d+)`).exec(info);
    if (match) {
      calls += Number(match[1]);
      usec += Number(match[2]);
    }
  }
  return { calls, usec };
}

/** A connected MCPClient on an in-memory SDK server, with the limiter `kind` asks for. */
async function open(kind) {
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(createServerFactory(), { transport: serverEnd });
  const store =
    kind === 'shared'
      ? new RedisRateLimitStore({ url: redis.url, keyPrefix: 'bench:' })
      : undefined;
  const rateLimit =
    kind === 'none'
      ? undefined
      : new RateLimitHandler({ ...LIMIT, ...(store ? { store, storeKey: 'echo' } : {}) });
  const client = new MCPClient({
    name: 'bench',
    transport: clientEnd,
    protocol: 'legacy',
    rateLimit,
  });
  await client.connect();
  await client.listTools();
  return {
    echo: () => client.callTool('echo', { text: 'hello' }),
    async close() {
      await client.close();
      await store?.close();
      await served.close().catch(() => undefined);
    },
  };
}

const kinds = ['none', 'local', 'shared'];
const results = {}; // `${kind}@${concurrency}` -> runs
for (const concurrency of [1, 64]) {
  const calls = callsAt[concurrency];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so that drift in the machine's load touches every kind alike.
    const order = round % 2 ? [...kinds].reverse() : kinds;
    for (const kind of order) {
      const client = await open(kind);
      await runLoad(client.echo, { calls: Math.ceil(calls / 10), concurrency }); // warm-up
      const before = await scriptStats();
      const run = await runLoad(client.echo, { calls, concurrency });
      const after = await scriptStats();
      await client.close();
      run.redisCommandsPerCall = (after.calls - before.calls) / run.calls;
      run.redisUsPerCall = (after.usec - before.usec) / run.calls;
      (results[`${kind}@${concurrency}`] ??= []).push(run);
    }
  }
}

const summary = (kind, concurrency) => {
  const runs = results[`${kind}@${concurrency}`];
  const pick = (key) => median(runs.map((run) => run[key]));
  return {
    callsPerSec: pick('callsPerSec'),
    medianMs: pick('medianMs'),
    cpuUsPerCall: pick('cpuUsPerCall'),
    redisCommandsPerCall: pick('redisCommandsPerCall'),
    redisUsPerCall: pick('redisUsPerCall'),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
  };
};

const rows = [];
const added = [];
for (const concurrency of [1, 64]) {
  const local = summary('local', concurrency);
  for (const kind of kinds) {
    const s = summary(kind, concurrency);
    rows.push([
      `${kind} limiter, ${concurrency} in flight`,
      fmt.rate(s.callsPerSec),
      fmt.ms(s.medianMs),
      fmt.us(s.cpuUsPerCall),
      s.redisCommandsPerCall.toFixed(2),
      fmt.us(s.redisUsPerCall),
      fmt.ratio(s.medianMs / local.medianMs),
      fmt.ratio(s.callsPerSec / local.callsPerSec),
      String(s.failures),
    ]);
  }
  const shared = summary('shared', concurrency);
  added.push([
    `${concurrency} in flight`,
    fmt.us((shared.medianMs - local.medianMs) * 1000),
    fmt.us(shared.cpuUsPerCall - local.cpuUsPerCall),
    fmt.ratio(shared.medianMs / local.medianMs),
    fmt.ratio(shared.callsPerSec / local.callsPerSec),
    shared.redisCommandsPerCall.toFixed(2),
  ]);
}
console.log(
  `Shared rate limit on Redis (${redis.url}, redis-server 7), MCPClient over an in-memory pair,` +
    ` median of ${rounds} round(s); calls per run: ${callsAt[1]} at 1 in flight, ${callsAt[64]} at 64.`,
);
printTable(
  'Per call (CPU: this process, client and in-memory server; Redis µs: inside Redis)',
  [
    { title: 'configuration', align: 'left' },
    { title: 'calls/s' },
    { title: 'median ms' },
    { title: 'CPU µs/call' },
    { title: 'Redis cmds/call' },
    { title: 'Redis µs/call' },
    { title: 'latency vs local' },
    { title: 'calls/s vs local' },
    { title: 'failures' },
  ],
  rows,
);
printTable(
  'Added by the shared limiter (RedisRateLimitStore) over the local one',
  [
    { title: 'load', align: 'left' },
    { title: '+µs median latency' },
    { title: '+CPU µs/call' },
    { title: 'latency ratio' },
    { title: 'calls/s ratio' },
    { title: 'round trips/call' },
  ],
  added,
);
console.log(
  '\nOne take is one EVALSHA (a Lua script: one round trip). Calls that never wait take once;' +
    ' at 64 in flight a call the bucket refuses would wait in line, and the head takes for the line.',
);

await admin.close();
await redis.stop();
