// What the request path tells middleware and listeners: the attempt number of each try, tool
// failures apart from request failures, and cache hits as requests of their own.
import { afterEach, describe, expect, it } from 'vitest';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import type { McpRequestEndEvent } from '@tframex/mcp-telemetry-api';
import { cachingMiddleware } from '../middleware/caching-middleware.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ server: MockMCPServer; client: MCPClient }> {
  const server = new MockMCPServer({ name: 'observed' });
  server.addTool('lookup', ({ key }) => ({ key }), { annotations: { readOnlyHint: true } });
  server.addTool('broken', () => {
    throw new Error('kaput');
  });
  server.addResource('docs/readme', 'read me');
  const url = await server.start({ era: 'legacy' });
  cleanups.push(() => server.stop());
  const client = new MCPClient(testOptions({ name: 'observed', serverUrl: url }));
  cleanups.push(() => client.close());
  return { server, client };
}

describe('MCPClient request path', () => {
  it('runs middleware for each attempt, and McpRequest.attempt counts them', async () => {
    const { server, client } = await setup();
    const seen: [string, number][] = [];
    client.use({
      name: 'attempts',
      beforeRequest: (request) => void seen.push([request.method, request.attempt]),
    });
    await client.listTools();
    server.faults.inject({ tool: 'lookup', fault: fault.unavailable(), times: 1 });

    await client.callTool('lookup', { key: 'k' });

    expect(seen).toEqual([
      ['tools/list', 1],
      ['tools/call', 1],
      ['tools/call', 2],
    ]);
  });

  it('ends a tool that reported failure with outcome tool-error, apart from ok and error', async () => {
    const { server, client } = await setup();
    const ends: McpRequestEndEvent[] = [];
    client.on('request:end', (event) => ends.push(event));
    await client.callTool('lookup', { key: 'k' });
    expect((await client.callTool('broken', {})).isError).toBe(true);
    server.faults.inject({ tool: 'lookup', fault: fault.unavailable(), times: 5 });
    await expect(client.callTool('lookup', { key: 'k' }, { idempotent: false })).rejects.toThrow();

    expect(
      ends.map((end) => [end.tool, end.outcome, end.errorKind, end.error === undefined]),
    ).toEqual([
      ['lookup', 'ok', undefined, true],
      ['broken', 'tool-error', 'tool', true],
      ['lookup', 'error', 'connection', false],
    ]);
  });

  it('emits request events for cache hits, marked cached, with a call id of their own', async () => {
    const { server, client } = await setup();
    client.use(cachingMiddleware({ ttlMs: 60_000 }));
    const ends: McpRequestEndEvent[] = [];
    client.on('request:end', (event) => ends.push(event));
    const starts: number[] = [];
    client.on('request:start', (event) => starts.push(event.requestId));
    const [resource] = await client.listResources();
    await client.readResource(resource!.uri);
    await client.readResource(resource!.uri);

    expect(server.requestsFor('resources/read')).toHaveLength(1);
    expect(ends.map((end) => [end.method, end.resourceUri, end.outcome, end.cached])).toEqual([
      ['resources/list', undefined, 'ok', undefined],
      ['resources/read', resource!.uri, 'ok', undefined],
      ['resources/read', resource!.uri, 'ok', true],
    ]);
    expect(new Set(ends.map((end) => end.callId)).size).toBe(3);
    expect(starts).toEqual(ends.map((end) => end.requestId));
  });
});
