import { McpConfigError, McpConnectionError, McpProtocolError } from '@tframex/mcp-api';
import { MCPTestClient } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { McpStreamOverflowError } from './errors/mcp-stream-overflow-error.js';
import { MCPStream } from './mcp-stream.js';
import type { McpStreamEvent } from './stream-event.js';
import { plainSession } from './test-support/plain-session.js';
import { createStreamServer } from './test-support/stream-server.js';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setup(transport: 'memory' | 'http' = 'memory', era?: 'legacy' | 'modern') {
  const server = createStreamServer();
  if (transport === 'http') await server.start({ transport: 'http' });
  const client = new MCPTestClient(server, { name: 'stream', ...(era ? { era } : {}) });
  stops.push(
    () => server.stop(),
    () => client.close(),
  );
  return { server, client };
}

const events = (count: number, type = 'data_update') =>
  Array.from({ length: count }, (_, i) => ({ type, data: { n: i + 1 } }));

async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  if (count === 0) return out;
  for await (const item of iterable) {
    out.push(item);
    if (out.length === count) break;
  }
  return out;
}

describe('MCPStream over custom notifications', () => {
  it('iterates events in order, as TFrameX events (type and data)', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const subscription = await stream.subscribe();
    expect(stream.listening).toBe(true);
    await client.callTool('emit', { events: events(3) });
    const got = await take(subscription, 3);
    expect(got.map((e) => [e.type, e.data, e.source, e.method])).toEqual([
      ['data_update', { n: 1 }, 'notification', 'notifications/events'],
      ['data_update', { n: 2 }, 'notification', 'notifications/events'],
      ['data_update', { n: 3 }, 'notification', 'notifications/events'],
    ]);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3]);
    // break ended the subscription, and with the last subscriber the upstream.
    expect(subscription.endReason).toBe('closed');
    expect(stream.subscriberCount).toBe(0);
    expect(stream.listening).toBe(false);
  });

  it('gives each subscriber its own filters over one upstream', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const all = await stream.subscribe();
    const odd = await stream.subscribe({ filters: { 'data.n': [1, 3, 5] } });
    const nested = await stream.subscribe({ filters: { n: 4, type: 'data_update' } });
    const predicate = await stream.subscribe({ where: (e) => (e.data as { n: number }).n > 4 });
    expect(stream.subscriberCount).toBe(4);
    await client.callTool('emit', { events: events(6) });
    const n = (list: McpStreamEvent[]) => list.map((e) => (e.data as { n: number }).n);
    expect(n(await take(all, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(n(await take(odd, 3))).toEqual([1, 3, 5]);
    expect(n(await take(nested, 1))).toEqual([4]);
    expect(n(await take(predicate, 2))).toEqual([5, 6]);
  });

  it('keeps a bounded buffer: drop-oldest counts what it dropped', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const subscription = await stream.subscribe({ bufferSize: 5 });
    await client.callTool('emit', { events: events(20) });
    await expect.poll(() => subscription.dropped + subscription.buffered).toBe(20);
    expect(subscription.dropped).toBe(15);
    const got = await take(subscription, 5);
    expect(got.map((e) => (e.data as { n: number }).n)).toEqual([16, 17, 18, 19, 20]);
  });

  it('drop-newest keeps the first events', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const subscription = await stream.subscribe({ bufferSize: 5, overflow: 'drop-newest' });
    await client.callTool('emit', { events: events(12) });
    await expect.poll(() => subscription.dropped).toBe(7);
    const got = await take(subscription, 5);
    expect(got.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('fail ends the subscription: buffered events first, then McpStreamOverflowError', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const subscription = await stream.subscribe({ bufferSize: 3, overflow: 'fail' });
    const other = await stream.subscribe();
    await client.callTool('emit', { events: events(5) });
    await expect.poll(() => subscription.endReason).toBe('overflow');
    expect((await take(subscription, 0)).length).toBe(0);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const event of subscription) seen.push((event.data as { n: number }).n);
      })(),
    ).rejects.toSatisfy((error) => McpStreamOverflowError.isInstance(error));
    expect(seen).toEqual([1, 2, 3]);
    // The other subscriber is untouched.
    expect((await take(other, 5)).length).toBe(5);
  });

  it('ends every iterator when the session closes; nothing waits forever', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const first = await stream.subscribe();
    const second = await stream.subscribe();
    const loop = (async () => {
      const seen: McpStreamEvent[] = [];
      for await (const event of first) seen.push(event);
      return seen;
    })();
    const pending = second.next();
    await client.close();
    expect(await loop).toEqual([]);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await first.closed).toBe('session-closed');
    expect(stream.listening).toBe(false);
    await expect(stream.subscribe()).rejects.toSatisfy((e) => McpConnectionError.isInstance(e));
  });

  it('ends by AbortSignal, return() and await using', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const controller = new AbortController();
    const aborted = await stream.subscribe({ signal: controller.signal });
    const returned = await stream.subscribe();
    {
      await using scoped = await stream.subscribe();
      expect(stream.subscriberCount).toBe(3);
      expect(scoped.endReason).toBeUndefined();
    }
    expect(stream.subscriberCount).toBe(2);
    const waiting = aborted.next();
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(aborted.endReason).toBe('aborted');
    await returned.return();
    expect(returned.endReason).toBe('closed');
    expect(stream.subscriberCount).toBe(0);
    expect(stream.listening).toBe(false);
    // A new subscriber opens the upstream again.
    const again = await stream.subscribe();
    await client.callTool('emit', { events: events(1) });
    expect((await take(again, 1))[0]!.type).toBe('data_update');
  });

  it('close() ends every subscriber and refuses new ones', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    const subscription = await stream.subscribe();
    await stream.close();
    expect(await subscription.closed).toBe('stream-closed');
    await expect(stream.subscribe()).rejects.toSatisfy((e) => McpConnectionError.isInstance(e));
  });
});

describe('MCPStream sources', () => {
  it('logs: level and nested filters, and the level asked of the server', async () => {
    const { client } = await setup();
    const logs = new MCPStream({ client, uri: 'mcp://stream/logs', logLevel: 'warning' });
    const errors = await logs.subscribe({
      filters: { level: ['error', 'critical'], service: 'api' },
    });
    const all = await logs.subscribe();
    await client.callTool('log', {
      entries: [
        { level: 'error', data: { service: 'db', message: 'a' } },
        { level: 'warning', data: { service: 'api', message: 'b' } },
        { level: 'critical', data: { service: 'api', message: 'c' } },
        { level: 'info', data: { service: 'api', message: 'below the level asked for' } },
        { level: 'error', data: { service: 'api', message: 'd' } },
      ],
    });
    // The server sends nothing below the level the stream asked for.
    const levels = (await take(all, 4)).map((e) => e.level);
    expect(levels).toEqual(['error', 'warning', 'critical', 'error']);
    const got = await take(errors, 2);
    expect(got.map((e) => [e.type, e.level, (e.data as { message: string }).message])).toEqual([
      ['log', 'critical', 'c'],
      ['log', 'error', 'd'],
    ]);
  });

  it('refuses filters that can never match, saying so', async () => {
    const { client } = await setup();
    const logs = new MCPStream({ client, uri: 'mcp://stream/logs', logLevel: 'error' });
    await expect(logs.subscribe({ filters: { level: 'debug' } })).rejects.toSatisfy(
      (e) =>
        McpConfigError.isInstance(e) &&
        e.field === 'filters.level' &&
        /never match/.test(e.message),
    );
    await expect(logs.subscribe({ filters: { service: [] } })).rejects.toThrow(/never match/);
    await expect(logs.subscribe({ filters: { type: 'data_update' } })).rejects.toThrow(
      /never match/,
    );
    expect(logs.subscriberCount).toBe(0);
  });

  it('refuses an unknown stream with the names the server offers', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/nowhere' });
    await expect(stream.subscribe()).rejects.toSatisfy(
      (e) =>
        McpConfigError.isInstance(e) &&
        e.field === 'uri' &&
        /lists no resource named "nowhere"/.test(e.message) &&
        /"status"/.test(e.message),
    );
    expect(stream.subscriberCount).toBe(0);
    expect(() => new MCPStream({ client, uri: 'http://x/y' })).toThrow(McpConfigError);
    expect(() => new MCPStream({ client, uri: 'mcp://stream/e', bufferSize: 0 })).toThrow(
      /bufferSize/,
    );
  });

  it('skips malformed notifications and reports them (plain McpSession)', async () => {
    // The SDK client drops malformed log messages itself; a plain session hands them over.
    const session = plainSession('plain');
    const reported: unknown[] = [];
    const logs = new MCPStream({
      client: session,
      uri: 'mcp://plain/logs',
      onError: (error) => reported.push(error),
    });
    const subscription = await logs.subscribe();
    session.deliver({ method: 'notifications/message', params: { level: 'loud', data: 1 } });
    session.deliver({ method: 'notifications/message' });
    session.deliver({ method: 'notifications/message', params: { level: 'info', data: 2 } });
    const [event] = await take(subscription, 1);
    expect(event).toMatchObject({ type: 'log', level: 'info', data: 2, seq: 1 });
    expect(reported).toHaveLength(2);
    expect(reported[0]).toSatisfy((e) => McpProtocolError.isInstance(e));
    expect(String(reported[0])).toMatch(/"loud" is not a logging level/);
  });

  it('a filter that throws skips the event for its subscriber only, and is reported', async () => {
    const session = plainSession('plain');
    const reported: unknown[] = [];
    const stream = new MCPStream({
      client: session,
      uri: 'mcp://plain/notifications/tick',
      onError: (error, context) => reported.push([context.where, String(error)]),
    });
    const broken = await stream.subscribe({
      where: (event) => {
        if ((event.data as { n: number }).n === 1) throw new Error('filter bug');
        return true;
      },
    });
    const healthy = await stream.subscribe();
    session.deliver({ method: 'notifications/tick', params: { n: 1 } });
    session.deliver({ method: 'notifications/tick', params: { n: 2 } });
    expect((await take(broken, 1))[0]!.data).toEqual({ n: 2 });
    expect((await take(healthy, 2)).length).toBe(2);
    expect(reported).toEqual([['filter', 'Error: filter bug']]);
  });

  it('renews a subscription the server ended, and marks the gap', async () => {
    const session = plainSession('plain');
    const stream = new MCPStream({ client: session, uri: 'mcp://plain/list-changes' });
    const subscription = await stream.subscribe();
    expect(session.subscriptions).toHaveLength(1);
    expect(session.subscriptions[0]!.filter).toEqual({
      toolsListChanged: true,
      resourcesListChanged: true,
      promptsListChanged: true,
    });
    session.subscriptions[0]!.listener({ type: 'list-changed', list: 'tools' });
    session.subscriptions[0]!.end('graceful');
    await expect.poll(() => session.subscriptions.length).toBe(2);
    session.subscriptions[1]!.listener({ type: 'list-changed', list: 'prompts' });
    const got = await take(subscription, 3);
    expect(got.map((e) => [e.type, e.reason ?? (e.data as { list: string }).list])).toEqual([
      ['list-changed', 'tools'],
      ['gap', 'resubscribed'],
      ['list-changed', 'prompts'],
    ]);
  });

  it('marks a gap when a plain session reconnects, and ends on close', async () => {
    const session = plainSession('plain');
    const stream = new MCPStream({ client: session, uri: 'mcp://plain/notifications/tick' });
    const subscription = await stream.subscribe({ filters: { n: 5 } });
    session.setState('reconnecting');
    session.setState('connected');
    session.deliver({ method: 'notifications/tick', params: { n: 5 } });
    const got = await take(subscription, 2);
    expect(got.map((e) => [e.type, e.reason])).toEqual([
      ['gap', 'reconnected'],
      ['notifications/tick', undefined],
    ]);
    const other = await stream.subscribe();
    await session.close();
    expect(await other.closed).toBe('session-closed');
  });
});

describe.each([
  ['memory', undefined],
  ['http', 'legacy'],
  ['http', 'modern'],
] as const)('resource streams (%s %s)', (transport, era) => {
  it('re-reads a snapshot resource on each update, one upstream subscription for all', async () => {
    const { client, server } = await setup(transport, era);
    const stream = new MCPStream({ client, uri: 'mcp://stream/status' });
    const a = await stream.subscribe();
    const b = await stream.subscribe({ filters: { state: 'busy' } });
    await client.callTool('set-status', { state: 'busy' });
    const [first] = await take(a, 1);
    expect(first).toMatchObject({
      type: 'resource-updated',
      source: 'resource',
      uri: 'mock:///status',
      data: { state: 'busy' },
    });
    expect((await take(b, 1))[0]!.data).toEqual({ state: 'busy' });
    const method = client.protocolEra === 'modern' ? 'subscriptions/listen' : 'resources/subscribe';
    expect(server.requestsFor(method)).toHaveLength(1);
  });

  it('reads an append-only resource by cursor: only what was appended', async () => {
    const { client } = await setup(transport, era);
    await client.callTool('append', { entries: [{ type: 'old' }] });
    const stream = new MCPStream({ client, uri: 'mcp://stream/feed', read: 'append' });
    const subscription = await stream.subscribe();
    await client.callTool('append', {
      entries: [
        { type: 'data_update', data: { id: 1 } },
        { type: 'user_action', user_id: 7 },
      ],
    });
    await client.callTool('append', { entries: [{ type: 'data_update', data: { id: 2 } }] });
    const got = await take(subscription, 3);
    expect(got.map((e) => [e.type, e.data])).toEqual([
      ['data_update', { id: 1 }],
      ['user_action', { user_id: 7 }],
      ['data_update', { id: 2 }],
    ]);
  });
});

describe.each([
  ['memory', undefined],
  ['http', 'legacy'],
  ['http', 'modern'],
] as const)('gaps (%s %s)', (transport, era) => {
  it('marks a gap after the connection was lost and the subscription restored', async () => {
    const { client, server } = await setup(transport, era);
    const stream = new MCPStream({ client, uri: 'mcp://stream/status' });
    const subscription = await stream.subscribe();
    await client.callTool('set-status', { state: 'one' });
    expect((await subscription.next()).value?.data).toEqual({ state: 'one' });
    server.dropConnections();
    const gap = (await subscription.next()).value;
    expect(gap).toMatchObject({ type: 'gap', source: 'gap', reason: 'reconnected' });
    // After a gap a snapshot stream reads the resource again: the consumer has the state now.
    expect((await subscription.next()).value?.data).toEqual({ state: 'one' });
    await client.callTool('set-status', { state: 'two' });
    expect((await subscription.next()).value?.data).toEqual({ state: 'two' });
  });
});

describe('gaps in append-only resources', () => {
  it('marks a gap when an append-only resource shrinks', async () => {
    const { client } = await setup();
    const stream = new MCPStream({ client, uri: 'mcp://stream/feed', read: 'append' });
    const subscription = await stream.subscribe({ filters: { type: 'x' } });
    await client.callTool('append', { entries: [{ type: 'x', n: 1 }] });
    await client.callTool('truncate-feed', {});
    await client.callTool('append', { entries: [{ type: 'x', n: 2 }] });
    const got = await take(subscription, 3);
    expect(got.map((e) => e.type)).toEqual(['x', 'gap', 'x']);
    expect(got[1]!.reason).toBe('rotated');
  });
});
