// TFrameX: `rate_limit_handler=RateLimitHandler(max_requests_per_minute=..., burst_size=...)`
// and `circuit_breaker=MCPCircuitBreaker(failure_threshold=..., recovery_timeout=...)`,
// shared by several clients.
import { McpRateLimitedError } from '@tframex/mcp-api';
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPCircuitBreaker, MCPClient, RateLimitHandler } from '../src/index.js';

export async function main(): Promise<void> {
  const server = new MockMCPServer({ name: 'api' });
  server.addTool('weather', ({ city }) => ({ city, tempC: 21 }));
  const serverUrl = await server.start();
  // Three calls at once across both clients, then one a minute; nobody waits for more.
  const rateLimitHandler = new RateLimitHandler({
    maxRequestsPerMinute: 1,
    burstSize: 3,
    maxWaitMs: 0,
  });
  const circuitBreaker = new MCPCircuitBreaker({ failureThreshold: 5, recoveryTimeoutMs: 60_000 });
  // A call the shared budget refuses fails at once (no retry after the refill wait).
  const clients = ['eu', 'us'].map(
    (name) => new MCPClient({ name, serverUrl, rateLimit: rateLimitHandler, circuitBreaker }),
  );
  try {
    const [eu, us] = clients as [MCPClient, MCPClient];
    await eu.callTool('weather', { city: 'Oslo' });
    await us.callTool('weather', { city: 'Lima' });
    await eu.callTool('weather', { city: 'Rome' });
    const fourth = await us.callTool('weather', { city: 'Pune' }).catch((error: unknown) => error);
    if (!McpRateLimitedError.isInstance(fourth)) throw new Error('the shared budget was not kept');
    console.log('4th call across both clients refused locally; circuit:', circuitBreaker.state);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await server.stop();
  }
}
