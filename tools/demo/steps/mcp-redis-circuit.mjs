// Demo step of @tframex/mcp-redis: two workers (as two processes would be, each with a
// RedisCircuitStateStore of its own) share one circuit breaker on a redis-server the step
// starts: one sees the server fail and opens it, the other then fails fast without calling.
// Without redis-server on the machine it says so in one line and how to get it.
import { McpCircuitOpenError } from '@tframex/mcp-api';
import { MCPCircuitBreaker, MCPClient } from '@tframex/mcp-core';
import { RedisCircuitStateStore, RedisConnection } from '@tframex/mcp-redis';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import { demoRedis } from './redis-server.mjs';

export default {
  name: 'mcp-redis-circuit',
  async run(demo) {
    const { section, print, onStop, ui } = demo;
    section('Shared circuit', 'RedisCircuitStateStore: one circuit breaker for every process');
    const redis = await demoRedis(demo);
    if (!redis) return;
    const server = new MockMCPServer({ name: 'inventory' });
    server.addTool('stock', ({ sku }) => `${sku}: 12 in stock`);
    const url = await server.start({ era: 'legacy' });
    onStop('server', () => server.stop());

    // Each worker: its own store and breaker on the same key, as separate processes have.
    const workers = ['worker-a', 'worker-b'].map((name) => {
      const store = new RedisCircuitStateStore({ url: redis.url });
      onStop('store', () => store.close());
      const circuitBreaker = new MCPCircuitBreaker({
        failureThreshold: 2,
        recoveryTimeoutMs: 60_000,
        store,
        storeKey: 'inventory',
      });
      const client = new MCPClient({ name, serverUrl: url, retryAttempts: 0, circuitBreaker });
      onStop('client', () => client.close());
      return { name, client, store, circuitBreaker };
    });
    const [a, b] = workers;
    print(
      `  ${ui.pad('redis', ui.W)}${redis.url}  ${ui.dim('circuit "inventory": opens after 2 failures, probe after 60 s')}`,
    );
    server.faults.inject({ tool: 'stock', fault: fault.serverError(503) });
    for (let i = 1; i <= 2; i++) {
      const outcome = await a.client.callTool('stock', { sku: 'B-200' }).then(
        () => 'answered',
        (error) => error.name,
      );
      print(`  ${ui.pad(a.name, ui.W)}stock B-200 → ${outcome} (HTTP 503)`);
    }
    print(`  ${ui.pad(a.name, ui.W)}circuit ${a.circuitBreaker.state}`);
    const calls = server.callsTo('stock').length;
    try {
      await b.client.callTool('stock', { sku: 'B-200' });
      throw new Error('worker-b reached the server through an open shared circuit');
    } catch (error) {
      if (!McpCircuitOpenError.isInstance(error)) throw error;
      const inSeconds = Math.round((error.retryAfterMs ?? 0) / 1000);
      print(
        `  ${ui.pad(b.name, ui.W)}refused at once: the shared circuit is open (probe in ~${inSeconds} s), server saw ${server.callsTo('stock').length - calls} more calls`,
      );
    }
    const admin = new RedisConnection({ url: redis.url }, () => undefined);
    try {
      const client = await admin.main();
      const key = a.store.keyOf('inventory');
      const [state, failures] = await client.sendCommand(['HMGET', key, 's', 'f']);
      const ttlMs = Number(await client.sendCommand(['PTTL', key]));
      print(
        `  ${ui.pad('in redis', ui.W)}${key}: ${state}, ${failures} failures, expires in ${Math.round(ttlMs / 60_000)} min`,
      );
    } finally {
      await admin.close();
    }
  },
};
