#!/usr/bin/env node
// Benchmark of the shared circuit breaker (@tframex/mcp-redis RedisCircuitStateStore under
// @tframex/mcp-core's MCPCircuitBreaker, built): what keeping the circuit in Redis adds per
// call, against a client whose breaker and limiter are in process, in one run, at 1 and 64
// calls in flight; and how many writes to Redis a call costs (counted at a TCP proxy in front
// of redis-server), with a shared rate limiter beside it on one connection (the breaker's read
// goes out with the limiter's take: goal 1) or on two. It asserts nothing.
//
//   npm run bench -- redis-circuit [--quick] [--calls <n>] [--rounds <n>]
import { createConnection, createServer } from 'node:net';
import { MCPCircuitBreaker, MCPClient, RateLimitHandler } from '@tframex/mcp-core';
import { RedisCircuitStateStore, RedisRateLimitStore } from '@tframex/mcp-redis';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { startServerChild, stopAll } from './lib/children.mjs';
import { median, runLoad } from './lib/measure.mjs';
import { fmt, printTable } from './lib/report.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const numberArg = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const CALLS = numberArg('--calls', quick ? 200 : 2_000);
const ROUNDS = numberArg('--rounds', quick ? 1 : 4);
const IN_FLIGHT = [1, 64];
// A limit no run reaches: the limiter's cost without its waits.
const UNLIMITED = { maxRequestsPerMinute: 1e9, burstSize: 1e9 };

/** A TCP proxy in front of Redis counting the chunks clients send (commands sent together arrive together). */
async function countingProxy(target) {
  let chunks = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', () => (chunks += 1));
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${server.address().port}`,
    chunks: () => chunks,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const redis = await startRedis();
const proxy = await countingProxy(redis);
const server = await startServerChild({ workMs: 0 });
const connections = [];
const connect = async () => {
  const client = createClient({ url: proxy.url });
  await client.connect();
  connections.push(client);
  return client;
};

/** The configurations, each one MCPClient; `local` is the baseline. */
const configs = [
  {
    name: 'local',
    label: 'limiter + breaker in process (baseline)',
    make: async () => ({
      rateLimit: new RateLimitHandler(UNLIMITED),
      circuitBreaker: new MCPCircuitBreaker(),
    }),
  },
  {
    name: 'breaker',
    label: 'limiter in process, breaker on Redis',
    make: async () => ({
      rateLimit: new RateLimitHandler(UNLIMITED),
      circuitBreaker: new MCPCircuitBreaker({
        store: new RedisCircuitStateStore({ client: await connect() }),
      }),
    }),
  },
  {
    name: 'both-one',
    label: 'limiter + breaker on Redis, one connection',
    make: async () => {
      const client = await connect();
      return {
        rateLimit: new RateLimitHandler({
          ...UNLIMITED,
          store: new RedisRateLimitStore({ client }),
        }),
        circuitBreaker: new MCPCircuitBreaker({ store: new RedisCircuitStateStore({ client }) }),
      };
    },
  },
  {
    name: 'both-two',
    label: 'limiter + breaker on Redis, two connections',
    make: async () => ({
      rateLimit: new RateLimitHandler({
        ...UNLIMITED,
        store: new RedisRateLimitStore({ client: await connect() }),
      }),
      circuitBreaker: new MCPCircuitBreaker({
        store: new RedisCircuitStateStore({ client: await connect() }),
      }),
    }),
  },
];

const clients = new Map();
const results = new Map(); // `${config}/${inFlight}` -> runs
try {
  for (const config of configs) {
    const client = new MCPClient({
      serverUrl: server.url,
      retryAttempts: 0,
      ...(await config.make()),
    });
    await client.connect();
    const call = () => client.callTool('echo', { text: 'hello' });
    await runLoad(call, { calls: 100, concurrency: 8 }); // warm (and load the Lua scripts)
    clients.set(config.name, { client, call });
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round, so drift hits every configuration alike.
    const order = configs.map((_, i) => configs[(i + round) % configs.length]);
    for (const inFlight of IN_FLIGHT) {
      for (const config of order) {
        const before = proxy.chunks();
        const run = await runLoad(clients.get(config.name).call, {
          calls: CALLS,
          concurrency: inFlight,
        });
        if (run.failures > 0) throw new Error(`${config.name}: ${run.firstError}`);
        run.writesPerCall = (proxy.chunks() - before) / run.calls;
        const key = `${config.name}/${inFlight}`;
        results.set(key, [...(results.get(key) ?? []), run]);
      }
    }
  }
} finally {
  for (const { client } of clients.values()) await client.close();
  for (const connection of connections) await connection.close();
  await proxy.close();
  await server.stop();
  await redis.stop();
  stopAll();
}

const pick = (key, field) => median(results.get(key).map((run) => run[field]));
for (const inFlight of IN_FLIGHT) {
  const base = `local/${inFlight}`;
  printTable(
    `MCPClient over HTTP, ${inFlight} call(s) in flight (${ROUNDS} rounds × ${CALLS} calls; medians)`,
    [
      { title: 'configuration', align: 'left' },
      { title: 'median ms' },
      { title: 'added ms' },
      { title: 'ratio' },
      { title: 'calls/s' },
      { title: 'CPU µs/call' },
      { title: 'Redis writes/call' },
    ],
    configs.map((config) => {
      const key = `${config.name}/${inFlight}`;
      return [
        config.label,
        fmt.ms(pick(key, 'medianMs')),
        fmt.ms(pick(key, 'medianMs') - pick(base, 'medianMs')),
        fmt.ratio(pick(key, 'medianMs') / pick(base, 'medianMs')),
        fmt.rate(pick(key, 'callsPerSec')),
        fmt.us(pick(key, 'cpuUsPerCall')),
        config.name === 'local' ? '-' : pick(key, 'writesPerCall').toFixed(2),
      ];
    }),
  );
}
console.log(
  '\nAdded ms and ratios are against the in-process baseline measured in this run. Redis\n' +
    'writes/call: chunks the clients sent to Redis per call; with one call in flight, one\n' +
    "write is one round trip (the limiter's take and the breaker's read pipelined together);\n" +
    'with many in flight the client batches commands of several calls into one write.',
);
