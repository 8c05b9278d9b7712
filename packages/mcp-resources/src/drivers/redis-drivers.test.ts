import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startRedis,
  type RunningService,
} from '../../../../tools/test-services/index.mjs';
import { MCPResource } from '../mcp-resource.js';
import { npmServer } from '../test-support/servers.js';
import { spawnUntil } from '../test-support/spawn-until.js';

let redis: RunningService;
let mcpRedis: MCPTestClient;
let serverRedis: MCPTestClient;

beforeAll(async () => {
  redis = await startRedis();
  mcpRedis = new MCPTestClient(
    npmServer('mcp-redis/build/index.js', [], { REDIS_URL: redis.url }),
    { name: 'cache', era: 'legacy' },
  );
  serverRedis = new MCPTestClient(
    npmServer('@modelcontextprotocol/server-redis/dist/index.js', [redis.url]),
    { name: 'cache', era: 'legacy' },
  );
  await Promise.all([mcpRedis.connect(), serverRedis.connect()]);
}, 60_000);

afterAll(async () => {
  await mcpRedis?.close();
  await serverRedis?.close();
  await redis?.stop();
});

async function raw(command: string, ...args: Array<string | number>): Promise<unknown> {
  return mcpRedis.executeTool('redis_command', { command, args });
}

for (const flavour of ['mcp-redis', 'server-redis'] as const) {
  describe(`keyvalue driver: ${flavour} against redis-server`, () => {
    const client = () => (flavour === 'mcp-redis' ? mcpRedis : serverRedis);

    it('gives back the same object, string or number that was set; a missing key is undefined', async () => {
      const kv = new MCPResource({ client: client(), uri: 'mcp://cache/redis', type: 'keyvalue' });
      expect(await kv.driverName()).toBe(flavour);
      await kv.set('user:123', { name: 'Alice', role: 'admin', tags: ['a', 'b'] });
      expect(await kv.get('user:123')).toEqual({ name: 'Alice', role: 'admin', tags: ['a', 'b'] });
      await kv.set(`${flavour}:text`, '123');
      expect(await kv.get(`${flavour}:text`)).toBe('123');
      await kv.set(`${flavour}:n`, 42);
      expect(await kv.get(`${flavour}:n`)).toBe(42);
      expect(await kv.get(`${flavour}:missing`)).toBeUndefined();
      expect(await kv.delete(`${flavour}:n`)).toBe(true);
      expect(await kv.get(`${flavour}:n`)).toBeUndefined();
    });

    it('keeps keys under the URI prefix, lists them, and expires them on request', async () => {
      const kv = new MCPResource({
        client: client(),
        uri: `mcp://cache/redis/${flavour}/sessions`,
        type: 'keyvalue',
      });
      await kv.set('s1', { user: 1 }, { ttlSeconds: 300 });
      await kv.set('s2', { user: 2 });
      expect(await raw('GET', `${flavour}:sessions:s1`)).toBe('{"user":1}');
      const ttl = Number(await raw('TTL', `${flavour}:sessions:s1`));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
      const keys = (await kv.list()).map((entry) => entry.path).sort();
      expect(keys).toEqual(['s1', 's2']);
    });
  });
}

describe('keyvalue: shared store, bad values', () => {
  it('lists thousands of keys batch by batch with SCAN', async () => {
    const pairs: string[] = [];
    for (let i = 0; i < 1_200; i++) pairs.push(`bulk:k${i}`, String(i));
    await raw('MSET', ...pairs);
    const bulk = new MCPResource({
      client: mcpRedis,
      uri: 'mcp://cache/redis/bulk',
      type: 'keyvalue',
    });
    const keys = new Set<string>();
    for await (const entry of bulk.list()) keys.add(entry.path);
    expect(keys.size).toBe(1_200);
    expect(keys.has('k1199')).toBe(true);
  });

  it('reads with one server what the other wrote', async () => {
    const writer = new MCPResource({
      client: mcpRedis,
      uri: 'mcp://cache/redis',
      type: 'keyvalue',
    });
    const reader = new MCPResource({
      client: serverRedis,
      uri: 'mcp://cache/redis',
      type: 'keyvalue',
    });
    await writer.set('shared', { ok: true, text: 'it\'s "quoted"\n' });
    expect(await reader.get('shared')).toEqual({ ok: true, text: 'it\'s "quoted"\n' });
  });

  it('refuses values that are not JSON and empty keys', async () => {
    const kv = new MCPResource({ client: mcpRedis, uri: 'mcp://cache/redis', type: 'keyvalue' });
    await expect(kv.set('k', undefined)).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'value',
    );
    await expect(kv.get('')).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'key',
    );
    await expect(kv.execute('SELECT 1')).rejects.toThrow(
      /keyvalue resource \(driver mcp-redis\) has no execute/,
    );
  });
});

describe('messagequeue drivers', () => {
  it('publishes to a Redis stream through mcp-redis (XADD) and the entry holds the payload', async () => {
    const mq = new MCPResource({
      client: mcpRedis,
      uri: 'mcp://queue/events',
      type: 'messagequeue',
    });
    const receipt = await mq.publish('user.created', { id: 123, email: 'alice@example.com' });
    expect(receipt.topic).toBe('user.created');
    expect(receipt.id).toMatch(/^\d+-\d+$/);
    const entries = (await raw('XRANGE', 'user.created', '-', '+')) as Array<[string, string[]]>;
    expect(entries).toEqual([[receipt.id, ['payload', '{"id":123,"email":"alice@example.com"}']]]);
    const prefixed = new MCPResource({
      client: mcpRedis,
      uri: 'mcp://queue/events/app',
      type: 'messagequeue',
    });
    expect((await prefixed.publish('ping', 'x')).topic).toBe('app.ping');
    await expect(mq.publish('bad topic', 1)).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'topic',
    );
  });

  it("uses any server's publish tool with topic-like and payload-like arguments", async () => {
    const server = new MockMCPServer({ name: 'queue' });
    server.addTool('publish', ({ subject, data }) => ({ messageId: 7, subject, data }), {
      inputSchema: {
        type: 'object',
        properties: { subject: { type: 'string' }, data: {} },
        required: ['subject', 'data'],
      },
    });
    await server.start();
    const client = new MCPTestClient(server, { name: 'queue' });
    try {
      const mq = new MCPResource({ client, uri: 'mcp://queue/nats/orders', type: 'messagequeue' });
      expect(await mq.publish('created', { id: 1 })).toEqual({ topic: 'orders.created', id: '7' });
      expect(server.callsTo('publish')[0]?.arguments).toEqual({
        subject: 'orders.created',
        data: { id: 1 },
      });
    } finally {
      await client.close();
      await server.stop();
    }
  });
});

describe('keyvalue and messagequeue over Streamable HTTP (mcp-redis --http)', () => {
  it("sets, gets and publishes through the server's HTTP transport", async () => {
    const port = await freePort();
    const server = await spawnUntil(
      npmServer('mcp-redis/build/index.js', [], {
        REDIS_URL: redis.url,
        TRANSPORT: 'http',
        PORT: String(port),
      }),
      /running on Streamable HTTP/,
    );
    const client = new MCPTestClient(`http://127.0.0.1:${port}/mcp`, {
      name: 'cache',
      era: 'legacy',
    });
    try {
      const kv = new MCPResource({ client, uri: 'mcp://cache/redis/http', type: 'keyvalue' });
      await kv.set('user:9', { name: 'Ida' });
      expect(await kv.get('user:9')).toEqual({ name: 'Ida' });
      expect(await raw('GET', 'http:user:9')).toBe('{"name":"Ida"}');
      const mq = new MCPResource({ client, uri: 'mcp://queue/events', type: 'messagequeue' });
      expect((await mq.publish('over.http', { ok: true })).id).toMatch(/^\d+-\d+$/);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
