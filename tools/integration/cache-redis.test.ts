// The response cache shared across processes on Redis: two client processes, each an MCPClient
// with cachingMiddleware on a RedisCacheStore, against one MockMCPServer over HTTP. What one
// fetched, the other gets from the cache (the server sees no request); a list_changed drops
// the entry for both (the next call from either reaches the server), whichever process wrote
// it; at rest, Redis holds only ciphertext. With Redis killed, calls go on from the server, and
// the cache is shared again once it is back.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { McpConnectionError } from '@tframex/mcp-api';
import { cachingMiddleware, MCPClient } from '@tframex/mcp-core';
import { RedisCacheStore } from '@tframex/mcp-redis';
import { MockMCPServer } from '@tframex/mcp-testing';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('./cache-client.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

interface Reply {
  id: number;
  cached?: boolean;
  result?: unknown;
  error?: string;
}

function startCacheClient(
  serverUrl: string,
  redisUrl: string,
  encryptionKey: string,
  groupDropGuardMs: number,
) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tframex/source',
      '--import',
      tsx,
      script,
      serverUrl,
      redisUrl,
      encryptionKey,
      String(groupDropGuardMs),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, (reply: Reply) => void>();
  const invalidated: string[] = [];
  let nextId = 0;
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        if (!line.startsWith('{')) continue;
        const message = JSON.parse(line) as Reply & { invalidated?: string };
        if (message.invalidated) invalidated.push(message.invalidated);
        else pending.get(message.id)?.(message);
      }
    });
    void exited.then(() => reject(new Error(`cache client exited: ${stderr}`)));
  });
  ready.catch(() => undefined);
  const send = (op: 'list-tools' | 'read-resource', uri?: string) => {
    const id = nextId++;
    const reply = new Promise<Reply>((resolve, reject) => {
      pending.set(id, resolve);
      void exited.then(() => reject(new Error(`cache client exited: ${stderr}`)));
    });
    child.stdin!.write(`${JSON.stringify({ id, op, uri })}\n`);
    return reply.then((answer) => {
      if (answer.error) throw new Error(answer.error);
      return answer;
    });
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end(); // the client closes its MCP session and Redis connection, then exits
    await exited;
  };
  return { ready, send, invalidated, stop };
}

it('process B is answered from the cache for what process A fetched; list_changed drops it for both', async () => {
  const redis = await startRedis();
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('search', () => 'found');
  server.addResource('docs/price-list', 'confidential price list: 42 per unit');
  const url = await server.start();
  const key = 'a shared at-rest key for the cache';
  // after a drop, no process writes that list again for a minute: longer than this test
  const a = startCacheClient(url, redis.url, key, 60_000);
  const b = startCacheClient(url, redis.url, key, 60_000);
  const admin = createClient({ url: redis.url });
  try {
    await Promise.all([a.ready, b.ready, admin.connect()]);
    const lists = () => server.requestsFor('tools/list').length;
    const reads = () => server.requestsFor('resources/read').length;
    const listsAtStart = lists();

    // A fetches the tool list and a resource; B gets both from the cache
    expect(await a.send('list-tools')).toMatchObject({ cached: false, result: ['search'] });
    expect(lists()).toBe(listsAtStart + 1);
    expect(await b.send('list-tools')).toMatchObject({ cached: true, result: ['search'] });
    expect(lists()).toBe(listsAtStart + 1);
    const uri = 'mock:///docs/price-list';
    const text = ['confidential price list: 42 per unit'];
    expect(await a.send('read-resource', uri)).toMatchObject({ cached: false, result: text });
    expect(await b.send('read-resource', uri)).toMatchObject({ cached: true, result: text });
    expect(reads()).toBe(1);

    // at rest, Redis holds ciphertext: neither the resource text nor the tool name
    const keys = await admin.keys('tframex:cache:entry:*');
    expect(keys).toHaveLength(2);
    for (const entry of keys) {
      const value = (await admin.hGet(entry, 'v')) ?? '';
      expect(value.length).toBeGreaterThan(0);
      expect(value).not.toContain('price list');
      expect(value).not.toContain('search');
    }

    // the tool list changes: the entry A wrote is gone for both; and while the drop guard
    // holds, nobody writes the list again (an answer from before the change could be stale)
    server.addTool('checkout', () => 'paid');
    await expect.poll(() => [a.invalidated.length, b.invalidated.length]).toEqual([1, 1]);
    expect(await b.send('list-tools')).toMatchObject({
      cached: false,
      result: ['search', 'checkout'],
    });
    expect(lists()).toBe(listsAtStart + 2);
    expect(await a.send('list-tools')).toMatchObject({
      cached: false,
      result: ['search', 'checkout'],
    });
    expect(lists()).toBe(listsAtStart + 3);
    expect(await admin.keys('tframex:cache:entry:*')).toHaveLength(1); // the resource read

    // and again, heard by both, the next call from either reaches the server
    server.removeTool('search');
    await expect.poll(() => [a.invalidated.length, b.invalidated.length]).toEqual([2, 2]);
    expect(await a.send('list-tools')).toMatchObject({ cached: false, result: ['checkout'] });
    expect(await b.send('list-tools')).toMatchObject({ cached: false, result: ['checkout'] });
    expect(lists()).toBe(listsAtStart + 5);

    // a tool list change leaves the cached resource read alone
    expect(await b.send('read-resource', uri)).toMatchObject({ cached: true, result: text });
    expect(reads()).toBe(1);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await admin.close().catch(() => undefined);
    await server.stop();
    await redis.stop();
  }
});

it('Redis killed mid-run: calls go on from the server (misses, reported), then shared again', async () => {
  const redis = await startRedis();
  const server = new MockMCPServer({ name: 'shop' });
  server.addResource('docs/price-list', 'prices');
  const url = await server.start();
  const reported: unknown[] = [];
  const stores = [1, 2].map(
    () =>
      new RedisCacheStore({
        url: redis.url,
        recheckAfterMs: 50,
        onError: (error) => reported.push(error),
      }),
  );
  const clients = stores.map((store) => {
    const client = new MCPClient({
      name: 'shop',
      serverUrl: url,
      protocol: 'legacy',
      retryAttempts: 0,
    });
    client.use(cachingMiddleware({ store, honourServerHints: false }));
    return client;
  });
  const [a, b] = clients as [MCPClient, MCPClient];
  const uri = 'mock:///docs/price-list';
  const reads = () => server.requestsFor('resources/read').length;
  try {
    await a.readResource(uri);
    await b.readResource(uri);
    expect(reads()).toBe(1);

    await redis.kill();
    // every call still answers, from the server; nothing waits on the missing Redis
    for (const client of [a, b, a, b]) {
      expect((await client.readResource(uri)).contents).toHaveLength(1);
    }
    expect(reads()).toBe(5);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((error) => McpConnectionError.isInstance(error))).toBe(true);

    await redis.restart(); // empty: no persistence
    // once the store reconnects, what A fetches B gets from the cache again
    await expect
      .poll(
        async () => {
          await a.readResource(uri);
          const before = reads();
          await b.readResource(uri);
          return reads() === before;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(stores.map((store) => store.close()));
    await server.stop();
    await redis.stop();
  }
});

it('2026-07-28 era: a client subscribed to list changes drops the shared list for the other', async () => {
  const redis = await startRedis();
  const server = new MockMCPServer({ name: 'shop' });
  server.addTool('search', () => 'found');
  const url = await server.start();
  const stores = [1, 2].map(
    () => new RedisCacheStore({ url: redis.url, onError: () => undefined }),
  );
  const dropped: Promise<void>[] = [];
  const clients = stores.map((store) => {
    const client = new MCPClient({ name: 'shop', serverUrl: url, protocol: 'modern' });
    // MockMCPServer hints `cacheScope: private` in this era; shared here on purpose
    const cache = cachingMiddleware({ store, honourServerHints: false });
    client.use(cache);
    client.onNotification('*', (notification) => {
      dropped.push(cache.onNotification(notification, client.name));
    });
    return client;
  });
  const [a, b] = clients as [MCPClient, MCPClient];
  const lists = () => server.requestsFor('tools/list').length;
  try {
    expect(a.protocolEra).toBeUndefined(); // not connected yet
    await a.subscribe({ toolsListChanged: true }, () => undefined);
    expect(a.protocolEra).toBe('modern');
    await a.listTools({ refresh: true });
    const afterA = lists();
    expect((await b.listTools({ refresh: true })).map((tool) => tool.name)).toEqual(['search']);
    expect(lists()).toBe(afterA); // from the cache

    server.addTool('checkout', () => 'paid');
    await expect.poll(() => dropped.length).toBeGreaterThan(0);
    await Promise.all(dropped);
    const names = (await b.listTools({ refresh: true })).map((tool) => tool.name);
    expect(names).toEqual(['search', 'checkout']);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(stores.map((store) => store.close()));
    await server.stop();
    await redis.stop();
  }
});
