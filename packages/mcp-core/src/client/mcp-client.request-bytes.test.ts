// request:end carries the bytes of the request and of its response (the serialized JSON-RPC
// messages, UTF-8), on every transport, each call with its own even when they overlap.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import type { McpRequestEndEvent } from '@tframex/mcp-telemetry-api';
import { EVERYTHING_BIN } from '../test-support/everything.js';
import { testOptions } from '../test-support/test-options.js';
import type { MCPClientOptions } from './mcp-client-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `count` two-byte characters: 2 × count bytes in UTF-8. */
const text = (count: number) => 'é'.repeat(count);
/** Room for the JSON-RPC envelope around a payload. */
const ENVELOPE = 1_000;

function observed(options: MCPClientOptions) {
  const client = new MCPClient(testOptions({ retryAttempts: 0, ...options }));
  cleanups.push(() => client.close());
  const ends: McpRequestEndEvent[] = [];
  client.on('request:end', (event) => ends.push(event));
  return { client, ends };
}

async function mockServer(): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name: 'bytes' });
  server.addTool('echo', ({ text }) => String(text));
  cleanups.push(() => server.stop());
  return server;
}

function expectAround(value: number | undefined, bytes: number): void {
  expect(value).toBeGreaterThanOrEqual(bytes);
  expect(value).toBeLessThan(bytes + ENVELOPE);
}

describe('bytes sent and received', () => {
  const transports: [string, () => Promise<MCPClientOptions>][] = [
    [
      'in memory',
      async () => ({ transport: await (await mockServer()).start({ transport: 'memory' }) }),
    ],
    [
      'legacy HTTP',
      async () => ({ serverUrl: await (await mockServer()).start(), protocol: 'legacy' }),
    ],
    [
      'modern HTTP',
      async () => ({ serverUrl: await (await mockServer()).start(), protocol: 'modern' }),
    ],
  ];

  for (const [label, target] of transports) {
    it(`are measured for a tool call ${label}`, async () => {
      const { client, ends } = observed({ name: 'bytes', ...(await target()) });
      await client.callTool('echo', { text: text(5_000) });
      const call = ends.find((event) => event.method === 'tools/call')!;
      expectAround(call.bytesSent, 10_000);
      expectAround(call.bytesReceived, 10_000);
    });
  }

  it('are measured over stdio, for a failed request too', async () => {
    const { client, ends } = observed({
      name: 'everything',
      command: process.execPath,
      args: [EVERYTHING_BIN, 'stdio'],
    });
    await client.callTool('echo', { message: text(3_000) });
    await expect(client.readResource('nowhere://at-all')).rejects.toThrow();
    const call = ends.find((event) => event.method === 'tools/call')!;
    expectAround(call.bytesSent, 6_000);
    expectAround(call.bytesReceived, 6_000);
    const failed = ends.find((event) => event.method === 'resources/read')!;
    expect(failed.outcome).toBe('error');
    expect(failed.bytesSent).toBeGreaterThan(0);
    expect(failed.bytesReceived).toBeGreaterThan(0);
  });

  it('add up every page of a listing', async () => {
    const server = new MockMCPServer({ name: 'paged', pageSize: 2 });
    for (let i = 0; i < 6; i++) server.addResource(`docs/page-${i}`, text(10));
    cleanups.push(() => server.stop());
    const url = await server.start();
    const { client, ends } = observed({ name: 'paged', serverUrl: url });
    await client.listResources();
    const pages = server.requestsFor('resources/list');
    expect(pages).toHaveLength(3);
    const list = ends.find((event) => event.method === 'resources/list')!;
    const one = (await client.listPage('resources')).items.length;
    expect(one).toBe(2);
    const single = ends.at(-1)!;
    // Three pages: three requests and three answers of about one page each.
    expect(list.bytesSent).toBeGreaterThan(2 * single.bytesSent!);
    expect(list.bytesReceived).toBeGreaterThan(2 * single.bytesReceived!);
  });

  it('belong to their own call when calls overlap on one connection', async () => {
    const server = await mockServer();
    const { client, ends } = observed({ name: 'bytes', serverUrl: await server.start() });
    await client.listTools();
    const sizes = [1_000, 4_000, 2_000, 8_000, 3_000, 6_000];
    await Promise.all(sizes.map((size) => client.callTool('echo', { text: text(size) })));
    const calls = ends.filter((event) => event.method === 'tools/call');
    expect(calls).toHaveLength(sizes.length);
    for (const call of calls) {
      // The payload this call sent, known by its size; its answer must be the same size.
      const sent = call.bytesSent ?? 0;
      const bytes = sizes.map((size) => size * 2).find((b) => sent >= b && sent < b + ENVELOPE);
      expect(bytes).toBeDefined();
      expectAround(call.bytesSent, bytes!);
      expectAround(call.bytesReceived, bytes!);
    }
    expect(new Set(calls.map((call) => call.bytesSent)).size).toBe(sizes.length);
  });
});
