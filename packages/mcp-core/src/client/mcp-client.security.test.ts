// The security policy in the request path, against MockMCPServer over real HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { McpSecurityError } from '@tframex/mcp-api';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import { cachingMiddleware, MemoryCacheStore } from '../middleware/caching-middleware.js';
import { verifyBodySignature } from '../security/body-signature.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';
import type { MCPClientOptions } from './mcp-client-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mock(): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name: 'secure' });
  server.addTool('add', ({ a, b }) => ({ sum: Number(a) + Number(b) }), {
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    outputSchema: z.object({ sum: z.number() }),
  });
  server.addTool('liar', () => ({ sum: 'not a number' }), {
    outputSchema: z.object({ sum: z.number() }),
  });
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 200; i++) deep = { type: 'object', properties: { nested: deep } };
  server.addTool('deep', () => 'ok', {
    inputSchema: { type: 'object', properties: { root: deep } },
  });
  cleanups.push(() => server.stop());
  return server;
}

function client(options: MCPClientOptions): MCPClient {
  const created = new MCPClient(testOptions({ name: 'secure', retryAttempts: 0, ...options }));
  cleanups.push(() => created.close());
  return created;
}

/** A real HTTP server that answers every request with `handler`. */
async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('MCPClient security policy', () => {
  it('refuses servers that are not allowed, and plain http off loopback', () => {
    expect(
      () =>
        new MCPClient({
          serverUrl: 'https://evil.example.com/mcp',
          security: { allowedServers: ['*.trusted.dev'] },
        }),
    ).toThrow(expect.objectContaining({ rule: 'allowed-servers' }));
    expect(
      () =>
        new MCPClient({
          command: 'bash',
          args: ['-c', 'id'],
          security: { allowedServers: ['npx'] },
        }),
    ).toThrow(expect.objectContaining({ rule: 'allowed-servers' }));
    expect(
      () =>
        new MCPClient({
          serverUrl: 'http://mcp.example.com/mcp',
          security: { encryptTransport: true },
        }),
    ).toThrow(expect.objectContaining({ rule: 'encrypt-transport' }));
    expect(
      () =>
        new MCPClient({
          serverUrl: 'http://127.0.0.1:9/mcp',
          security: { encryptTransport: true },
        }),
    ).not.toThrow();
  });

  it('refuses a redirect to a server off the allow-list', async () => {
    const elsewhere = await httpServer((_req, res) => res.end('never'));
    const redirector = await httpServer((_req, res) =>
      res.writeHead(307, { location: `${elsewhere.replace('127.0.0.1', 'localhost')}/mcp` }).end(),
    );
    const mcp = client({
      serverUrl: `${redirector}/mcp`,
      sseFallback: false,
      security: { allowedServers: ['127.0.0.1:*'] },
    });
    await expect(mcp.connect()).rejects.toSatisfy(
      (error) => McpSecurityError.isInstance(error) && error.rule === 'redirect',
    );
  });

  it('validates arguments before sending and results after', async () => {
    const server = await mock();
    const url = await server.start({ era: 'legacy' });
    // A tampering hop between client and server: the answer to `add` loses its number.
    const tamper = await httpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers[name] = value;
      const answer = await fetch(`${url.replace(/\/mcp$/, '')}${req.url}`, {
        method: req.method,
        headers,
        ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      });
      const text = (await answer.text()).replace(/"sum":99/g, '"sum":"ninety-nine"');
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'content-encoding') out[name] = value;
      });
      res.writeHead(answer.status, out).end(text);
    });
    const mcp = client({
      serverUrl: `${tamper}/mcp`,
      protocol: 'legacy',
      security: { validateSchemas: true },
    });
    expect((await mcp.callTool('add', { a: 1, b: 2 })).structuredContent).toEqual({ sum: 3 });
    await expect(mcp.callTool('add', { a: 'one', b: 2 })).rejects.toSatisfy(
      (error) => McpSecurityError.isInstance(error) && error.rule === 'schema-validation',
    );
    expect(server.callsTo('add')).toHaveLength(1); // the bad call never left the client
    await expect(mcp.callTool('add', { a: 90, b: 9 })).rejects.toSatisfy(
      (error) =>
        (McpSecurityError.isInstance(error) && error.rule === 'schema-validation') ||
        (error as Error).name === 'McpProtocolError',
    );
  });

  it('leaves out tools whose schemas are too deep, and says which', async () => {
    const server = await mock();
    const mcp = client({ serverUrl: await server.start(), security: { maxSchemaDepth: 32 } });
    const names = (await mcp.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['add', 'liar']));
    expect(names).not.toContain('deep');
    expect(
      mcp.rejectedTools.map((rejected) => [
        rejected.name,
        (rejected.error as McpSecurityError).rule,
      ]),
    ).toEqual([['deep', 'schema-depth']]);
  });

  it('refuses oversized responses', async () => {
    const server = await mock();
    const mcp = client({ serverUrl: await server.start(), maxResponseBytes: 64 * 1024 });
    server.faults.inject({ tool: 'add', fault: fault.oversized(256 * 1024) });
    await expect(mcp.callTool('add', { a: 1, b: 1 })).rejects.toSatisfy(
      (error) => McpSecurityError.isInstance(error) && error.rule === 'response-size',
    );
  });

  it('signs request bodies with HMAC-SHA256 that the server can verify', async () => {
    const server = await mock();
    const key = 'a-shared-signing-key-of-32-bytes!!';
    const verdicts: string[] = [];
    const front = await httpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        if (req.method === 'POST')
          verdicts.push(
            verifyBodySignature(body, req.headers['x-mcp-signature'] as string | undefined, key),
          );
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers))
          if (typeof value === 'string') headers.set(name, value);
        const answer = await server.fetch(
          new Request(`http://127.0.0.1${req.url}`, {
            method: req.method,
            headers,
            ...(req.method === 'POST' ? { body } : {}),
          }),
        );
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        if (answer.body) for await (const chunk of answer.body) res.write(chunk);
        res.end();
      });
    });
    const mcp = client({
      serverUrl: `${front}/mcp`,
      protocol: 'modern',
      security: { signingKey: key },
    });
    expect((await mcp.callTool('add', { a: 2, b: 3 })).structuredContent).toEqual({ sum: 5 });
    expect(verdicts.length).toBeGreaterThan(0);
    expect(new Set(verdicts)).toEqual(new Set(['ok']));
  });

  it('encrypts what the cache keeps at rest', async () => {
    const server = await mock();
    const store = new MemoryCacheStore();
    const mcp = client({
      serverUrl: await server.start(),
      security: { encryptionKey: 'a passphrase for the cache' },
    });
    mcp.use(cachingMiddleware({ store, tools: ['add'], cipher: mcp.settings.security! }));
    const first = await mcp.callTool('add', { a: 20, b: 22 });
    const second = await mcp.callTool('add', { a: 20, b: 22 });
    expect(second).toEqual(first);
    expect(server.callsTo('add')).toHaveLength(1);
    const [entry] = [...store.entries()];
    expect(entry).toBeDefined();
    // Stored as ciphertext, not JSON; only the key turns it back into the result.
    expect(() => JSON.parse(entry![1].value)).toThrow();
    const plain = JSON.parse(await mcp.settings.security!.decryptString(entry![1].value)) as {
      structuredContent: unknown;
    };
    expect(plain.structuredContent).toEqual({ sum: 42 });
  });
});
