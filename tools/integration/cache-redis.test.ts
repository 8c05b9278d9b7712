// The response cache shared across processes on Redis: two client processes, each an MCPClient
// with cachingMiddleware on a RedisCacheStore, against one MockMCPServer over HTTP. What one
// fetched, the other gets from the cache (the server sees no request); a list_changed drops
// the entry for both, whichever process wrote it; at rest, Redis holds only ciphertext.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

function startCacheClient(serverUrl: string, redisUrl: string, encryptionKey: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=@tframex/source', '--import', tsx, script, serverUrl, redisUrl, encryptionKey],
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
  const a = startCacheClient(url, redis.url, key);
  const b = startCacheClient(url, redis.url, key);
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

    // the tool list changes: the entry A wrote is gone for B too
    server.addTool('checkout', () => 'paid');
    await expect.poll(() => [a.invalidated.length, b.invalidated.length]).toEqual([1, 1]);
    expect(await b.send('list-tools')).toMatchObject({
      cached: false,
      result: ['search', 'checkout'],
    });
    expect(lists()).toBe(listsAtStart + 2);
    expect(await a.send('list-tools')).toMatchObject({
      cached: true,
      result: ['search', 'checkout'],
    });
    expect(lists()).toBe(listsAtStart + 2);

    // and again the other way round: the entry B wrote is gone for A
    server.removeTool('search');
    await expect.poll(() => [a.invalidated.length, b.invalidated.length]).toEqual([2, 2]);
    expect(await a.send('list-tools')).toMatchObject({ cached: false, result: ['checkout'] });
    expect(lists()).toBe(listsAtStart + 3);
    expect(await b.send('list-tools')).toMatchObject({ cached: true, result: ['checkout'] });

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
