import { McpConfigError, type StreamBus } from '@tframex/mcp-api';
import { MCPTestClient } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessStreamBus } from './bus/in-process-stream-bus.js';
import { MCPStream } from './mcp-stream.js';
import type { McpStreamEvent } from './stream-event.js';
import { createStreamServer } from './test-support/stream-server.js';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function setup() {
  const server = createStreamServer();
  const client = new MCPTestClient(server, { name: 'stream' });
  const bus = new InProcessStreamBus();
  stops.push(
    () => server.stop(),
    () => client.close(),
    () => bus.close(),
  );
  return { server, client, bus };
}

const emit = (client: MCPTestClient, count: number) =>
  client.callTool('emit', {
    events: Array.from({ length: count }, (_, i) => ({ type: 'tick', data: i + 1 })),
  });
const ns = (events: McpStreamEvent[]) => events.map((e) => e.data as number);

async function collect(iterable: AsyncIterable<McpStreamEvent>, into: McpStreamEvent[]) {
  for await (const event of iterable) into.push(event);
}

describe('MCPStream over a StreamBus', () => {
  it('one relay, consumer groups: each event reaches one member of each group', async () => {
    const { client, bus, server } = setup();
    const source = new MCPStream({ client, bus, uri: 'mcp://stream/status' });
    const relay = await source.relay();
    // Readers need no session: they read the bus.
    const reader = new MCPStream({ bus, uri: 'mcp://stream/status' });
    const audit1 = await reader.subscribe({ group: 'audit', consumer: 'a1' });
    const audit2 = await reader.subscribe({ group: 'audit', consumer: 'a2' });
    const metrics = await reader.subscribe({ group: 'metrics' });
    const seen = {
      a1: [] as McpStreamEvent[],
      a2: [] as McpStreamEvent[],
      m: [] as McpStreamEvent[],
    };
    const loops = [collect(audit1, seen.a1), collect(audit2, seen.a2), collect(metrics, seen.m)];
    for (let n = 1; n <= 6; n++) await client.callTool('set-status', { n });
    await expect.poll(() => seen.m.length).toBe(6);
    await expect.poll(() => seen.a1.length + seen.a2.length).toBe(6);
    const states = (events: McpStreamEvent[]) => events.map((e) => (e.data as { n: number }).n);
    expect(states(seen.m)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...states(seen.a1), ...states(seen.a2)].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.m[0]).toMatchObject({ type: 'resource-updated', source: 'resource', seq: 1 });
    expect(
      server.requestsFor(
        client.protocolEra === 'modern' ? 'subscriptions/listen' : 'resources/subscribe',
      ),
    ).toHaveLength(1);
    expect(relay.published).toBe(6);
    await reader.close();
    await Promise.all(loops);
    await relay.stop();
    expect(await relay.closed).toBe('closed');
    expect(source.listening).toBe(false);
  });

  it('what a consumer left unprocessed goes to another member of its group', async () => {
    const { client, bus } = setup();
    const source = new MCPStream({ client, bus, uri: 'mcp://stream/notifications/events' });
    await source.relay();
    const reader = new MCPStream({ bus, uri: 'mcp://stream/notifications/events' });
    const first = await reader.subscribe({ group: 'g', consumer: 'first', bufferSize: 3 });
    await emit(client, 3);
    // Take one, then stop without finishing it: it and the two buffered come back.
    expect((await first.next()).value?.data).toBe(1);
    const controller = new AbortController();
    const second = await reader.subscribe({
      group: 'g',
      consumer: 'second',
      signal: controller.signal,
    });
    first.end('aborted');
    const got: McpStreamEvent[] = [];
    for await (const event of second) {
      got.push(event);
      if (got.length === 3) break;
    }
    expect(ns(got).sort()).toEqual([1, 2, 3]);
  });

  it('break acknowledges the event the loop was given; the rest are delivered again', async () => {
    const { client, bus } = setup();
    const source = new MCPStream({ client, bus, uri: 'mcp://stream/notifications/events' });
    await source.relay();
    const reader = new MCPStream({ bus, uri: 'mcp://stream/notifications/events' });
    const first = await reader.subscribe({ group: 'g', consumer: 'c' });
    await emit(client, 4);
    for await (const event of first) if (event.data === 2) break;
    const again = await reader.subscribe({ group: 'g', consumer: 'c' });
    const got: number[] = [];
    for await (const event of again) {
      got.push(event.data as number);
      if (got.length === 2) break;
    }
    expect(got.sort()).toEqual([3, 4]);
  });

  it('windows over a group acknowledge events once processed', async () => {
    const { client, bus } = setup();
    const source = new MCPStream({ client, bus, uri: 'mcp://stream/notifications/events' });
    await source.relay();
    const reader = new MCPStream({ bus, uri: 'mcp://stream/notifications/events' });
    const windows: number[][] = [];
    const done = reader.processWindowed({
      group: 'w',
      windowSize: 2,
      onEnd: 'discard',
      processor: (events) => {
        windows.push(ns(events));
      },
    });
    await emit(client, 5);
    await expect.poll(() => windows.length).toBe(2);
    await reader.close();
    expect(await done).toMatchObject({ windows: 2, discarded: 1 });
    // The discarded event is delivered again to the group.
    const fresh = new MCPStream({ bus, uri: 'mcp://stream/notifications/events' });
    const rest = await fresh.subscribe({ group: 'w' });
    expect((await rest.next()).value).toMatchObject({ data: 5 });
    await fresh.close();
  });

  it('says what is missing: a bus for groups and relays, a client for the upstream', async () => {
    const { client, bus } = setup();
    const plain = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
    await expect(plain.subscribe({ group: 'g' })).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'bus',
    );
    await expect(plain.relay()).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'bus',
    );
    await expect(
      new MCPStream({ client, bus, uri: 'mcp://stream/x' }).relay({ bufferSize: -1 }),
    ).rejects.toSatisfy((e) => McpConfigError.isInstance(e) && e.field === 'bufferSize');
    const reader = new MCPStream({ bus, uri: 'mcp://stream/notifications/events' });
    await expect(reader.subscribe()).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'group',
    );
    await expect(reader.publish({ type: 'x' })).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'client',
    );
    expect(() => new MCPStream({ uri: 'mcp://stream/x' })).toThrow(/client/);
  });
});

describe('relay backpressure', () => {
  it('a relay whose bus falls behind drops the oldest waiting events and marks the gap', async () => {
    const { client } = setup();
    // A StreamBus (plain object) that answers publishes only when the test lets it.
    const published: unknown[] = [];
    const waiting: (() => void)[] = [];
    const slowBus: StreamBus = {
      publish: (_topic, payload) =>
        new Promise((resolve) => {
          waiting.push(() => {
            published.push(payload);
            resolve(String(published.length));
          });
        }),
      consume: () => Promise.reject(new Error('not read in this test')),
      close: () => Promise.resolve(),
    };
    const reported: unknown[] = [];
    const source = new MCPStream({
      client,
      bus: slowBus,
      uri: 'mcp://stream/notifications/events',
      onError: (error) => reported.push(error),
    });
    const relay = await source.relay({ bufferSize: 3 });
    const watcher = await source.subscribe();
    await emit(client, 300);
    for (let i = 0; i < 300; i++) await watcher.next(); // all 300 reached the stream
    // 256 went to the bus at once; of the 44 left, 3 wait and 41 were dropped.
    expect(relay.dropped).toBe(41);
    while (waiting.length > 0 || published.length < 256 + 1 + 3) {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const types = published.map((p) => (p as { type: string }).type);
    expect(types.slice(256)).toEqual(['gap', 'tick', 'tick', 'tick']);
    expect(published[256]).toMatchObject({ reason: 'overflow', data: { dropped: 41 } });
    expect((published.at(-1) as { data: number }).data).toBe(300);
    await relay.stop();
    expect(relay.published).toBe(260);
    expect(reported).toEqual([]);
  });
});
