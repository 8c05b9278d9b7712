// A refusal of the client's own rate limiter (the wait would pass maxWaitMs) is final: the
// retry policy must not wait out the refill and try again, or a caller that asked not to wait
// would wait a minute anyway.
import { afterEach, expect, it } from 'vitest';
import { McpRateLimitedError } from '@tframex/mcp-api';
import type { McpRetryEvent } from '@tframex/mcp-telemetry-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { RateLimitHandler } from '../resilience/rate-limit-handler.js';
import { RetryPolicy } from '../resilience/retry-policy.js';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('a local rate-limit refusal fails at once, with no retry (default retry policy)', async () => {
  const server = new MockMCPServer({ name: 'api' });
  server.addTool('echo', ({ text }) => String(text));
  cleanups.push(() => server.stop());
  const serverUrl = await server.start();
  // One call, then one a minute; nobody waits. Retries stay at their default (3).
  const rateLimit = new RateLimitHandler({ maxRequestsPerMinute: 1, burstSize: 1, maxWaitMs: 0 });
  const client = new MCPClient(testOptions({ name: 'api', serverUrl, rateLimit }));
  cleanups.push(() => client.close());
  expect(client.settings.retryAttempts).toBeGreaterThan(0);
  const retries: McpRetryEvent[] = [];
  const firstRetry = new Promise<'retried'>((resolve) =>
    client.on('retry', (event) => {
      retries.push(event);
      resolve('retried');
    }),
  );

  await client.callTool('echo', { text: 'a' });
  // Whichever comes first: the refusal, or a retry scheduled after the refill wait.
  const outcome = await Promise.race([
    client.callTool('echo', { text: 'b' }).catch((error: unknown) => error),
    firstRetry,
  ]);
  expect(retries).toEqual([]);
  expect(McpRateLimitedError.isInstance(outcome)).toBe(true);
  const refusal = outcome as McpRateLimitedError;
  expect(refusal.source).toBe('local');
  expect(refusal.retryable).toBe(false);
  expect(refusal.retryAfterMs).toBeGreaterThan(0);
  expect(server.callsTo('echo')).toHaveLength(1);
  // A server's 429 stays retryable: only the local refusal is final.
  const policy = new RetryPolicy();
  expect(policy.shouldRetry(refusal, 1, { idempotent: true })).toBe(false);
  const fromServer = new McpRateLimitedError('429', { source: 'server', retryAfterMs: 10 });
  expect(policy.shouldRetry(fromServer, 1, { idempotent: true })).toBe(true);
});
