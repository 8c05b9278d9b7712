// RateLimitHandlers of their own (as in separate processes) given one McpRateLimitStore share
// one budget: here the in-process MemoryRateLimitStore and a plain object stand for a store
// on Redis (@tframex/mcp-redis tests its own against a real redis-server).
import { afterEach, describe, expect, it } from 'vitest';
import {
  McpCancelledError,
  McpConfigError,
  McpRateLimitedError,
  type McpRateLimitStore,
} from '@tframex/mcp-api';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import { MemoryRateLimitStore } from '../resilience/memory-rate-limit-store.js';
import { RateLimitHandler } from '../resilience/rate-limit-handler.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';
import type { MCPClientOptions } from './mcp-client-options.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(options: MCPClientOptions): MCPClient {
  const made = new MCPClient(testOptions({ retryAttempts: 0, ...options }));
  cleanups.push(() => made.close());
  return made;
}

async function serve(): Promise<{ server: MockMCPServer; url: string }> {
  const server = new MockMCPServer({ name: 'api' });
  server.addTool('echo', ({ text }) => String(text));
  cleanups.push(() => server.stop());
  return { server, url: await server.start() };
}

/** A second McpRateLimitStore, as a plain object: counts tokens granted, records pauses. */
function countingStore(inner: McpRateLimitStore) {
  const seen = { granted: 0, refused: 0, pauses: [] as [string, number][] };
  const store: McpRateLimitStore = {
    async take(key, request) {
      const grant = await inner.take(key, request);
      // tokens, not takes: a limiter may take for several waiting callers at once
      seen[grant.granted ? 'granted' : 'refused'] += request.tokens ?? 1;
      return grant;
    },
    async pause(key, forMs) {
      seen.pauses.push([key, forMs]);
      await inner.pause(key, forMs);
    },
  };
  return { store, seen };
}

describe('RateLimitHandler with a shared store', () => {
  it('two clients with limiters of their own share one budget through the store', async () => {
    const { server, url } = await serve();
    const shared = new MemoryRateLimitStore();
    const limit = (store?: McpRateLimitStore) =>
      new RateLimitHandler({ maxRequestsPerMinute: 1, burstSize: 2, maxWaitMs: 0, store });
    const first = client({ name: 'first', serverUrl: url, rateLimit: limit(shared) });
    const second = client({ name: 'second', serverUrl: url, rateLimit: limit(shared) });
    await first.callTool('echo', { text: 'a' });
    await first.callTool('echo', { text: 'b' });
    await expect(second.callTool('echo', { text: 'c' })).rejects.toSatisfy(
      (error) => McpRateLimitedError.isInstance(error) && error.source === 'local',
    );
    expect(server.callsTo('echo')).toHaveLength(2);
    // Without the store, each limiter keeps a budget of its own (today's behaviour).
    const own = client({ name: 'own', serverUrl: url, rateLimit: limit() });
    await own.callTool('echo', { text: 'd' });
    expect(server.callsTo('echo')).toHaveLength(3);
  });

  it('callers wait for the shared bucket to refill; none is lost, none over-granted', async () => {
    const { server, url } = await serve();
    const { store, seen } = countingStore(new MemoryRateLimitStore());
    // 6000 a minute (one every 10 ms), bursts of 2: 12 calls from two clients must wait.
    const limit = () => new RateLimitHandler({ maxRequestsPerMinute: 6_000, burstSize: 2, store });
    const clients = [limit(), limit()].map((rateLimit, i) =>
      client({ name: `c${i}`, serverUrl: url, rateLimit }),
    );
    await Promise.all(clients.map((c) => c.connect()));
    const calls = Array.from({ length: 12 }, (_, i) =>
      clients[i % 2]!.callTool('echo', { text: String(i) }),
    );
    await Promise.all(calls);
    expect(server.callsTo('echo')).toHaveLength(12);
    expect(seen.granted).toBe(12);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("a server's 429 seen by one client pauses the shared bucket for the others", async () => {
    const { server, url } = await serve();
    const { store, seen } = countingStore(new MemoryRateLimitStore());
    const limit = () =>
      new RateLimitHandler({ maxRequestsPerMinute: 6_000, maxWaitMs: 0, store, storeKey: 'api' });
    const first = client({ name: 'first', serverUrl: url, rateLimit: limit() });
    const second = client({ name: 'second', serverUrl: url, rateLimit: limit() });
    await Promise.all([first.connect(), second.connect()]);
    server.faults.inject({ method: 'tools/call', fault: fault.rateLimited(30), times: 1 });
    await expect(first.callTool('echo', { text: 'a' })).rejects.toSatisfy(
      McpRateLimitedError.isInstance,
    );
    expect(seen.pauses).toEqual([['api', 30_000]]);
    await expect(second.callTool('echo', { text: 'b' })).rejects.toSatisfy(
      (error) => McpRateLimitedError.isInstance(error) && error.source === 'local',
    );
    expect(server.callsTo('echo')).toHaveLength(1);
  });

  it('close and abort end a wait on the shared bucket; a failing store rejects', async () => {
    const limiter = new RateLimitHandler({
      maxRequestsPerMinute: 1,
      burstSize: 1,
      store: new MemoryRateLimitStore(),
    });
    await limiter.acquire();
    expect(limiter.tryAcquire()).toBe(false);
    const controller = new AbortController();
    const aborted = limiter.acquire({ signal: controller.signal });
    await expect.poll(() => limiter.queueLength).toBe(1);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(McpCancelledError);
    const closed = limiter.acquire();
    await expect.poll(() => limiter.queueLength).toBe(1);
    limiter.close();
    await expect(closed).rejects.toBeInstanceOf(McpCancelledError);
    expect(limiter.queueLength).toBe(0);

    const down = new Error('store unreachable');
    const failing = new RateLimitHandler({
      maxRequestsPerMinute: 60,
      store: { take: () => Promise.reject(down), pause: () => Promise.reject(down) },
    });
    await expect(failing.acquire()).rejects.toBe(down);
    failing.penalize(1000); // a failing pause is not an unhandled rejection
    expect(
      () => new RateLimitHandler({ maxRequestsPerMinute: 60, store: {} as McpRateLimitStore }),
    ).toThrow(McpConfigError);
  });
});
