// The monitor fed by a hand-driven event source: what MCPTestClient never emits (retries,
// circuit changes, rate limits, pooled connections, cache hits), the cardinality cap, and
// malformed events.
import { afterEach, describe, expect, it } from 'vitest';
import { MCPMonitor } from '../index.js';
import { EventFeed } from '../test-support/event-feed.js';

const monitors: MCPMonitor[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
});

function watch(feed: EventFeed, options = {}): MCPMonitor {
  const monitor = new MCPMonitor(feed, options);
  monitors.push(monitor);
  return monitor;
}

describe('MCPMonitor fed by any McpEventSource', () => {
  it('counts retries, rate-limited waits, circuit opens, pooled sessions and cache hits', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    feed.emit('connection:state', {
      server: 'db',
      connection: 0,
      state: 'connected',
      transport: 'stdio',
    });
    feed.emit('connection:state', { server: 'db', connection: 1, state: 'connected' });
    feed.emit('retry', { server: 'db', method: 'tools/call', attempt: 2, delayMs: 100 });
    feed.emit('rate-limited', { server: 'db', method: 'tools/call', waitMs: 250, source: 'local' });
    feed.emit('rate-limited', {
      server: 'db',
      method: 'tools/call',
      waitMs: 1000,
      source: 'server',
    });
    feed.emit('circuit:state', { server: 'db', from: 'closed', to: 'open' });
    feed.tool('query', 12);
    feed.tool('query', 0.1, { cached: true });
    const [db] = (await monitor.getStatus()).servers;
    expect(db).toMatchObject({
      state: 'connected',
      activeSessions: 2,
      circuit: 'open',
      transport: 'stdio',
    });
    expect(db!.totals).toMatchObject({
      requests: 1,
      retries: 1,
      rateLimitedWaits: 2,
      rateLimitedWaitMs: 1250,
      circuitOpens: 1,
      cacheHits: 1,
    });
    expect(await monitor.getToolUsage('mcp://db/query')).toMatchObject({
      totalCalls: 2,
      cacheHits: 1,
    });

    feed.emit('connection:state', {
      server: 'db',
      connection: 1,
      state: 'reconnecting',
      previous: 'connected',
    });
    feed.emit('circuit:state', { server: 'db', from: 'open', to: 'half-open' });
    const after = (await monitor.getStatus()).servers[0]!;
    expect(after).toMatchObject({ state: 'connected', activeSessions: 1, circuit: 'half-open' });

    const text = await monitor.exportMetrics();
    expect(text).toContain('mcp_client_retries_total{mcp_server="db"} 1');
    expect(text).toContain('mcp_client_circuit_opens_total{mcp_server="db"} 1');
    expect(text).toContain('mcp_client_circuit_state{mcp_server="db",state="half-open"} 1');
    expect(text).toContain(
      'mcp_client_rate_limited_wait_seconds_total{mcp_server="db",source="server"} 1',
    );
    expect(text).toContain('mcp_client_cache_hits_total{mcp_server="db"} 1');
    expect(text).toContain('mcp_client_active_sessions{mcp_server="db"} 1');
    expect(text).toMatch(
      /mcp_client_operation_duration_seconds_bucket\{[^}]*network_transport="pipe"[^}]*le="0.02"\} 1/,
    );
  });

  it('records session durations when a session ends', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    feed.emit('connection:state', { server: 'db', state: 'connected' });
    feed.emit('connection:state', {
      server: 'db',
      state: 'reconnecting',
      previous: 'connected',
      sessionDurationMs: 4_000,
      error: new Error('socket hang up'),
    });
    const text = await monitor.exportMetrics();
    expect(text).toContain(
      'mcp_client_session_duration_seconds_count{mcp_server="db",error_type="_OTHER"} 1',
    );
    expect(text).toContain(
      'mcp_client_session_duration_seconds_sum{mcp_server="db",error_type="_OTHER"} 4',
    );
    const [db] = (await monitor.getStatus()).servers;
    expect(db!.lastError).toMatchObject({ type: 'connection', message: 'socket hang up' });
    expect(db!.connected).toBe(false);
  });

  it('caps the series: calls past maxSeries go to one overflow series per server, and are counted', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed, { maxSeries: 3 });
    for (let tool = 0; tool < 50; tool++) feed.tool(`tool-${tool}`, 5);
    feed.tool('tool-0', 5);
    const status = await monitor.getStatus();
    expect(status.monitor).toMatchObject({ series: 3, maxSeries: 3, overflowCalls: 47 });
    expect(status.servers[0]!.totals.requests).toBe(51);
    const text = await monitor.exportMetrics();
    expect(text.match(/^mcp_client_operation_duration_seconds_count/gm)).toHaveLength(4);
    expect(text).toContain(
      'mcp_client_operation_duration_seconds_count{mcp_server="db",mcp_method_name="_OTHER",otel_metric_overflow="true"} 47',
    );
    expect(text).toContain('mcp_monitor_overflow_calls_total 47');
    expect((await monitor.getToolUsage('mcp://db/tool-0')).totalCalls).toBe(2);
  });

  it('caps the servers: past maxServers they share the _OTHER server', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed, { maxServers: 2 });
    for (let server = 0; server < 10; server++)
      feed.call({ server: `s${server}`, method: 'ping', durationMs: 1 });
    const status = await monitor.getStatus();
    expect(status.servers.map((server) => server.server)).toEqual(['s0', 's1', '_OTHER']);
    expect(status.servers[2]!.totals.requests).toBe(8);
  });

  it('drops malformed events, counts them, and keeps going', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    feed.call({ durationMs: Number.NaN });
    feed.call({ durationMs: -1 });
    feed.emit('request:end', { durationMs: 3 } as never);
    feed.tool('query', 3);
    const status = await monitor.getStatus();
    expect(status.monitor.invalidEvents).toBe(3);
    expect(status.servers[0]!.totals.requests).toBe(1);
    expect(await monitor.exportMetrics()).not.toContain('NaN');
  });

  it('takes the tool or prompt from the target when an emitter names only that', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    feed.call({ method: 'tools/call', target: 'query', durationMs: 4 });
    feed.call({ method: 'prompts/get', target: 'greet', durationMs: 4 });
    feed.call({ method: 'resources/read', target: 'file:///a', durationMs: 4 });
    expect((await monitor.getToolUsage('mcp://db/query')).totalCalls).toBe(1);
    const text = await monitor.exportMetrics();
    expect(text).toContain('gen_ai_prompt_name="greet"');
    expect(text).not.toContain('file:///a');
  });

  it('labels resource reads with their URI only when opted in', async () => {
    const plain = new EventFeed();
    const optedIn = new EventFeed();
    const withoutUri = watch(plain);
    const withUri = watch(optedIn, { includeResourceUri: true });
    for (const feed of [plain, optedIn])
      feed.call({ method: 'resources/read', resourceUri: 'file:///etc/"x"\n', durationMs: 2 });
    expect(await withoutUri.exportMetrics()).not.toContain('mcp_resource_uri');
    expect(await withUri.exportMetrics()).toContain('mcp_resource_uri="file:///etc/\\"x\\"\\n"');
  });

  it('takes a source snapshot as the truth for in-flight, queued and state', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    feed.snapshotValue = {
      takenAt: Date.now(),
      servers: [
        {
          server: 'db',
          state: 'connected',
          connections: [{ state: 'connected', inFlight: 2 }],
          inFlight: 2,
          queued: 5,
          circuit: 'closed',
          lastError: { at: Date.now(), kind: 'timeout', message: 'took too long' },
        },
      ],
    };
    const status = await monitor.getStatus();
    expect(status.inFlight).toBe(2);
    expect(status.servers[0]).toMatchObject({
      queued: 5,
      circuit: 'closed',
      lastError: { type: 'timeout', message: 'took too long' },
    });
  });

  it('reports recent activity over the window and rpm from it', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed, { windowMs: 60_000 });
    for (let call = 0; call < 30; call++) feed.tool('query', call < 27 ? 15 : 700);
    feed.tool('query', 15, { outcome: 'tool-error', errorKind: 'tool' });
    const usage = await monitor.getToolUsage('mcp://db/query');
    expect(usage.recent).toMatchObject({ calls: 31, rpm: 31 });
    expect(usage.recent.errorRate).toBeCloseTo(3.226, 2);
    // 28 of 31 in (10, 20] ms, 3 in (500, 1000] ms: p50 in the first, p95 in the last.
    expect(usage.p50DurationMs).toBeGreaterThan(10);
    expect(usage.p50DurationMs).toBeLessThanOrEqual(20);
    expect(usage.p95DurationMs).toBeGreaterThan(500);
    expect(usage.p95DurationMs).toBeLessThanOrEqual(1000);
    expect(usage.avgDurationMs).toBeCloseTo((28 * 15 + 3 * 700) / 31, 3);
  });
});
