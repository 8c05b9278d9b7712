// `security: new MCPSecurity({...})` (the TFrameX pattern) is enforced like the plain
// options, and objects that are neither options nor an instance are refused at the edge.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConfigError, McpSecurityError } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { cachingMiddleware } from '../middleware/caching-middleware.js';
import { verifyBodySignature } from '../security/body-signature.js';
import { MCPSecurity } from '../security/mcp-security.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const configFieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (McpConfigError.isInstance(error)) return error.issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error('expected an McpConfigError');
};

describe('MCPClient with an MCPSecurity instance', () => {
  it('enforces the allow-list of the instance', () => {
    const security = new MCPSecurity({ allowedServers: ['*.trusted.dev'] });
    expect(() => new MCPClient({ serverUrl: 'https://evil.example.com/mcp', security })).toThrow(
      expect.objectContaining({ rule: 'allowed-servers' }),
    );
    expect(() => new MCPClient({ command: 'bash', args: ['-c', 'id'], security })).toThrow(
      expect.objectContaining({ rule: 'allowed-servers' }),
    );
    const allowed = new MCPClient({ serverUrl: 'https://api.trusted.dev/mcp', security });
    expect(allowed.settings.security).toBe(security);
  });

  it('signs request bodies with the instance signing key', async () => {
    const server = new MockMCPServer({ name: 'signed' });
    server.addTool('echo', ({ text }) => String(text));
    cleanups.push(() => server.stop());
    await server.start();
    const key = 'a-shared-signing-key-of-32-bytes!!';
    const verdicts: string[] = [];
    const front: Server = createServer((req, res) => {
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
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => front.close(() => resolve())));
    const mcp = new MCPClient(
      testOptions({
        serverUrl: `http://127.0.0.1:${(front.address() as AddressInfo).port}/mcp`,
        protocol: 'modern',
        retryAttempts: 0,
        security: new MCPSecurity({ signingKey: key, allowedServers: ['127.0.0.1:*'] }),
      }),
    );
    cleanups.push(() => mcp.close());
    expect((await mcp.callTool('echo', { text: 'hi' })).content).toEqual([
      { type: 'text', text: 'hi' },
    ]);
    expect(verdicts.length).toBeGreaterThan(0);
    expect(new Set(verdicts)).toEqual(new Set(['ok']));
  });

  it('refuses objects that are neither options nor an MCPSecurity', () => {
    class Policy {
      readonly #allowed = ['*.trusted.dev'];
      get allowed() {
        return this.#allowed;
      }
    }
    class LookAlike {
      encryptTransport = true;
      validateSchemas = true;
    }
    for (const security of [new Policy(), new LookAlike(), new Map(), [], 'strict'])
      expect(
        configFieldsOf(
          () =>
            new MCPClient({
              serverUrl: 'https://api.trusted.dev/mcp',
              security: security as never,
            }),
        ),
      ).toEqual(['security']);
    class Limits {
      readonly #rpm = 10;
      get rpm() {
        return this.#rpm;
      }
    }
    expect(
      configFieldsOf(
        () =>
          new MCPClient({
            serverUrl: 'https://api.trusted.dev/mcp',
            circuitBreaker: new Limits() as never,
          }),
      ),
    ).toEqual(['circuitBreaker']);
    expect(
      configFieldsOf(
        () =>
          new MCPClient({
            serverUrl: 'https://api.trusted.dev/mcp',
            auth: { name: 'custom', headers: 'Bearer x' } as never,
          }),
      ),
    ).toEqual(['auth']);
  });

  it('is refused as an MCPSecurity-shaped plain object with unknown fields (no silent drop)', () => {
    expect(McpSecurityError).toBeDefined();
    expect(
      configFieldsOf(
        () =>
          new MCPClient({
            serverUrl: 'https://api.trusted.dev/mcp',
            security: { allowedServer: ['x'] } as never,
          }),
      ),
    ).toEqual(['security.allowedServer']);
  });
});

describe('options that take instances (audit)', () => {
  it('cachingMiddleware refuses a store or cipher that cannot do its job', () => {
    expect(
      configFieldsOf(() => cachingMiddleware({ store: { get: () => undefined } as never })),
    ).toEqual(['store']);
    // An MCPSecurity has the cipher's methods, but without encryptionKey it cannot encrypt.
    expect(configFieldsOf(() => cachingMiddleware({ cipher: new MCPSecurity() }))).toEqual([
      'cipher',
    ]);
    expect(() =>
      cachingMiddleware({ cipher: new MCPSecurity({ encryptionKey: 'a long passphrase' }) }),
    ).not.toThrow();
    expect(configFieldsOf(() => cachingMiddleware({ ttl: 5 } as never))).toEqual(['ttl']);
  });
});
