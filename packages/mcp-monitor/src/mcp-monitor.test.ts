// MCPMonitor against a real MCP server (MockMCPServer over HTTP) through MCPTestClient, which
// emits the same telemetry events as MCPClient.
import { McpConfigError } from '@tframex/mcp-api';
import { fault, MCPTestClient, MCPTestToolSource, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPMonitor } from './index.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function startServer(name: string): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name });
  server.addTool('query', ({ sql }) => ({ rows: [String(sql)] }));
  server.addTool('broken', () => {
    throw new Error('out of stock');
  });
  server.addTool(
    'slow',
    (_args, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'))),
  );
  server.addPrompt('greet', ({ who }) => `Hello ${who}`, { arguments: [{ name: 'who' }] });
  await server.start();
  stops.push(() => server.stop());
  return server;
}

function connect(server: MockMCPServer): MCPTestClient {
  const client = new MCPTestClient(server.url, { name: server.name });
  stops.push(() => client.close());
  return client;
}

function watch(target: ConstructorParameters<typeof MCPMonitor>[0], options = {}): MCPMonitor {
  const monitor = new MCPMonitor(target, options);
  stops.push(() => monitor.close());
  return monitor;
}

describe('MCPMonitor on one client', () => {
  it('reports connection, latency and requests per minute from real calls', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const monitor = watch(client);
    for (let index = 0; index < 5; index++) await client.callTool('query', { sql: 'select 1' });
    const status = await monitor.getStatus();
    expect(status.connected).toBe(true);
    expect(status.rpm).toBeGreaterThanOrEqual(5);
    expect(status.latencyMs).toBeGreaterThan(0);
    expect(status.errorRate).toBe(0);
    const [database] = status.servers;
    expect(database).toMatchObject({
      server: 'database',
      state: 'connected',
      connected: true,
      transport: 'streamable-http',
      serverAddress: '127.0.0.1',
      activeSessions: 1,
    });
    expect(database!.lastSuccessAt).toBeGreaterThan(Date.now() - 60_000);
    expect(database!.totals.requests).toBeGreaterThanOrEqual(5);
  });

  it('gives per-tool usage: calls, average, percentiles and error rate', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const monitor = watch(client);
    for (let index = 0; index < 3; index++) await client.callTool('query', { sql: 'x' });
    await client.callTool('broken', {});
    const usage = await monitor.getToolUsage('mcp://database/query');
    expect(usage).toMatchObject({ server: 'database', tool: 'query', totalCalls: 3, errors: 0 });
    expect(usage.errorRate).toBe(0);
    expect(usage.avgDurationMs).toBeGreaterThan(0);
    expect(usage.p95DurationMs).toBeGreaterThan(0);
    expect(usage.p50DurationMs).toBeLessThanOrEqual(usage.p95DurationMs);
    expect(usage.lastCalledAt).toBeGreaterThan(Date.now() - 60_000);

    const broken = await monitor.getToolUsage('mcp://database/broken');
    expect(broken).toMatchObject({ totalCalls: 1, errors: 1, toolErrors: 1, errorRate: 100 });
    const all = await monitor.getToolUsage('mcp://database/*');
    expect(all).toMatchObject({ totalCalls: 4, errors: 1, errorRate: 25 });
    expect((await monitor.getToolUsage('query')).totalCalls).toBe(3);
    expect((await monitor.getToolUsage('mcp://database/never')).totalCalls).toBe(0);

    const status = await monitor.getStatus();
    expect(status.errorRate).toBe(25);
    expect(status.servers[0]!.lastError).toMatchObject({ type: 'tool_error' });
    expect(status.servers[0]!.lastError!.message).toContain('out of stock');
  });

  it('counts timeouts and injected protocol errors under their error type', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const monitor = watch(client);
    await client.callTool('slow', {}, { timeoutMs: 50 }).catch(() => undefined);
    server.faults.inject({ tool: 'query', fault: fault.jsonRpcError(-32603, 'db down'), times: 1 });
    await client.callTool('query', { sql: 'x' }).catch(() => undefined);
    const status = await monitor.getStatus();
    expect(status.servers[0]!.totals).toMatchObject({ timeouts: 1, errors: 2 });
    expect(status.servers[0]!.lastError).toMatchObject({ type: 'protocol' });
    expect((await monitor.getToolUsage('mcp://database/slow')).timeouts).toBe(1);
    const text = await monitor.exportMetrics({ format: 'prometheus' });
    expect(text).toMatch(
      /mcp_client_operation_duration_seconds_count\{[^}]*gen_ai_tool_name="slow"[^}]*error_type="timeout"[^}]*\} 1/,
    );
    expect(text).toMatch(/error_type="protocol"/);
  });

  it('names HTTP failures by their kind: unavailable, rate limited, unauthorized', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const monitor = watch(client);
    await client.callTool('query', { sql: 'x' });
    for (const injected of [fault.unavailable(), fault.rateLimited(1), fault.unauthorized()]) {
      server.faults.inject({ tool: 'query', fault: injected, times: 1 });
      await client.callTool('query', { sql: 'x' }).catch(() => undefined);
    }
    const text = await monitor.exportMetrics();
    const failed = [
      ...text.matchAll(/gen_ai_tool_name="query"[^}]*error_type="([^"]+)"\} 1$/gm),
    ].map((match) => match[1]);
    expect(failed.length).toBe(3);
    expect(failed.every((type) => type !== undefined && type !== '_OTHER')).toBe(true);
    const status = await monitor.getStatus();
    expect(status.servers[0]!.totals).toMatchObject({ requests: 4, errors: 3 });
  });

  it('keeps credentials out of the last error it reports', async () => {
    const server = await startServer('database');
    server.addTool('leaky', () => {
      throw new Error('upstream https://admin:hunter2@db.internal/?token=abc123 refused');
    });
    const client = connect(server);
    const monitor = watch(client);
    await client.callTool('leaky', {});
    const { message } = (await monitor.getStatus()).servers[0]!.lastError!;
    expect(message).toContain('https://[redacted]@db.internal/?token=[redacted]');
    expect(message).not.toMatch(/hunter2|abc123/);
    expect(await monitor.exportMetrics({ format: 'json' })).not.toMatch(/hunter2|abc123/);
  });

  it('sees a client that connected before it attached, from its snapshot', async () => {
    const server = await startServer('database');
    const client = connect(server);
    await client.callTool('query', { sql: 'x' });
    const monitor = watch(client);
    const status = await monitor.getStatus();
    expect(status.servers[0]).toMatchObject({ state: 'connected', activeSessions: 1 });
    expect(status.servers[0]!.lastSuccessAt).toBeDefined();
  });

  it('probes an idle server with ping when asked', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const monitor = watch(client);
    const status = await monitor.getStatus({ probe: true });
    expect(status.connected).toBe(true);
    // A ping (legacy era) or a discovery request (modern era, which has no ping) reached it.
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    expect(status.servers[0]!.totals.requests).toBeGreaterThanOrEqual(1);
    expect(status.latencyMs).toBeGreaterThan(0);
  });

  it('stops listening on close', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const monitor = watch(client);
    await client.callTool('query', { sql: 'x' });
    await monitor.close();
    await client.callTool('query', { sql: 'x' });
    expect((await monitor.getToolUsage('mcp://database/query')).totalCalls).toBe(1);
  });
});

describe('MCPMonitor on several servers', () => {
  it('watches every session of a tool source at once', async () => {
    const [database, search] = await Promise.all([startServer('database'), startServer('search')]);
    const sessions = { database: connect(database), search: connect(search) };
    const source = new MCPTestToolSource({ servers: sessions, watch: false });
    const monitor = watch(source);
    const before = await monitor.getStatus();
    expect(before.servers.map((server) => server.server).sort()).toEqual(['database', 'search']);
    await sessions.database.callTool('query', { sql: 'x' });
    await sessions.search.callTool('broken', {});
    const status = await monitor.getStatus();
    expect(status.connected).toBe(true);
    expect(status.errorRate).toBe(50);
    expect((await monitor.getToolUsage('mcp://search/broken')).errors).toBe(1);
    expect((await monitor.getToolUsage('mcp://database/query')).errors).toBe(0);
  });

  it('watches a client added later, until told to stop', async () => {
    const [database, search] = await Promise.all([startServer('database'), startServer('search')]);
    const monitor = watch(connect(database));
    const later = connect(search);
    const unwatch = monitor.watch(later);
    await later.callTool('query', { sql: 'x' });
    expect((await monitor.getStatus()).servers.map((server) => server.server)).toEqual([
      'database',
      'search',
    ]);
    unwatch();
    await later.callTool('query', { sql: 'x' });
    expect((await monitor.getToolUsage('mcp://search/query')).totalCalls).toBe(1);
    await monitor.close();
    expect(() => monitor.watch(later)).toThrow(McpConfigError);
  });

  it('takes a list of clients', async () => {
    const [database, search] = await Promise.all([startServer('database'), startServer('search')]);
    const monitor = watch([connect(database), connect(search)]);
    expect((await monitor.getStatus()).servers).toHaveLength(2);
  });
});

describe('MCPMonitor options and misuse', () => {
  it('rejects bad options with an McpConfigError naming the field', async () => {
    const server = await startServer('database');
    const client = connect(server);
    const bad = (options: object) => () => new MCPMonitor(client, options as never);
    expect(bad({ maxSeries: 0 })).toThrow(McpConfigError);
    expect(bad({ maxSeries: 0 })).toThrow(/MCPMonitor\.options\.maxSeries/);
    expect(bad({ bucketsSeconds: [1, 0.5] })).toThrow(/bucketsSeconds.*ascending/);
    expect(bad({ windowMs: 'soon' })).toThrow(/windowMs/);
    expect(bad({ maxSerie: 3 })).toThrow(/options\.maxSerie\b/);
  });

  it('rejects a target that emits no telemetry', () => {
    expect(() => new MCPMonitor({} as never)).toThrow(McpConfigError);
    expect(() => new MCPMonitor([] as never)).toThrow(/list is empty/);
  });

  it('rejects unknown export formats and malformed tool URIs', async () => {
    const server = await startServer('database');
    const monitor = watch(connect(server));
    await expect(monitor.exportMetrics({ format: 'xml' as never })).rejects.toThrow(McpConfigError);
    await expect(monitor.getToolUsage('mcp:///nothing')).rejects.toThrow(McpConfigError);
  });
});
