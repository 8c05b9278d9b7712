// The events MCPClient emits, observed against MockMCPServer.
import { afterEach, describe, expect, it } from 'vitest';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import type { McpClientEvents } from '@tframex/mcp-telemetry-api';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MCPClient telemetry', () => {
  it('emits request, retry and connection events with what a monitor needs', async () => {
    const server = new MockMCPServer({ name: 'observed' });
    server.addTool('lookup', ({ key }) => ({ key }), { annotations: { readOnlyHint: true } });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const client = new MCPClient(testOptions({ name: 'observed', serverUrl: url }));
    cleanups.push(() => client.close());
    const events: { name: keyof McpClientEvents; payload: unknown }[] = [];
    for (const name of [
      'request:start',
      'request:end',
      'retry',
      'connection:state',
      'notification',
    ] as const) {
      client.on(name, (payload) => events.push({ name, payload }));
    }
    await client.connect();
    await client.listTools();
    server.faults.inject({ tool: 'lookup', fault: fault.unavailable(), times: 1 });
    await client.callTool('lookup', { key: 'k' });

    expect(
      events
        .filter((e) => e.name === 'connection:state')
        .map((e) => (e.payload as McpClientEvents['connection:state']).state),
    ).toEqual(['connecting', 'connected']);
    const ends = events
      .filter((e) => e.name === 'request:end')
      .map((e) => e.payload as McpClientEvents['request:end']);
    const calls = ends.filter((end) => end.method === 'tools/call');
    expect(calls.map((end) => [end.target, end.attempt, end.outcome, end.errorKind])).toEqual([
      ['lookup', 1, 'error', 'connection'],
      ['lookup', 2, 'ok', undefined],
    ]);
    for (const end of ends) {
      expect(end.server).toBe('observed');
      expect(end.durationMs).toBeGreaterThanOrEqual(0);
    }
    const starts = events
      .filter((e) => e.name === 'request:start')
      .map((e) => e.payload as McpClientEvents['request:start']);
    expect(starts.map((start) => start.requestId)).toEqual(ends.map((end) => end.requestId));
    const [retry] = events
      .filter((e) => e.name === 'retry')
      .map((e) => e.payload as McpClientEvents['retry']);
    expect(retry).toMatchObject({
      server: 'observed',
      method: 'tools/call',
      target: 'lookup',
      attempt: 2,
      errorKind: 'connection',
    });
  });

  it('reports cancellations and timeouts as their own outcomes', async () => {
    const server = new MockMCPServer({ name: 'observed' });
    server.addTool('slow', async (_args, context) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return context.signal.aborted ? 'aborted' : 'done';
    });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const client = new MCPClient(
      testOptions({ name: 'observed', serverUrl: url, retryAttempts: 0 }),
    );
    cleanups.push(() => client.close());
    const outcomes: string[] = [];
    client.on(
      'request:end',
      (event) => event.method === 'tools/call' && outcomes.push(event.outcome),
    );
    await expect(client.callTool('slow', {}, { timeoutMs: 100 })).rejects.toThrow();
    await expect(
      client.callTool('slow', {}, { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    expect(outcomes).toEqual(['timeout', 'cancelled']);
  });
});
