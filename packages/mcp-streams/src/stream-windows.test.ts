import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPStream } from './mcp-stream.js';
import type { McpStreamEvent } from './stream-event.js';
import { createStreamServer } from './test-support/stream-server.js';
import type { McpWindowInfo } from './window/run-windows.js';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function setup() {
  const server = createStreamServer();
  const client = new MCPTestClient(server, { name: 'stream' });
  stops.push(
    () => server.stop(),
    () => client.close(),
  );
  const stream = new MCPStream({ client, uri: 'mcp://stream/notifications/events' });
  return { client, stream };
}

const emit = (client: MCPTestClient, from: number, to: number) =>
  client.callTool('emit', {
    events: Array.from({ length: to - from + 1 }, (_, i) => ({ type: 'tick', data: from + i })),
  });

function recorder() {
  const windows: { events: unknown[]; info: McpWindowInfo }[] = [];
  const processor = (events: McpStreamEvent[], info: McpWindowInfo) => {
    windows.push({ events: events.map((e) => e.data), info });
  };
  return { windows, processor };
}

describe('processWindowed', () => {
  it('tumbles by count; the window in flight at the end is processed as partial', async () => {
    const { client, stream } = setup();
    const { windows, processor } = recorder();
    const done = stream.processWindowed({ windowSize: 2, windowDurationMs: 60_000, processor });
    await expect.poll(() => stream.listening).toBe(true);
    await emit(client, 1, 5);
    await expect.poll(() => windows.length).toBe(2);
    await client.close();
    const summary = await done;
    expect(windows.map((w) => [w.events, w.info.partial, w.info.reason])).toEqual([
      [[1, 2], false, 'size'],
      [[3, 4], false, 'size'],
      [[5], true, 'end'],
    ]);
    expect(summary).toEqual({
      windows: 3,
      events: 5,
      failed: 0,
      discarded: 0,
      dropped: 0,
      endReason: 'session-closed',
    });
  });

  it('a processor that throws is reported and the stream goes on', async () => {
    const server = createStreamServer();
    const client = new MCPTestClient(server, { name: 'stream' });
    stops.push(
      () => server.stop(),
      () => client.close(),
    );
    const reported: string[] = [];
    const stream = new MCPStream({
      client,
      uri: 'mcp://stream/notifications/events',
      onError: (error, { where }) => reported.push(`${where}: ${String(error)}`),
    });
    const seen: unknown[][] = [];
    const controller = new AbortController();
    const done = stream.processWindowed({
      windowSize: 2,
      signal: controller.signal,
      processor: async (events, info) => {
        seen.push(events.map((e) => e.data));
        if (info.index === 0) throw new Error('storage is down');
      },
    });
    await expect.poll(() => stream.listening).toBe(true);
    await emit(client, 1, 4);
    await expect.poll(() => seen.length).toBe(2);
    controller.abort();
    const summary = await done;
    expect(seen).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(summary).toMatchObject({ windows: 2, failed: 1, endReason: 'aborted' });
    expect(reported).toEqual(['window processor (window 0): Error: storage is down']);
  });

  it("onEnd: 'discard' drops the window in flight and counts it", async () => {
    const { client, stream } = setup();
    const { windows, processor } = recorder();
    const controller = new AbortController();
    const done = stream.processWindowed({
      windowSize: 10,
      onEnd: 'discard',
      signal: controller.signal,
      processor,
    });
    await expect.poll(() => stream.listening).toBe(true);
    const watcher = await stream.subscribe();
    await emit(client, 1, 3);
    for (let i = 0; i < 3; i++) await watcher.next(); // all three reached the stream
    controller.abort();
    expect(await done).toMatchObject({ windows: 0, discarded: 3, endReason: 'aborted' });
    expect(windows).toEqual([]);
  });

  it('closes windows by time, with filters', async () => {
    const { client, stream } = setup();
    let resolveWindow!: (events: unknown[]) => void;
    const first = new Promise<unknown[]>((resolve) => (resolveWindow = resolve));
    const done = stream.processWindowed({
      windowDurationMs: 30,
      filters: { type: 'tick' },
      where: (event) => (event.data as number) % 2 === 1,
      processor: (events, info) => {
        if (info.reason === 'time') resolveWindow(events.map((e) => e.data));
      },
    });
    await expect.poll(() => stream.listening).toBe(true);
    await emit(client, 1, 3);
    expect(await first).toEqual([1, 3]);
    await stream.close();
    expect((await done).endReason).toBe('stream-closed');
  });

  it('slides by count', async () => {
    const { client, stream } = setup();
    const { windows, processor } = recorder();
    const done = stream.processWindowed({ windowSize: 3, slideSize: 1, processor });
    await expect.poll(() => stream.listening).toBe(true);
    await emit(client, 1, 4);
    await expect.poll(() => windows.length).toBe(2);
    await stream.close();
    await done;
    expect(windows.map((w) => w.events)).toEqual([
      [1, 2, 3],
      [2, 3, 4],
    ]);
  });

  it('refuses options that make no windows', async () => {
    const { stream } = setup();
    const processor = () => undefined;
    await expect(stream.processWindowed({ processor })).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'windowSize',
    );
    await expect(
      stream.processWindowed({ windowSize: 2, slideSize: 3, processor }),
    ).rejects.toThrow(/slideSize/);
    await expect(
      stream.processWindowed({ windowSize: 2, windowDurationMs: 5, slideDurationMs: 1, processor }),
    ).rejects.toThrow(/slideDurationMs/);
    expect(stream.subscriberCount).toBe(0);
  });
});
