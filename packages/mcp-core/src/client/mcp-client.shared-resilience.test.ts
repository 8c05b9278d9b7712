// One RateLimitHandler or MCPCircuitBreaker given to several clients is one budget and one
// circuit for all of them (the TFrameX `rate_limit_handler=` / `circuit_breaker=` pattern).
import { afterEach, describe, expect, it } from 'vitest';
import { McpCircuitOpenError, McpConnectionError, McpRateLimitedError } from '@tframex/mcp-api';
import type { McpCircuitStateEvent, McpRateLimitedEvent } from '@tframex/mcp-telemetry-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPCircuitBreaker } from '../resilience/mcp-circuit-breaker.js';
import { RateLimitHandler } from '../resilience/rate-limit-handler.js';
import { freePort } from '../test-support/everything.js';
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

describe('shared resilience instances', () => {
  it('several clients draw on one RateLimitHandler budget', async () => {
    const server = new MockMCPServer({ name: 'api' });
    server.addTool('echo', ({ text }) => String(text));
    cleanups.push(() => server.stop());
    const url = await server.start();
    // Two calls at once, then about one a minute; a caller never waits (maxWaitMs 0).
    const limit = new RateLimitHandler({ maxRequestsPerMinute: 1, burstSize: 2, maxWaitMs: 0 });
    const first = client({ name: 'first', serverUrl: url, rateLimit: limit });
    const second = client({ name: 'second', serverUrl: url, rateLimit: limit });
    const limited: McpRateLimitedEvent[] = [];
    second.on('rate-limited', (event) => limited.push(event));
    expect(second.rateLimiter).toBe(limit);

    await first.callTool('echo', { text: 'a' });
    await first.callTool('echo', { text: 'b' });
    await expect(second.callTool('echo', { text: 'c' })).rejects.toSatisfy(
      McpRateLimitedError.isInstance,
    );
    expect(server.callsTo('echo')).toHaveLength(2);
    expect(limited.length).toBeGreaterThan(0);
    // Closing one client leaves the shared budget to the others (not closed, still spent).
    await first.close();
    await expect(second.callTool('echo', { text: 'd' })).rejects.toSatisfy(
      McpRateLimitedError.isInstance,
    );
  });

  it('an MCPCircuitBreaker opened by one client fails the others fast', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}/mcp`;
    const breaker = new MCPCircuitBreaker({ failureThreshold: 2, recoveryTimeoutMs: 600_000 });
    const first = client({
      name: 'first',
      serverUrl: deadUrl,
      sseFallback: false,
      circuitBreaker: breaker,
    });
    const second = client({
      name: 'second',
      serverUrl: deadUrl,
      sseFallback: false,
      circuitBreaker: breaker,
    });
    const states: McpCircuitStateEvent[] = [];
    second.on('circuit:state', (event) => states.push(event));
    for (let i = 0; i < 2; i++)
      await expect(first.ping()).rejects.toSatisfy(
        (error) => McpConnectionError.isInstance(error) || McpCircuitOpenError.isInstance(error),
      );
    expect(breaker.state).toBe('open');
    await expect(second.ping()).rejects.toSatisfy(McpCircuitOpenError.isInstance);
    expect(states.map((event) => event.to)).toContain('open');
  });

  it('refuses an instance of another class where a limiter or breaker goes', () => {
    class Limiter {
      readonly maxRequestsPerMinute = 10;
    }
    expect(
      () =>
        new MCPClient({
          serverUrl: 'https://x.example.com/mcp',
          rateLimit: new Limiter() as never,
        }),
    ).toThrow(expect.objectContaining({ field: 'rateLimit' }));
  });
});
