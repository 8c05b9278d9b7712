// BalancedSession over real replicas: spreading, health and failover.
import { afterEach, describe, expect, it } from 'vitest';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPClient } from '../client/mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import type { McpRequestEndEvent } from '@tframex/mcp-telemetry-api';
import { BalancedSession } from './balanced-session.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function replica(id: string) {
  const server = new MockMCPServer({ name: `search-${id}` });
  server.addTool('whoami', () => id, { annotations: { readOnlyHint: true } });
  const url = await server.start({ era: 'modern' });
  cleanups.push(() => server.stop());
  const client = new MCPClient(
    testOptions({ name: `search-${id}`, serverUrl: url, retryAttempts: 0 }),
  );
  cleanups.push(() => client.close());
  return { server, client };
}

const text = (result: { content: { type: string; text?: string }[] }) => result.content[0]?.text;

describe('BalancedSession', () => {
  it('spreads calls round robin, and fails over when a replica goes away', async () => {
    const a = await replica('a');
    const b = await replica('b');
    const session = new BalancedSession({
      name: 'search',
      replicas: { a: a.client, b: b.client },
      strategy: 'round-robin',
    });
    await session.listTools();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(text(await session.callTool('whoami', {})));
    expect(answers.sort()).toEqual(['a', 'a', 'b', 'b']);

    await b.server.stop();
    const after = [];
    for (let i = 0; i < 4; i++) after.push(text(await session.callTool('whoami', {})));
    expect(after).toEqual(['a', 'a', 'a', 'a']);
  });

  it('skips replicas its health checks find dead', async () => {
    const a = await replica('a');
    const b = await replica('b');
    const session = new BalancedSession({
      name: 'search',
      replicas: { a: a.client, b: b.client },
      strategy: 'least-connections',
    });
    await a.server.stop();
    await session.checkHealth();
    expect(session.status().map((s) => [s.id, s.healthy])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(text(await session.callTool('whoami', {}))).toBe('b');
  });

  it('emits the events of its replicas under its own name, and a snapshot over them', async () => {
    const a = await replica('a');
    const b = await replica('b');
    const session = new BalancedSession({
      name: 'search',
      replicas: { a: a.client, b: b.client },
      strategy: 'round-robin',
    });
    const ends: McpRequestEndEvent[] = [];
    const off = session.on('request:end', (event) => ends.push(event));
    await session.listTools();
    await session.callTool('whoami', {});
    await session.callTool('whoami', {});
    expect(ends.map((end) => end.server)).toEqual(['search', 'search', 'search']);
    expect(
      new Set(ends.filter((end) => end.method === 'tools/call').map((end) => end.connection)),
    ).toEqual(new Set([0, 1]));
    off();
    await session.callTool('whoami', {});
    expect(ends).toHaveLength(3);
    const [server] = session.snapshot().servers;
    expect(server).toMatchObject({ server: 'search', state: 'connected', inFlight: 0, queued: 0 });
    expect(
      server!.connections.map((connection) => [connection.connection, connection.state]),
    ).toEqual([
      [0, 'connected'],
      [1, 'connected'],
    ]);
    expect(server!.lastSuccessAt).toEqual(expect.any(Number));
  });
});
