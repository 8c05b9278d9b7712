import {
  McpCancelledError,
  McpTimeoutError,
  McpConfigError,
  McpSecurityError,
  type McpSession,
} from '@tframex/mcp-api';
import { fault, MCPTestClient, MCPTestToolSource, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPResource } from './mcp-resource.js';
import type { ResourceChange } from './watch/resource-watch.js';
import type { CacheEntry } from './cache/resource-cache.js';
import { AesGcmEncryption } from './cache/at-rest-encryption.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function serve(
  setup: (server: MockMCPServer) => void,
  options: { pageSize?: number; era?: 'legacy' | 'modern' | 'auto' } = {},
) {
  const server = new MockMCPServer({
    name: 'docs',
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
  setup(server);
  await server.start();
  const client = new MCPTestClient(server, { name: 'docs', era: options.era ?? 'auto' });
  cleanups.push(async () => {
    await client.close();
    await server.stop();
  });
  return { server, client };
}

describe('MCPResource (generic)', () => {
  it('reads text, JSON and bytes by MIME type, under a name prefix', async () => {
    const { client } = await serve((server) => {
      server.addResource('reports/q1.txt', 'quarter one');
      server.addResource('reports/q1.json', { revenue: 42 });
      server.addResource('file:///logo.png', new Uint8Array([137, 80, 78, 71]), {
        mimeType: 'image/png',
      });
    });
    const docs = new MCPResource({ client, uri: 'mcp://docs/reports' });
    expect(await docs.read('q1.txt')).toBe('quarter one');
    expect(await docs.read('q1.json')).toEqual({ revenue: 42 });
    const logo = await docs.read('file:///logo.png');
    expect(logo).toBeInstanceOf(Uint8Array);
    expect([...(logo as Uint8Array)]).toEqual([137, 80, 78, 71]);
    expect(await docs.driverName()).toBe('generic');
    const content = await docs.readContent('q1.json');
    expect(content.mimeType).toBe('application/json');
  });

  it('reads under a URI prefix and fills resource templates', async () => {
    const { client } = await serve((server) => {
      server.addResource('config://app/settings', { debug: true });
      server.addResourceTemplate('users://{id}/profile', (_uri, { id }) => ({ id }));
    });
    const config = new MCPResource({ client, uri: 'mcp://docs/config://app' });
    expect(await config.read('settings')).toEqual({ debug: true });
    const templates = await config.templates();
    expect(templates.map((t) => t.uriTemplate)).toEqual(['users://{id}/profile']);
    expect(await config.readTemplate(templates[0]!, { id: '7' })).toEqual({ id: '7' });
  });

  it('lists page by page: direct children or recursively, and stops fetching when the loop breaks', async () => {
    const { server, client } = await serve(
      (s) => {
        for (let i = 0; i < 25; i++) s.addResource(`data/item-${i}`, `v${i}`);
        s.addResource('data/sub/deep', 'deep');
        s.addResource('other/x', 'x');
      },
      { pageSize: 10 },
    );
    const data = new MCPResource({ client, uri: 'mcp://docs/data' });
    const top = await data.list();
    expect(top.filter((e) => e.kind === 'resource')).toHaveLength(25);
    expect(top.filter((e) => e.kind === 'directory').map((e) => e.name)).toEqual(['sub']);
    const all = await data.list('', { recursive: true });
    expect(all.map((e) => e.path)).toContain('sub/deep');
    expect(all).toHaveLength(26);
    expect(await data.list('sub')).toEqual([
      expect.objectContaining({ path: 'deep', kind: 'resource', uri: 'mock:///data/sub/deep' }),
    ]);
    const pages = server.requestsFor('resources/list').length;
    let seen = 0;
    for await (const entry of data.list()) {
      expect(entry.path).toMatch(/^item-/);
      if (++seen === 3) break;
    }
    expect(server.requestsFor('resources/list').length - pages).toBe(1);
  });

  it('caches reads for the server hint (ttlMs), keeps them encrypted at rest, and bypasses on fresh', async () => {
    const { server, client } = await serve(
      (s) => {
        s.addResource('secret/plan', () => ({
          contents: [
            { uri: 'mock:///secret/plan', mimeType: 'text/plain', text: 'attack at dawn' },
          ],
          ttlMs: 60_000,
        }));
        s.addResource('secret/volatile', () => 'changes');
      },
      { era: 'legacy' },
    ); // the SDK's modern client keeps hinted results itself
    const key = new Uint8Array(32).fill(7);
    const store = new Map<string, CacheEntry>();
    // Counted on the session: the SDK client below keeps hinted results too.
    let reads = 0;
    const counted = new Proxy(client, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (property === 'readResource') {
          return (...args: Parameters<MCPTestClient['readResource']>) => {
            reads += 1;
            return target.readResource(...args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const secure = new MCPResource({
      client: counted,
      uri: 'mcp://docs/secret',
      encryptTransport: true,
      encryptAtRest: true,
      encryption: key,
      cache: { store },
    });
    expect(await secure.read('plan')).toBe('attack at dawn');
    expect(await secure.read('plan')).toBe('attack at dawn');
    expect(reads).toBe(1);
    // What is kept is ciphertext; the key decrypts it.
    const [entry] = [...store.values()];
    expect(entry?.content).toBeUndefined();
    expect(entry?.encrypted).not.toContain('dawn');
    const plain = await new AesGcmEncryption(key).decrypt(entry!.encrypted!);
    expect(JSON.parse(Buffer.from(plain).toString('utf8'))).toMatchObject({
      text: 'attack at dawn',
    });
    await secure.read('plan', { fresh: true });
    expect(reads).toBe(2);
    // No hint and no default TTL: not cached.
    await secure.read('volatile');
    await secure.read('volatile');
    expect(reads).toBe(4);
    expect(server.requestsFor('resources/read').length).toBeGreaterThanOrEqual(3);
    expect(store.size).toBe(1);
  });

  it('caches for the configured TTL when the server gives no hint; cache: false never caches', async () => {
    const { server, client } = await serve((s) => s.addResource('a', 'x'), { era: 'legacy' });
    const cached = new MCPResource({ client, uri: 'mcp://docs/a', cache: { ttlMs: 60_000 } });
    await cached.read();
    await cached.read();
    expect(server.requestsFor('resources/read')).toHaveLength(1);
    cached.invalidate();
    await cached.read();
    expect(server.requestsFor('resources/read')).toHaveLength(2);
    const uncached = new MCPResource({ client, uri: 'mcp://docs/a', cache: false });
    await uncached.read();
    await uncached.read();
    expect(server.requestsFor('resources/read')).toHaveLength(4);
  });

  it("honours a modern server's ttlMs: 0 over the configured TTL", async () => {
    const { server, client } = await serve((s) => s.addResource('a', 'x'), { era: 'modern' });
    const resource = new MCPResource({ client, uri: 'mcp://docs/a', cache: { ttlMs: 60_000 } });
    expect((await resource.readContent()).ttlMs).toBe(0);
    await resource.read();
    expect(server.requestsFor('resources/read')).toHaveLength(2);
  });

  for (const era of ['legacy', 'modern'] as const) {
    it(`watch() re-reads on resources/updated (${era} era) and isolates a throwing listener`, async () => {
      let version = 1;
      const { server, client } = await serve((s) => s.addResource('status', () => ({ version })), {
        era,
      });
      const errors: unknown[] = [];
      const resource = new MCPResource({
        client,
        uri: 'mcp://docs/status',
        onError: (error) => errors.push(error),
      });
      const changes: ResourceChange[] = [];
      const throwing = await resource.watch('', () => {
        throw new Error('listener bug');
      });
      const watch = await resource.watch('', (change) => {
        changes.push(change);
      });
      version = 2;
      server.notifyResourceUpdated('mock:///status');
      await expect.poll(() => changes.map((c) => c.value)).toContainEqual({ version: 2 });
      expect(changes[0]).toMatchObject({ uri: 'mock:///status', reason: 'updated' });
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(String(errors[0])).toMatch(/listener bug/);
      await watch.close();
      await throwing.close();
      expect(await watch.closed).toBe('local');
    });
  }

  it('watch() sees the new value of a read cached for the server hint, and refreshes the cache', async () => {
    let version = 1;
    const { server, client } = await serve((s) =>
      s.addResource('status', () => ({
        contents: [
          {
            uri: 'mock:///status',
            mimeType: 'application/json',
            text: JSON.stringify({ version }),
          },
        ],
        ttlMs: 60_000,
      })),
    );
    const status = new MCPResource({ client, uri: 'mcp://docs/status' });
    expect(await status.read()).toEqual({ version: 1 });
    const values: unknown[] = [];
    const watch = await status.watch('', (change) => {
      values.push(change.value);
    });
    version = 2;
    server.notifyResourceUpdated('mock:///status');
    await expect.poll(() => values).toEqual([{ version: 2 }]);
    expect(await status.read()).toEqual({ version: 2 });
    await watch.close();
  });

  it('watch() re-reads after a lost connection is restored (updates may have been missed)', async () => {
    let version = 1;
    const { server, client } = await serve((s) => s.addResource('status', () => ({ version })), {
      era: 'modern',
    });
    const status = new MCPResource({ client, uri: 'mcp://docs/status' });
    const changes: ResourceChange[] = [];
    const watch = await status.watch('', (change) => {
      changes.push(change);
    });
    version = 3; // changed while the connection was down: no update reaches the client
    server.dropConnections();
    await expect.poll(() => changes.map((c) => c.reason)).toContain('restored');
    expect(changes.find((c) => c.reason === 'restored')?.value).toEqual({ version: 3 });
    await watch.close();
  });

  it('picks the session of the URI server from a tool source', async () => {
    const { client } = await serve((s) => s.addResource('hello', 'from docs'));
    const source = new MCPTestToolSource({ servers: { docs: client } });
    const hello = new MCPResource({ client: source, uri: 'mcp://docs/hello' });
    expect(await hello.read()).toBe('from docs');
    expect(() => new MCPResource({ client: source, uri: 'mcp://nowhere/x' })).toThrow(
      /No MCP server "nowhere".*docs/,
    );
  });

  it('refuses bad input with typed errors that name what was wrong', async () => {
    const { client, server } = await serve((s) => {
      s.addResource('big', 'x'.repeat(5000));
      s.addResource('http://example.com/data', 'plain');
      s.addResource('http://127.0.0.1/data', 'loopback');
      s.addResource('slow', async () => {
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        return 'never';
      });
    });
    const bad = (options: object) => () =>
      new MCPResource({ client, uri: 'mcp://docs/x', ...options } as never);
    expect(bad({ type: 'oracle' })).toThrow(McpConfigError);
    expect(bad({ type: 'oracle' })).toThrow(/type: expected one of postgresql/);
    expect(bad({ client: {} })).toThrow(/client: expected an McpSession/);
    expect(bad({ uri: 'http://x/y' })).toThrow(/mcp:\/\//);
    expect(bad({ maxBytes: -1 })).toThrow(/maxBytes/);
    expect(bad({ encryption: new Uint8Array(3) })).toThrow(/encryption/);

    const docs = new MCPResource({ client, uri: 'mcp://docs/big', maxBytes: 1000 });
    await expect(docs.read()).rejects.toSatisfy(
      (e) => McpSecurityError.isInstance(e) && e.rule === 'response-size',
    );
    await expect(docs.read('../etc/passwd')).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'path',
    );
    const web = new MCPResource({
      client,
      uri: 'mcp://docs/http://example.com',
      encryptTransport: true,
    });
    await expect(web.read('data')).rejects.toSatisfy(
      (e) => McpSecurityError.isInstance(e) && e.rule === 'encrypt-transport',
    );
    const local = new MCPResource({
      client,
      uri: 'mcp://docs/http://127.0.0.1',
      encryptTransport: true,
    });
    expect(await local.read('data')).toBe('loopback');
    await expect(docs.execute('SELECT 1')).rejects.toThrow(
      /generic resource .* has no execute\(\)/,
    );

    const slow = new MCPResource({ client, uri: 'mcp://docs/slow' });
    const controller = new AbortController();
    const reading = slow.read('', { signal: controller.signal });
    await server.waitForRequest(
      (request) => request.method === 'resources/read' && request.target === 'mock:///slow',
    );
    controller.abort();
    await expect(reading).rejects.toSatisfy((e) => McpCancelledError.isInstance(e));
  });

  it('never hangs: a stalled read fails with McpTimeoutError after timeoutMs', async () => {
    const { server, client } = await serve((s) => s.addResource('stuck', 'never sent'));
    server.faults.inject({ method: 'resources/read', fault: fault.stall() });
    const stuck = new MCPResource({ client, uri: 'mcp://docs/stuck', timeoutMs: 300 });
    await expect(stuck.read()).rejects.toSatisfy((e) => McpTimeoutError.isInstance(e));
  });

  it('works over any McpSession, e.g. a plain object', async () => {
    const session = {
      name: 'plain',
      readResource: async (uri: string) => ({
        contents: [{ uri, mimeType: 'text/plain', text: uri }],
      }),
      callTool: async () => ({ content: [] }),
      listResources: async () => [{ uri: 'x://a', name: 'a' }],
    } as unknown as McpSession;
    const plain = new MCPResource({ client: session, uri: 'mcp://plain/x://root' });
    expect(await plain.read('a')).toBe('x://root/a');
    expect(await new MCPResource({ client: session, uri: 'mcp://plain/a' }).read()).toBe('x://a');
  });
});
