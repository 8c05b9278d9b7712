// One circuit for four processes on Redis: each worker is an MCPClient with an
// MCPCircuitBreaker on a RedisCircuitStateStore, all against one MockMCPServer over HTTP.
// One worker sees the server fail and opens the circuit; the others then fail fast without
// reaching the server; after recovery all call at once and the server sees exactly one
// probe; its success closes the circuit for all. And in one client, a shared limiter and a
// shared breaker on one Redis connection cost one round trip per call, not two.
import { MCPCircuitBreaker, MCPClient, RateLimitHandler } from '@tframex/mcp-core';
import { RedisCircuitStateStore, RedisRateLimitStore, type RedisClient } from '@tframex/mcp-redis';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { startCountingProxy } from './counting-proxy.js';
import { startCircuitWorker, type CircuitWorker, type WorkerReply } from './circuit-workers.js';

it('one process opens the circuit for all; exactly one probe over all processes closes it', async () => {
  const redis = await startRedis();
  const server = new MockMCPServer({ name: 'shop' });
  let openGate!: () => void;
  let gate: Promise<void> = Promise.resolve();
  server.addTool('work', async () => {
    await gate;
    return 'done';
  });
  server.addTool('report', () => 'reported');
  const url = await server.start();
  const workers: CircuitWorker[] = [];
  try {
    for (const name of ['w0', 'w1', 'w2', 'w3']) {
      workers.push(startCircuitWorker(redis.url, url, name));
    }
    await Promise.all(workers.map((worker) => worker.ready));
    const [w0, ...others] = workers as [CircuitWorker, ...CircuitWorker[]];
    const works = () => server.callsTo('work').length;

    // all closed: every call reaches the server
    expect((await Promise.all(workers.map((w) => w.call('work')))).map((r) => r.outcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(works()).toBe(4);

    // w0 sees the server fail (503: a connection failure) three times: the circuit opens
    server.faults.inject({ tool: 'report', fault: fault.serverError(503) });
    for (let i = 0; i < 3; i++)
      expect((await w0.call('report')).outcome).toBe('McpConnectionError');
    expect(server.callsTo('report')).toHaveLength(3);

    // the others' next calls fail fast, without reaching the server
    const refused = await Promise.all(others.map((w) => w.call('work')));
    for (const reply of refused) {
      expect(reply.outcome).toBe('McpCircuitOpenError');
      expect(reply.retryAfterMs).toBeGreaterThan(0);
    }
    expect(works()).toBe(4);
    expect(await Promise.all(workers.map((w) => w.state()))).toEqual([
      'open',
      'open',
      'open',
      'open',
    ]);

    // recovery time passes (on every worker's clock); the probe will hang until released
    gate = new Promise<void>((resolve) => (openGate = resolve));
    await Promise.all(workers.map((w) => w.advance(60_000)));
    const answered: WorkerReply[] = [];
    const calls = workers.flatMap((w) =>
      [1, 2, 3].map(() =>
        w.call('work').then((reply) => {
          answered.push(reply);
          return reply;
        }),
      ),
    );
    // every call but the probe is refused while it runs
    await expect.poll(() => answered.length, { timeout: 30_000 }).toBe(11);
    expect(answered.map((r) => r.outcome)).toEqual(Array(11).fill('McpCircuitOpenError'));
    await expect.poll(works, { timeout: 30_000 }).toBe(5); // the probe, held at the server
    openGate();
    const replies = await Promise.all(calls);
    expect(replies.filter((r) => r.outcome === 'ok')).toHaveLength(1);
    expect(works()).toBe(5); // exactly one probe reached the server

    // the probe's success closed the circuit for all
    expect((await Promise.all(workers.map((w) => w.call('work')))).map((r) => r.outcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(works()).toBe(9);
    expect(await Promise.all(workers.map((w) => w.state()))).toEqual([
      'closed',
      'closed',
      'closed',
      'closed',
    ]);
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server.stop();
    await redis.stop();
  }
});

it('a shared rate limiter and a shared breaker on one Redis connection: one round trip per call', async () => {
  const redis = await startRedis();
  const proxy = await startCountingProxy(redis);
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('work', () => 'done');
  const url = await server.start();
  const redisClient = createClient({ url: proxy.url }) as RedisClient;
  await redisClient.connect();
  const client = new MCPClient({
    name: 'shop',
    serverUrl: url,
    retryAttempts: 0,
    rateLimit: new RateLimitHandler({
      maxRequestsPerMinute: 6_000_000,
      burstSize: 100_000,
      store: new RedisRateLimitStore({ client: redisClient }),
    }),
    circuitBreaker: new MCPCircuitBreaker({
      store: new RedisCircuitStateStore({ client: redisClient }),
    }),
  });
  try {
    await client.callTool('work', {}); // connects, and loads both scripts into Redis
    const before = proxy.chunks();
    const calls = 20;
    for (let i = 0; i < calls; i++) await client.callTool('work', {});
    // the take and the read of each call went out together (unpipelined: 2 per call)
    expect(proxy.chunks() - before).toBeLessThanOrEqual(calls);
    expect(server.callsTo('work')).toHaveLength(calls + 1);
  } finally {
    await client.close();
    await redisClient.close();
    await proxy.close();
    await server.stop();
    await redis.stop();
  }
});

it('Redis killed mid-run: calls go on with a local circuit (said so), shared again once it is back', async () => {
  const redis = await startRedis();
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('work', () => 'done');
  server.addTool('report', () => 'reported');
  server.faults.inject({ tool: 'report', fault: fault.serverError(503) });
  const url = await server.start();
  const storeErrors: unknown[] = [];
  const store = new RedisCircuitStateStore({ url: redis.url, onError: () => undefined });
  const elsewhere = new RedisCircuitStateStore({ url: redis.url, onError: () => undefined });
  const client = new MCPClient({
    name: 'shop',
    serverUrl: url,
    retryAttempts: 0,
    circuitBreaker: new MCPCircuitBreaker({
      failureThreshold: 2,
      recoveryTimeoutMs: 60_000,
      server: 'shop', // the key in the store
      store,
      onStoreError: (error) => storeErrors.push(error),
    }),
  });
  const outcome = (tool: string) =>
    client.callTool(tool, {}).then(
      () => 'ok',
      (error: Error) => error.name,
    );
  try {
    expect(await outcome('work')).toBe('ok');
    await redis.kill();
    // the store fails at once: the call goes on, decided by the breaker alone, and is reported
    expect(await outcome('work')).toBe('ok');
    expect(storeErrors.length).toBeGreaterThan(0);
    // failures still open the (local) circuit: never open to everything
    expect(await outcome('report')).toBe('McpConnectionError');
    expect(await outcome('report')).toBe('McpConnectionError');
    expect(await outcome('work')).toBe('McpCircuitOpenError');
    expect(server.callsTo('work')).toHaveLength(2);
    await redis.restart();
    // once Redis answers, the shared record (a fresh Redis: closed) decides again
    await expect.poll(() => outcome('work'), { timeout: 30_000 }).toBe('ok');
    expect(await outcome('report')).toBe('McpConnectionError');
    expect(await outcome('report')).toBe('McpConnectionError');
    expect((await elsewhere.read('shop')).state).toBe('open'); // shared again
  } finally {
    await client.close();
    await Promise.all([store.close(), elsewhere.close()]);
    await server.stop();
    await redis.stop();
  }
});
