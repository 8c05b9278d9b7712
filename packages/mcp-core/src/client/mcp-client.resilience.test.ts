// MCPClient against MockMCPServer over real HTTP on 127.0.0.1, in both protocol eras, with
// faults injected on the server: each resilience feature observed end to end.
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  McpCircuitOpenError,
  McpConnectionError,
  McpRateLimitedError,
  McpSessionExpiredError,
  McpTimeoutError,
} from '@tframex/mcp-api';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import type { McpRetryEvent } from '@tframex/mcp-telemetry-api';
import { MCPClient } from './mcp-client.js';
import { testOptions } from '../test-support/test-options.js';
import type { MCPClientOptions } from './mcp-client-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(era: 'legacy' | 'modern' | 'both' = 'both') {
  const server = new MockMCPServer({ name: 'mock' });
  let counter = 0;
  server.addTool('increment', () => ({ value: ++counter }), {
    description: 'Not idempotent: adds one',
  });
  server.addTool('lookup', ({ key }) => ({ key, value: `v-${String(key)}` }), {
    inputSchema: z.object({ key: z.string() }),
    annotations: { readOnlyHint: true },
  });
  server.addTool(
    'slow',
    async ({ steps, stepMs }, context) => {
      for (let step = 1; step <= Number(steps); step++) {
        await new Promise((resolve) => setTimeout(resolve, stepMs ?? 150));
        await context.progress(step, Number(steps));
      }
      return { done: true };
    },
    { inputSchema: z.object({ steps: z.number(), stepMs: z.number().optional() }) },
  );
  server.addResource('config/app', { mode: 'on' });
  const url = await server.start({ era });
  cleanups.push(() => server.stop());
  return { server, url, counter: () => counter };
}

function client(url: string, overrides: Partial<MCPClientOptions> = {}): MCPClient {
  const created = new MCPClient(
    testOptions({
      name: 'mock',
      serverUrl: url,
      sseFallback: false,
      ...overrides,
    }),
  );
  cleanups.push(() => created.close());
  return created;
}

describe.each(['legacy', 'modern'] as const)('MCPClient over HTTP, %s era', (era) => {
  const protocol = era;

  it('negotiates the era and calls tools', async () => {
    const { url } = await serve();
    const mcp = client(url, { protocol });
    await mcp.connect();
    expect(mcp.protocolEra).toBe(era);
    await expect(mcp.ping()).resolves.toBeUndefined();
    const result = await mcp.callTool('lookup', { key: 'a' });
    expect(result.structuredContent).toEqual({ key: 'a', value: 'v-a' });
  });

  it('keeps a long tool alive past timeoutMs while it reports progress', async () => {
    const { url } = await serve();
    // 5 steps of 450 ms run well past the 1.5 s budget in all, while each report leaves
    // about a second of slack for a busy machine (connecting has the same budget).
    const mcp = client(url, { protocol, timeoutMs: 1_500 });
    const progress: number[] = [];
    const result = await mcp.callTool(
      'slow',
      { steps: 5, stepMs: 450 },
      { onProgress: (p) => progress.push(p.progress) },
    );
    expect(result.structuredContent).toEqual({ done: true });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
  });

  it('asks for progress only when observed with requestProgress: false, and then the budget is firm', async () => {
    const { url } = await serve();
    // 8 steps of 250 ms run past a 1 s budget in all (so it is firm when nothing restarts it),
    // while each report comes well within it, even on a busy machine.
    const slow = { steps: 8, stepMs: 250 };
    const defaults = client(url, { protocol, timeoutMs: 1_000 });
    expect((await defaults.callTool('slow', slow)).structuredContent).toEqual({
      done: true,
    });
    const frugal = client(url, { protocol, timeoutMs: 1_000, requestProgress: false });
    await expect(frugal.callTool('slow', slow)).rejects.toSatisfy((error) =>
      McpTimeoutError.isInstance(error),
    );
    const seen: number[] = [];
    await frugal.callTool('slow', slow, { onProgress: (p) => seen.push(p.progress) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('retries a read-only tool through a dropped connection, but never replays a non-idempotent one', async () => {
    const { server, url, counter } = await serve();
    const mcp = client(url, { protocol });
    await mcp.listTools(); // annotations are known from here on
    server.faults.inject({ tool: 'lookup', fault: fault.dropConnection('mid-response'), times: 1 });
    const retries: McpRetryEvent[] = [];
    mcp.on('retry', (event) => retries.push(event));
    expect((await mcp.callTool('lookup', { key: 'k' })).structuredContent).toEqual({
      key: 'k',
      value: 'v-k',
    });
    expect(server.callsTo('lookup')).toHaveLength(2);
    expect(retries).toHaveLength(1);

    server.faults.inject({
      tool: 'increment',
      fault: fault.dropConnection('mid-response'),
      times: 1,
    });
    await expect(mcp.callTool('increment', {})).rejects.toSatisfy((error) =>
      McpConnectionError.isInstance(error),
    );
    expect(server.callsTo('increment')).toHaveLength(1);
    expect(counter()).toBe(1); // ran once on the server, and the client did not run it again
    expect((await mcp.callTool('increment', {})).structuredContent).toEqual({ value: 2 });
  });

  it('replays a non-idempotent call only when the caller says it is safe', async () => {
    const { server, url, counter } = await serve();
    const mcp = client(url, { protocol });
    server.faults.inject({
      tool: 'increment',
      fault: fault.dropConnection('before-response'),
      times: 1,
    });
    await expect(mcp.callTool('increment', {})).rejects.toSatisfy((error) =>
      McpConnectionError.isInstance(error),
    );
    server.faults.inject({
      tool: 'increment',
      fault: fault.dropConnection('before-response'),
      times: 1,
    });
    const result = await mcp.callTool('increment', {}, { idempotent: true });
    expect(result.structuredContent).toEqual({ value: 1 });
    expect(counter()).toBe(1);
    expect(server.callsTo('increment')).toHaveLength(3);
  });

  it('waits out a 429 for as long as Retry-After asks', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol });
    await mcp.connect();
    server.faults.inject({ method: 'tools/call', fault: fault.rateLimited(1), times: 1 });
    const retries: McpRetryEvent[] = [];
    mcp.on('retry', (event) => retries.push(event));
    const result = await mcp.callTool('increment', {});
    expect(result.structuredContent).toEqual({ value: 1 });
    expect(retries).toHaveLength(1);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(retries[0]!.errorKind).toBe('rate-limited');
  });

  it('a server 429 pauses the local rate limiter for every caller, not only the one refused', async () => {
    const { server, url } = await serve();
    const mcp = client(url, {
      protocol,
      rateLimit: { maxRequestsPerMinute: 6_000, burstSize: 10 },
    });
    await mcp.connect();
    const limited: { source: string; waitMs: number }[] = [];
    const penalized = new Promise<void>((resolve) =>
      mcp.on('rate-limited', (event) => {
        limited.push(event);
        if (event.source === 'server') resolve();
      }),
    );
    server.faults.inject({ method: 'tools/call', fault: fault.rateLimited(1), times: 1 });
    const first = mcp.callTool('increment', {});
    await penalized;
    // Arrives while the limiter is paused: waits in line although tokens were plenty.
    const started = Date.now();
    const second = await mcp.callTool('lookup', { key: 'k' });
    expect(second.isError).toBeFalsy();
    await first;
    expect(limited).toContainEqual(expect.objectContaining({ source: 'server', waitMs: 1000 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries 503s until the server is back, and gives up with the last error', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol, retryAttempts: 2 });
    await mcp.connect();
    // lookup is annotated read-only: the client learns that after the first failure.
    server.faults.inject({ tool: 'lookup', fault: fault.unavailable(), times: 2 });
    expect((await mcp.callTool('lookup', { key: 'x' })).isError).toBeFalsy();
    server.faults.inject({ tool: 'lookup', fault: fault.unavailable(), times: 3 });
    await expect(mcp.callTool('lookup', { key: 'x' })).rejects.toSatisfy(
      (error) => McpConnectionError.isInstance(error) && error.status === 503,
    );
  });

  it('opens the circuit after repeated failures and fails fast', async () => {
    const { server, url } = await serve();
    const mcp = client(url, {
      protocol,
      retryAttempts: 0,
      circuitBreaker: { failureThreshold: 2, recoveryTimeoutMs: 60_000 },
    });
    await mcp.connect();
    server.faults.inject({ method: 'tools/call', fault: fault.serverError(500) });
    const states: string[] = [];
    mcp.on('circuit:state', (event) => states.push(event.to));
    for (let i = 0; i < 2; i++)
      await expect(mcp.callTool('lookup', { key: 'x' })).rejects.toSatisfy((e) =>
        McpConnectionError.isInstance(e),
      );
    const before = server.callsTo('lookup').length;
    await expect(mcp.callTool('lookup', { key: 'x' })).rejects.toSatisfy((error) =>
      McpCircuitOpenError.isInstance(error),
    );
    expect(server.callsTo('lookup').length).toBe(before);
    expect(states).toEqual(['open']);
  });
});

describe('MCPClient sessions (legacy era)', () => {
  it('survives a session the server forgot: re-initialises and the request goes through', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol: 'legacy' });
    await mcp.connect();
    await mcp.callTool('lookup', { key: 'a' });
    const firstSession = server.callsTo('lookup')[0]!.sessionId;
    server.faults.inject({ method: 'tools/call', fault: fault.killSession(), times: 1 });
    const result = await mcp.callTool('increment', {});
    expect(result.structuredContent).toEqual({ value: 1 });
    const sessions = new Set(
      server.requests.filter((r) => r.method === 'initialize').map((r) => r.sessionId),
    );
    expect(server.requests.filter((r) => r.method === 'initialize')).toHaveLength(2);
    expect(server.callsTo('increment').at(-1)!.sessionId).not.toBe(firstSession);
    expect(sessions.size).toBeGreaterThanOrEqual(1);
  });

  it('reports session expiry as its own error kind when retries are off', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol: 'legacy', retryAttempts: 0 });
    await mcp.connect();
    server.faults.inject({ method: 'tools/call', fault: fault.sessionExpired(), times: 1 });
    await expect(mcp.callTool('lookup', { key: 'a' })).rejects.toSatisfy((error) =>
      McpSessionExpiredError.isInstance(error),
    );
    // the client already opened a new session for the next request
    expect((await mcp.callTool('lookup', { key: 'b' })).structuredContent).toEqual({
      key: 'b',
      value: 'v-b',
    });
  });
});

describe('MCPClient keepalive', () => {
  it('finds a lost session with its pings and reconnects before anyone calls', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol: 'legacy', keepaliveIntervalMs: 1_000 });
    await mcp.connect();
    server.faults.inject({ method: 'ping', fault: fault.killSession(), times: 1 });
    const initializes = () =>
      server.requests.filter((request) => request.method === 'initialize').length;
    await expect.poll(initializes, { timeout: 15_000, interval: 100 }).toBe(2);
    expect((await mcp.callTool('lookup', { key: 'k' })).isError).toBeFalsy();
    expect(
      server.requests.filter((request) => request.method === 'ping').length,
    ).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

describe.each(['legacy', 'modern'] as const)('MCPClient subscriptions, %s era', (era) => {
  it('delivers resource updates and restores the subscription after a lost session', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol: era });
    await mcp.connect();
    const [resource] = await mcp.listResources();
    const updates: string[] = [];
    const received = (count: number) =>
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (updates.length >= count) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
    const subscription = await mcp.subscribe({ resources: [resource!.uri] }, (event) => {
      if (event.type === 'resource-updated') updates.push(event.uri);
    });
    expect(subscription.filter.resources).toEqual([resource!.uri]);
    server.notifyResourceUpdated(resource!.uri);
    await received(1);
    if (era === 'legacy') {
      server.faults.inject({ method: 'tools/call', fault: fault.killSession(), times: 1 });
      await mcp.callTool('lookup', { key: 'x' });
      // the new session subscribed again
      await expect
        .poll(() => server.requests.filter((r) => r.method === 'resources/subscribe').length)
        .toBe(2);
    }
    server.notifyResourceUpdated(resource!.uri);
    await received(2);
    expect(updates).toEqual([resource!.uri, resource!.uri]);
    await subscription.close();
    expect(await subscription.closed).toBe('local');
  });

  it('refreshes the tool list when the server says it changed', async () => {
    const { server, url } = await serve();
    const mcp = client(url, { protocol: era });
    await mcp.connect();
    const before = await mcp.listTools();
    const changed = new Promise<number | undefined>((resolve) =>
      mcp.on('list:changed', (event) => event.list === 'tools' && resolve(event.count)),
    );
    if (era === 'modern') await mcp.subscribe({ toolsListChanged: true }, () => undefined);
    server.addTool('fresh', () => 'new');
    expect(await changed).toBe(before.length + 1);
    expect((await mcp.listTools()).map((tool) => tool.name)).toContain('fresh');
  });
});

describe('MCPClient pool and limits', () => {
  it('spreads concurrent calls over pooled sessions', async () => {
    const { server, url } = await serve();
    server.faults.inject({ tool: 'slow', fault: fault.concurrency(1) });
    const mcp = client(url, { protocol: 'legacy', connectionPoolSize: 3 });
    await mcp.connect();
    await Promise.all([1, 2, 3].map(() => mcp.callTool('slow', { steps: 1 })));
    const sessions = new Set(server.callsTo('slow').map((request) => request.sessionId));
    expect(sessions.size).toBe(3);
  });

  it('queues past maxConnections and refuses past the queue bound', async () => {
    const { url } = await serve();
    const mcp = client(url, {
      protocol: 'legacy',
      maxConnections: 1,
      maxQueuedRequests: 1,
      retryAttempts: 0,
    });
    await mcp.connect();
    const first = mcp.callTool('slow', { steps: 2 });
    const second = mcp.callTool('lookup', { key: 'queued' });
    await expect(mcp.callTool('lookup', { key: 'refused' })).rejects.toSatisfy(
      (error) => McpRateLimitedError.isInstance(error) && error.source === 'local',
    );
    await expect(first).resolves.toBeDefined();
    expect((await second).structuredContent).toEqual({ key: 'queued', value: 'v-queued' });
  });
});
