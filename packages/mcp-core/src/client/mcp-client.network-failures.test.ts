// Which failures the client retries, end to end: a bug in user code that runs in the request
// path is not retried and does not trip the circuit breaker; a connection reset during the
// protocol era probe is retried like any other transient connect failure.
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConnectionError } from '@tframex/mcp-api';
import type { McpAuthPlugin } from '@tframex/mcp-auth-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import type { McpRetryEvent } from '@tframex/mcp-telemetry-api';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mockServer(): Promise<{ server: MockMCPServer; url: string }> {
  const server = new MockMCPServer({ name: 'remote' });
  server.addTool('lookup', ({ key }) => ({ key }), { annotations: { readOnlyHint: true } });
  const url = (await server.start()) as string;
  cleanups.push(() => server.stop());
  return { server, url };
}

/** A TCP proxy to `target` that resets the first `resets` connections it accepts. */
async function resettingProxy(target: URL, resets: number): Promise<URL> {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (resets > 0) {
      resets--;
      // Wait for the request, then answer it with a TCP reset.
      socket.once('data', () => socket.resetAndDestroy());
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    proxy.close();
    await once(proxy, 'close');
  });
  const { port } = proxy.address() as net.AddressInfo;
  const url = new URL(target);
  url.port = String(port);
  return url;
}

describe('MCPClient and the failures it retries', () => {
  it('does not retry a TypeError from an auth plugin, nor count it against the circuit', async () => {
    const { server, url } = await mockServer();
    let calls = 0;
    const buggy: McpAuthPlugin = {
      name: 'buggy',
      headers: () => {
        calls++;
        const missing = undefined as unknown as { token: string };
        return { authorization: `Bearer ${missing.token}` };
      },
    };
    const client = new MCPClient(
      testOptions({
        name: 'remote',
        serverUrl: url,
        auth: buggy,
        retryAttempts: 3,
        circuitBreaker: { failureThreshold: 1, recoveryTimeoutMs: 60_000 },
      }),
    );
    cleanups.push(() => client.close());
    const retries: McpRetryEvent[] = [];
    client.on('retry', (event) => retries.push(event));

    const error: unknown = await client.connect().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(McpConnectionError.isInstance(error)).toBe(false);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(retries).toEqual([]);
    expect(calls).toBe(1);
    expect(server.requests).toEqual([]);
    expect(client.circuitBreaker!.state).toBe('closed');
  });

  it('retries a connection reset during protocol era negotiation', async () => {
    const { url } = await mockServer();
    const proxied = await resettingProxy(new URL(url), 1);
    const client = new MCPClient(testOptions({ name: 'remote', serverUrl: proxied.href }));
    cleanups.push(() => client.close());
    const retries: McpRetryEvent[] = [];
    client.on('retry', (event) => retries.push(event));

    await client.connect();

    expect(client.protocolVersion).toEqual(expect.any(String));
    expect(retries.map((retry) => [retry.method, retry.errorKind])).toEqual([
      ['initialize', 'connection'],
    ]);
    expect((await client.callTool('lookup', { key: 'k' })).structuredContent).toEqual({
      key: 'k',
    });
  });
});
