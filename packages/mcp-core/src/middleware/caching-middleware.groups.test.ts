// cachingMiddleware over a store shared by two clients (as two processes would share Redis):
// with groups in the store, a list_changed seen by one drops what the other wrote; without
// them, only what the middleware wrote itself.
import type { McpCacheEntry, McpCacheSetOptions, McpCacheStore } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPClient } from '../client/mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPSecurity } from '../security/mcp-security.js';
import { cachingMiddleware } from './caching-middleware.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A second McpCacheStore, as a plain object over a Map; with groups unless told otherwise. */
function plainStore(withGroups: boolean) {
  const entries = new Map<string, McpCacheEntry & { group?: string }>();
  const calls: string[] = [];
  const store: McpCacheStore = {
    get: (key) => entries.get(key),
    set(key: string, entry: McpCacheEntry, options?: McpCacheSetOptions) {
      entries.set(key, { ...entry, group: options?.group });
    },
    delete(key) {
      entries.delete(key);
    },
    clear: () => entries.clear(),
  };
  if (withGroups) {
    store.deleteGroup = async (group) => {
      calls.push(group);
      for (const [key, entry] of entries) if (entry.group === group) entries.delete(key);
    };
  }
  return { store, entries, calls };
}

async function twoClients(store: McpCacheStore) {
  const server = new MockMCPServer({ name: 'shared' });
  server.addResource('docs/readme', 'read me');
  const url = await server.start();
  cleanups.push(() => server.stop());
  const clients = ['a', 'b'].map((id) => {
    const client = new MCPClient(
      testOptions({ name: 'shop', serverUrl: url, retryAttempts: 0, protocol: 'legacy' }),
    );
    cleanups.push(() => client.close());
    // (a 2026-era MockMCPServer hints `ttlMs: 0, cacheScope: private`; not followed here)
    const cache = cachingMiddleware({ store, honourServerHints: false });
    client.use(cache);
    return { id, client, cache };
  });
  return { server, a: clients[0]!, b: clients[1]! };
}

describe('cachingMiddleware with a shared store', () => {
  it('files entries by (server, method) group; a list_changed in one client drops what the other wrote', async () => {
    const { store, entries, calls } = plainStore(true);
    const { server, a, b } = await twoClients(store);
    const [resource] = await a.client.listResources();
    await a.client.readResource(resource!.uri);
    expect([...entries.values()].map((entry) => entry.group).sort()).toEqual([
      'shop\u0000resources/list',
      'shop\u0000resources/read',
    ]);
    await b.client.listResources();
    await b.client.readResource(resource!.uri);
    expect(server.requestsFor('resources/list')).toHaveLength(1);
    expect(server.requestsFor('resources/read')).toHaveLength(1);
    expect(b.cache.stats).toEqual({ hits: 2, misses: 0 });

    // b never fetched a list itself, yet its notification drops a's entry from the store
    await b.cache.onNotification({ method: 'notifications/resources/list_changed' }, 'shop');
    expect(calls).toEqual(['shop\u0000resources/list', 'shop\u0000resources/templates/list']);
    await a.client.listResources();
    expect(server.requestsFor('resources/list')).toHaveLength(2);
    expect(server.requestsFor('resources/read')).toHaveLength(1);

    // without a server name, every server the cache has seen
    await b.cache.onNotification({
      method: 'notifications/resources/updated',
      params: { uri: resource!.uri },
    });
    await a.client.readResource(resource!.uri);
    expect(server.requestsFor('resources/read')).toHaveLength(2);
    await b.cache.onNotification({ method: 'notifications/resources/list_changed' });
    await b.client.listResources();
    expect(server.requestsFor('resources/list')).toHaveLength(3);
  });

  it('drops the group when the server says the list changed (notifications fed from the client)', async () => {
    const { store } = plainStore(true);
    const { server, a, b } = await twoClients(store);
    const invalidated: Promise<void>[] = [];
    a.client.onNotification('*', (notification) => {
      invalidated.push(a.cache.onNotification(notification, a.client.name));
    });
    await a.client.listResources();
    await b.client.listResources();
    expect(server.requestsFor('resources/list')).toHaveLength(1);
    server.addResource('docs/changelog', 'news');
    server.notifyResourcesChanged();
    await expect.poll(() => invalidated.length).toBeGreaterThan(0);
    await Promise.all(invalidated);
    expect(await b.client.listResources()).toHaveLength(2);
    expect(server.requestsFor('resources/list')).toHaveLength(2);
  });

  it('without groups in the store, forgets only the keys it wrote itself', async () => {
    const { store, entries } = plainStore(false);
    const { server, a, b } = await twoClients(store);
    await a.client.listResources();
    await b.cache.onNotification({ method: 'notifications/resources/list_changed' }, 'shop');
    expect(entries.size).toBe(1); // b wrote nothing, so it knows no key to drop
    await b.client.listResources();
    expect(server.requestsFor('resources/list')).toHaveLength(1);
    await a.cache.onNotification({ method: 'notifications/resources/list_changed' }, 'shop');
    expect(entries.size).toBe(0);
    await b.client.listResources();
    expect(server.requestsFor('resources/list')).toHaveLength(2);
  });

  it('reports a store that fails to drop entries, and still resolves', async () => {
    const { store } = plainStore(true);
    store.deleteGroup = () => {
      throw new Error('store down');
    };
    const reported: unknown[] = [];
    const cache = cachingMiddleware({ store, onError: (error) => reported.push(error) });
    await cache.onNotification({ method: 'notifications/tools/list_changed' }, 'shop');
    expect(reported.map(String)).toEqual(['Error: store down']);
  });

  it('never fails a call for the cache: a failing store is a miss, an unreadable entry is not served', async () => {
    const { store, entries } = plainStore(true);
    const server = new MockMCPServer({ name: 'shared' });
    server.addResource('docs/readme', 'read me');
    const url = await server.start();
    cleanups.push(() => server.stop());
    const open = (key: string | undefined, reported: unknown[]) => {
      const client = new MCPClient(
        testOptions({ name: 'shop', serverUrl: url, retryAttempts: 0, protocol: 'legacy' }),
      );
      cleanups.push(() => client.close());
      const cipher = key ? new MCPSecurity({ encryptionKey: key }) : undefined;
      const onError = (error: unknown) => reported.push(error);
      client.use(cachingMiddleware({ store, cipher, honourServerHints: false, onError }));
      return client;
    };
    const reads = () => server.requestsFor('resources/read').length;
    const uri = 'mock:///docs/readme';

    // written without a cipher, read by a client with one: not served, replaced by ciphertext
    const plainReported: unknown[] = [];
    const keyedReported: unknown[] = [];
    await open(undefined, plainReported).readResource(uri);
    const keyed = open('the key of the cache at rest', keyedReported);
    expect((await keyed.readResource(uri)).contents).toHaveLength(1);
    expect(reads()).toBe(2);
    expect(keyedReported).toHaveLength(1);
    expect(keyedReported[0]).toMatchObject({ name: 'McpSecurityError', rule: 'integrity' });
    expect([...entries.values()].map((entry) => entry.value.includes('read me'))).toEqual([false]);
    await keyed.readResource(uri);
    expect(reads()).toBe(2);

    // tampered with at rest: not served either
    for (const entry of entries.values()) entry.value = `${entry.value.slice(0, -4)}AAAA`;
    await keyed.readResource(uri);
    expect(reads()).toBe(3);
    expect(keyedReported).toHaveLength(2);

    // a store that throws on every operation: every call still answered, by the server
    const failing: McpCacheStore = {
      get: () => Promise.reject(new Error('get failed')),
      set: () => {
        throw new Error('set failed');
      },
      delete: () => undefined,
      clear: () => undefined,
    };
    const failingReported: unknown[] = [];
    const client = new MCPClient(
      testOptions({ name: 'shop', serverUrl: url, retryAttempts: 0, protocol: 'legacy' }),
    );
    cleanups.push(() => client.close());
    client.use(
      cachingMiddleware({
        store: failing,
        honourServerHints: false,
        onError: (error) => failingReported.push(error),
      }),
    );
    await client.readResource(uri);
    await client.readResource(uri);
    expect(reads()).toBe(5);
    expect(failingReported.map(String)).toEqual([
      'Error: get failed',
      'Error: set failed',
      'Error: get failed',
      'Error: set failed',
    ]);
    expect(plainReported).toEqual([]);
  });

  it('does not store an answer to a request that was in flight when its group was dropped', async () => {
    const { store, entries } = plainStore(true);
    const server = new MockMCPServer({ name: 'shared' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let version = 1;
    server.addTool('price', async () => {
      const seen = version;
      entered();
      await gate;
      return `price list v${seen}`;
    });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({ name: 'shop', serverUrl: url, retryAttempts: 0, protocol: 'legacy' }),
    );
    cleanups.push(() => client.close());
    const cache = cachingMiddleware({ store, tools: ['price'], honourServerHints: false });
    client.use(cache);

    const inFlight = client.callTool('price', {});
    await inHandler;
    version = 2; // the server changes, and says so while the old answer is on its way
    await cache.invalidate('shop', 'tools/call');
    release();
    expect(JSON.stringify(await inFlight)).toContain('price list v1');
    expect(entries.size).toBe(0); // the old answer was not stored

    // a request that starts after the drop is stored as usual
    expect(JSON.stringify(await client.callTool('price', {}))).toContain('price list v2');
    expect(entries.size).toBe(1);
    expect(JSON.stringify(await client.callTool('price', {}))).toContain('price list v2');
    expect(server.requestsFor('tools/call')).toHaveLength(2);
  });
});
