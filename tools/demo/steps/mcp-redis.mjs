// Demo step of @tframex/mcp-redis: two workers (as two processes would be, each with a
// RedisRateLimitStore of its own) share one rate limit on a redis-server the step starts.
// Without redis-server on the machine it says so in one line and how to get it.
import { McpRateLimitedError } from '@tframex/mcp-api';
import { MCPClient, RateLimitHandler } from '@tframex/mcp-core';
import { RedisConnection, RedisRateLimitStore } from '@tframex/mcp-redis';
import { MockMCPServer } from '@tframex/mcp-testing';
import { demoRedis } from './redis-server.mjs';

export default {
  name: 'mcp-redis',
  async run(demo) {
    const { section, print, onStop, ui } = demo;
    section('Shared rate limit', 'RedisRateLimitStore: one budget for every process');
    const redis = await demoRedis(demo);
    if (!redis) return;
    const server = new MockMCPServer({ name: 'weather' });
    server.addTool('forecast', ({ city }) => `${city}: sunny`);
    const url = await server.start({ era: 'legacy' });
    onStop('server', () => server.stop());

    // Each worker: its own store and limiter on the same key, as separate processes have.
    // 3 calls at once, then one a minute, across both; nobody waits (maxWaitMs 0).
    const workers = ['worker-a', 'worker-b'].map((name) => {
      const store = new RedisRateLimitStore({ url: redis.url });
      onStop('store', () => store.close());
      const rateLimit = new RateLimitHandler({
        maxRequestsPerMinute: 1,
        burstSize: 3,
        maxWaitMs: 0,
        store,
        storeKey: 'weather',
      });
      const client = new MCPClient({ name, serverUrl: url, rateLimit });
      onStop('client', () => client.close());
      return { name, client, store };
    });
    print(
      `  ${ui.pad('redis', ui.W)}${redis.url}  ${ui.dim('bucket "weather": 3 calls at once, then 1 a minute, shared')}`,
    );
    const cities = ['Oslo', 'Lima', 'Pune', 'Rome'];
    for (const [i, city] of cities.entries()) {
      const { name, client } = workers[i % 2];
      try {
        const result = await client.callTool('forecast', { city });
        print(`  ${ui.pad(name, ui.W)}${ui.OK} forecast ${city} → ${result.content[0].text}`);
      } catch (error) {
        if (!McpRateLimitedError.isInstance(error)) throw error;
        const inSeconds = Math.round((error.retryAfterMs ?? 0) / 1000);
        print(
          `  ${ui.pad(name, ui.W)}refused at once: the shared budget is spent (next token in ~${inSeconds} s)`,
        );
      }
    }
    const admin = new RedisConnection({ url: redis.url }, () => undefined);
    try {
      const client = await admin.main();
      const key = workers[0].store.keyOf('weather');
      const tokens = Number(await client.sendCommand(['HGET', key, 't']));
      const ttlMs = Number(await client.sendCommand(['PTTL', key]));
      print(
        `  ${ui.pad('in redis', ui.W)}${key}: ${tokens.toFixed(2)} tokens, expires in ${Math.round(ttlMs / 1000)} s  ${ui.dim(`${server.callsTo('forecast').length} calls reached the server`)}`,
      );
    } finally {
      await admin.close();
    }
  },
};
