// Alerts over the status, a server and a tool: fired by events and by the schedule, with a
// `for` duration, a cooldown and recovery, and callbacks isolated from one another.
import { McpConfigError } from '@tframex/mcp-api';
import { fault, MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPMonitor, type McpAlertEvent, type McpMonitorStatus } from '../index.js';
import { EventFeed } from '../test-support/event-feed.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function watch(
  feed: EventFeed,
  options: ConstructorParameters<typeof MCPMonitor>[1] = {},
): MCPMonitor {
  const monitor = new MCPMonitor(feed, options);
  stops.push(() => monitor.close());
  return monitor;
}

/** A promise and the function that resolves it, for callbacks to signal through. */
function signal<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('MCPMonitor alerts', () => {
  it('fires the TFrameX high-latency alert after slow calls to a real server', async () => {
    const server = new MockMCPServer({ name: 'database' });
    server.addTool('query', () => 'rows');
    await server.start();
    stops.push(() => server.stop());
    const client = new MCPTestClient(server.url, { name: 'database' });
    stops.push(() => client.close());
    // Connected first: a first call that connects may be slow on a busy machine.
    await client.callTool('query', {});
    const monitor = new MCPMonitor(client);
    stops.push(() => monitor.close());
    const fired = signal<McpAlertEvent<McpMonitorStatus>>();
    monitor.addAlert({
      name: 'high_latency',
      condition: (s) => s.latencyMs > 100,
      callback: (event) => fired.resolve(event),
    });
    await monitor.evaluateAlerts();
    expect(monitor.getAlerts()[0]).toMatchObject({ state: 'inactive', firings: 0 });
    server.faults.inject({ tool: 'query', fault: fault.latency(400) });
    for (let call = 0; call < 3; call++) await client.callTool('query', {});
    const event = await fired.promise;
    expect(event).toMatchObject({ name: 'high_latency', state: 'firing' });
    expect(event.value.latencyMs).toBeGreaterThan(100);
    expect(monitor.getAlerts()[0]).toMatchObject({ state: 'firing', firings: 1 });
  });

  it('waits out forMs before firing, and tells onRecover when the condition clears', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    const fired = signal<void>();
    const recovered = signal<McpAlertEvent<unknown>>();
    let failing = true;
    monitor.addAlert({
      name: 'db_down',
      server: 'db',
      condition: () => failing,
      callback: () => fired.resolve(),
      onRecover: (event) => recovered.resolve(event),
      forMs: 60_000,
    });
    feed.tool('query', 5);
    await monitor.evaluateAlerts();
    expect(monitor.getAlerts()[0]).toMatchObject({ state: 'pending', firings: 0 });
    monitor.removeAlert('db_down');

    monitor.addAlert({
      name: 'db_down',
      server: 'db',
      condition: () => failing,
      callback: () => fired.resolve(),
      onRecover: (event) => recovered.resolve(event),
      forMs: 30,
    });
    await monitor.evaluateAlerts();
    await fired.promise;
    expect(monitor.getAlerts()[0]).toMatchObject({ state: 'firing', firings: 1 });
    failing = false;
    await monitor.evaluateAlerts();
    expect((await recovered.promise).state).toBe('resolved');
    expect(monitor.getAlerts()[0]).toMatchObject({ state: 'inactive', firings: 1 });
  });

  it('fires at most once per cooldown', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    feed.tool('query', 5);
    let holds = true;
    const firings: number[] = [];
    monitor.addAlert({
      name: 'flapping',
      condition: () => holds,
      callback: (event) => void firings.push(event.at),
      cooldownMs: 60_000,
    });
    await monitor.evaluateAlerts();
    await expect.poll(() => firings.length).toBe(1);
    holds = false;
    await monitor.evaluateAlerts();
    holds = true;
    await monitor.evaluateAlerts();
    expect(monitor.getAlerts()[0]).toMatchObject({ state: 'pending', firings: 1 });
    expect(firings).toHaveLength(1);
  });

  it('evaluates on its schedule without events', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed, { alerts: { intervalMs: 20 } });
    const fired = signal<void>();
    let holds = false;
    monitor.addAlert({
      name: 'scheduled',
      condition: () => holds,
      callback: () => fired.resolve(),
    });
    holds = true;
    await fired.promise;
    expect(monitor.getAlerts()[0]!.firings).toBe(1);
  });

  it('watches one tool’s usage', async () => {
    const feed = new EventFeed();
    const monitor = watch(feed);
    const fired = signal<number>();
    monitor.addAlert({
      name: 'query_errors',
      tool: 'mcp://db/query',
      condition: (usage) => usage.errorRate > 50,
      callback: (event) => fired.resolve(event.value.errorRate),
    });
    feed.tool('query', 5);
    feed.tool('other', 5, { outcome: 'tool-error', errorKind: 'tool' });
    await monitor.evaluateAlerts();
    expect(monitor.getAlerts()[0]!.state).toBe('inactive');
    feed.tool('query', 5, { outcome: 'error', errorKind: 'connection' });
    feed.tool('query', 5, { outcome: 'timeout', errorKind: 'timeout' });
    expect(await fired.promise).toBeCloseTo(66.667, 2);
  });

  it('isolates callbacks: one that throws and one that hangs are reported, the others still run', async () => {
    const feed = new EventFeed();
    const errors: Array<{ alert: string; message: string }> = [];
    const monitor = watch(feed, {
      alerts: { callbackTimeoutMs: 20 },
      onError: (error, { alert }) => errors.push({ alert, message: (error as Error).message }),
    });
    const healthy = signal<void>();
    monitor.addAlert({
      name: 'throws',
      condition: () => true,
      callback: () => {
        throw new Error('pager down');
      },
    });
    monitor.addAlert({
      name: 'hangs',
      condition: () => true,
      callback: () => new Promise<void>(() => undefined),
    });
    monitor.addAlert({
      name: 'bad_condition',
      condition: () => {
        throw new Error('typo');
      },
      callback: () => undefined,
    });
    monitor.addAlert({ name: 'healthy', condition: () => true, callback: () => healthy.resolve() });
    await monitor.evaluateAlerts();
    await healthy.promise;
    await expect
      .poll(() => errors.map((error) => error.alert).sort())
      .toEqual(['bad_condition', 'hangs', 'throws']);
    expect(errors.find((error) => error.alert === 'hangs')!.message).toMatch(
      /did not settle within 20 ms/,
    );
    expect(errors.find((error) => error.alert === 'throws')!.message).toMatch(
      /callback of alert "throws" threw/,
    );
    expect(monitor.getAlerts().find((alert) => alert.name === 'healthy')!.firings).toBe(1);
  });

  it('rejects malformed rules with an McpConfigError naming the field', () => {
    const monitor = watch(new EventFeed());
    monitor.addAlert({ name: 'one', condition: () => false, callback: () => undefined });
    expect(() =>
      monitor.addAlert({ name: 'one', condition: () => false, callback: () => undefined }),
    ).toThrow(/already exists/);
    expect(() => monitor.addAlert({ name: 'two', condition: () => false } as never)).toThrow(
      /addAlert\.callback/,
    );
    expect(() =>
      monitor.addAlert({ name: '', condition: () => false, callback: () => undefined }),
    ).toThrow(McpConfigError);
    expect(() =>
      monitor.addAlert({
        name: 'both',
        server: 'db',
        tool: 'x',
        condition: () => false,
        callback: () => undefined,
      } as never),
    ).toThrow(/server or a tool/);
    expect(() =>
      monitor.addAlert({
        name: 'uri',
        tool: 'mcp://',
        condition: () => false,
        callback: () => undefined,
      }),
    ).toThrow(McpConfigError);
    expect(monitor.removeAlert('missing')).toBe(false);
  });
});
