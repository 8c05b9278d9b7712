// Cache hints (2026-07-28 `ttlMs` / `cacheScope`) reach the middleware by value, for every
// request that returns them (typed, generic and paged), and each client sees its own.
import { afterEach, describe, expect, it } from 'vitest';
import type { McpMiddleware, McpResponse } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function modernClient(name: string) {
  const server = new MockMCPServer({ name });
  server.addResource('docs/readme', 'read me');
  const url = await server.start();
  cleanups.push(() => server.stop());
  const client = new MCPClient(
    testOptions({ name, serverUrl: url, retryAttempts: 0, protocol: 'modern' }),
  );
  cleanups.push(() => client.close());
  const seen: { method: string; cache: McpResponse['cache'] }[] = [];
  const recorder: McpMiddleware = {
    name: 'hint-recorder',
    afterResponse: (response) => {
      seen.push({ method: response.request.method, cache: response.cache });
    },
  };
  client.use(recorder);
  return { client, seen };
}

describe('cache hints by value', () => {
  it('reach the middleware for typed, generic and paged requests', async () => {
    const { client, seen } = await modernClient('hints');
    const [resource] = await client.listResources();
    await client.readResource(resource!.uri);
    await client.request('resources/read', { uri: resource!.uri });
    await client.listPage('resources');
    expect(seen.map((entry) => entry.method)).toEqual([
      'resources/list',
      'resources/read',
      'resources/read',
      'resources/list',
    ]);
    for (const entry of seen) expect(entry.cache?.ttlMs, entry.method).toBeTypeOf('number');
  });

  it('belong to the request that received them: two clients, each its own', async () => {
    const first = await modernClient('first');
    const second = await modernClient('second');
    const [resource] = await first.client.listResources();
    await Promise.all([
      first.client.request('resources/read', { uri: resource!.uri }),
      second.client.listPage('resources'),
    ]);
    expect(first.seen.map((entry) => entry.method)).toEqual(['resources/list', 'resources/read']);
    expect(second.seen.map((entry) => entry.method)).toEqual(['resources/list']);
    expect(first.seen[1]!.cache?.ttlMs).toBeTypeOf('number');
    expect(second.seen[0]!.cache?.ttlMs).toBeTypeOf('number');
  });
});
