// Demo step of @tframex/mcp-redis's shared response cache: two clients (as two processes
// would be) cache through one RedisCacheStore, encrypted at rest; what one fetched the other
// gets without asking the server, and a list_changed drops it for both.
import { cachingMiddleware, MCPClient, MCPSecurity } from '@tframex/mcp-core';
import { RedisCacheStore } from '@tframex/mcp-redis';
import { MockMCPServer } from '@tframex/mcp-testing';
import { demoRedis } from './redis-server.mjs';

export default {
  name: 'mcp-redis-cache',
  async run(demo) {
    const { section, print, onStop, within, ui } = demo;
    section('Shared cache', 'cachingMiddleware on a RedisCacheStore: two clients, one cache');
    const redis = await demoRedis(demo);
    if (!redis) return;
    const server = new MockMCPServer({ name: 'catalog' });
    server.addTool('search', () => 'found');
    const url = await server.start({ era: 'legacy' });
    onStop('server', () => server.stop());

    const cipher = new MCPSecurity({ encryptionKey: 'demo key for the cache at rest' });
    // resolves with the client that heard list_changed first, once it dropped the list (B,
    // answered from the cache alone, never even connected: A's drop is what it relies on)
    let onDropped;
    const dropped = new Promise((resolve) => (onDropped = resolve));
    const open = (label) => {
      const store = new RedisCacheStore({ url: redis.url });
      onStop('store', () => store.close());
      const cache = cachingMiddleware({ store, cipher, honourServerHints: false });
      const client = new MCPClient({ name: 'catalog', serverUrl: url, protocol: 'legacy' });
      onStop('client', () => client.close());
      client.use(cache);
      client.onNotification('*', (notification) => {
        if (notification.method !== 'notifications/tools/list_changed') return;
        void cache.onNotification(notification, client.name).then(() => onDropped(label));
      });
      let cached = false;
      client.on('request:end', (event) => (cached = event.cached === true));
      return {
        async list() {
          const names = (await client.listTools({ refresh: true })).map((tool) => tool.name);
          const lists = server.requestsFor('tools/list').length;
          print(
            `  ${ui.pad(`${label} tools/list`, ui.W)}${names.join(', ')}  ${ui.dim(`${cached ? 'from the cache' : 'from the server'}, server saw ${lists}`)}`,
          );
          return cached;
        },
      };
    };
    const a = open('A');
    const b = open('B');
    if ((await a.list()) || !(await b.list())) throw new Error('B was not served from the cache');

    server.addTool('checkout', () => 'paid');
    const heardBy = await within(dropped, 10_000, 'list_changed');
    print(
      `  ${ui.pad('list_changed', ui.W)}heard by ${heardBy}, the list dropped from Redis for both`,
    );
    if (await b.list()) throw new Error('the list changed, yet B was served the old one');
    print(
      `  ${ui.pad('summary', ui.W)}${ui.OK} one fetch served both; one list_changed dropped it for both`,
    );
  },
};
