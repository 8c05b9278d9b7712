import { McpConfigError, McpConnectionError, type StreamBusEntry } from '@tframex/mcp-api';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's test services (a private tool package) start a real redis-server
import { startRedis, type RunningService } from '@tframex/test-services';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startConsumerProcess,
  stopConsumerProcess,
  type ConsumerProcess,
  type Delivery,
} from '../test-support/consumer-processes.js';
import { RedisStreamBus } from './redis-stream-bus.js';

let redis: RunningService;
const buses: RedisStreamBus[] = [];
let topicCount = 0;
const freshTopic = () => `test-${process.pid}-${topicCount++}`;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  await redis?.stop();
});

/** What buses without their own onError reported (a Redis restart is noisy by design). */
const reported: unknown[] = [];

function newBus(options: Partial<ConstructorParameters<typeof RedisStreamBus>[0]> = {}) {
  const bus = new RedisStreamBus({
    url: redis.url,
    blockMs: 200,
    onError: (error) => reported.push(error),
    ...options,
  });
  buses.push(bus);
  return bus;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('RedisStreamBus', () => {
  it('gives each entry to one member of every group, and acknowledges what was handled', async () => {
    const producer = newBus();
    const topic = freshTopic();
    const got: Record<string, StreamBusEntry[]> = { a1: [], a2: [], b1: [] };
    const members = [
      ['a', 'a1'],
      ['a', 'a2'],
      ['b', 'b1'],
    ] as const;
    for (const [group, consumer] of members) {
      await newBus().consume(topic, { group, consumer }, (entry) => {
        got[consumer]!.push(entry);
      });
    }
    for (const n of range(1, 20)) await producer.publish(topic, { n });
    await expect.poll(() => got['a1']!.length + got['a2']!.length).toBe(20);
    await expect.poll(() => got['b1']!.length).toBe(20);
    const ns = (entries: StreamBusEntry[]) => entries.map((e) => (e.payload as { n: number }).n);
    expect([...ns(got['a1']!), ...ns(got['a2']!)].sort((x, y) => x - y)).toEqual(range(1, 20));
    expect(ns(got['b1']!)).toEqual(range(1, 20));
    const admin = createClient({ url: redis.url });
    await admin.connect();
    const key = producer.keyOf(topic);
    await expect
      .poll(async () => (await admin.sendCommand(['XPENDING', key, 'a']))?.toString())
      .toMatch(/^0,/);
    expect(Number(await admin.sendCommand(['XLEN', key]))).toBe(20);
    await admin.close();
  });

  it('takes over what a stopped member left unacknowledged (XAUTOCLAIM)', async () => {
    const topic = freshTopic();
    const producer = newBus();
    const held: StreamBusEntry[] = [];
    const first = await newBus().consume(
      topic,
      { group: 'g', consumer: 'first', claimIdleMs: 100 },
      (entry) => {
        held.push(entry);
        return new Promise<void>(() => undefined); // never finishes
      },
    );
    for (const n of range(1, 3)) await producer.publish(topic, { n });
    await expect.poll(() => held.length).toBe(3);
    await first.stop();
    const second: StreamBusEntry[] = [];
    await newBus().consume(topic, { group: 'g', consumer: 'second', claimIdleMs: 100 }, (e) => {
      second.push(e);
    });
    await expect.poll(() => second.length).toBe(3);
    expect(second.map((e) => [(e.payload as { n: number }).n, e.redelivered])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
  });

  it('skips an entry that is not JSON (reported), and hands over entries of other producers', async () => {
    const topic = freshTopic();
    const errors: unknown[] = [];
    const bus = newBus({ onError: (error) => errors.push(error) });
    const got: unknown[] = [];
    await bus.consume(topic, { group: 'g', consumer: 'c' }, (entry) => {
      got.push(entry.payload);
    });
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.sendCommand(['XADD', bus.keyOf(topic), '*', 'p', '{not json']);
    await admin.sendCommand(['XADD', bus.keyOf(topic), '*', 'event', 'login', 'user', '7']);
    await bus.publish(topic, { n: 1 });
    await expect.poll(() => got).toEqual([{ event: 'login', user: '7' }, { n: 1 }]);
    expect(String(errors[0])).toMatch(/not JSON; skipped/);
    await admin.close();
  });

  it('refuses bad options and says so without the password', async () => {
    expect(() => new RedisStreamBus({})).toThrow(McpConfigError);
    expect(() => new RedisStreamBus({ url: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => new RedisStreamBus({ url: redis.url, maxLen: 0 })).toThrow(/maxLen/);
    const bus = newBus();
    await expect(bus.consume('t', { group: '', consumer: 'c' }, () => undefined)).rejects.toThrow(
      McpConfigError,
    );
    const secret = new RedisStreamBus({
      url: 'redis://user:hunter2@127.0.0.1:1',
      connectTimeoutMs: 500,
      onError: () => undefined,
    });
    const error = await secret.publish('t', 1).catch((e: unknown) => e);
    expect(McpConnectionError.isInstance(error)).toBe(true);
    expect(String(error)).not.toMatch(/hunter2/);
    expect(JSON.stringify(secret)).not.toMatch(/hunter2/);
    await secret.close();
  });
});

describe('RedisStreamBus across processes', () => {
  it('each event reaches each group once; none is lost when a consumer is killed and restarted', async () => {
    const topic = freshTopic();
    const producer = newBus();
    const deliveries: Delivery[] = [];
    const start = (group: string, consumer: string, delayMs = 0) =>
      startConsumerProcess(
        { url: redis.url, topic, group, consumer, delayMs, claimIdleMs: 2000 },
        deliveries,
      );
    const children: ConsumerProcess[] = [];
    try {
      // The victim acknowledges slowly, so it dies with entries in flight.
      let victim = start('audit', 'audit-1', 100);
      children.push(victim, start('audit', 'audit-2'), start('metrics', 'metrics-1'));
      await Promise.all(children.map((child) => child.ready));

      for (const n of range(1, 40)) await producer.publish(topic, { n });
      await expect.poll(() => deliveries.some((d) => d.consumer === 'audit-1')).toBe(true);
      await stopConsumerProcess(victim, 'SIGKILL');
      for (const n of range(41, 80)) await producer.publish(topic, { n });

      victim = start('audit', 'audit-1');
      children.push(victim);
      await victim.ready;
      for (const n of range(81, 120)) await producer.publish(topic, { n });

      const seenBy = (group: string) =>
        new Set(deliveries.filter((d) => d.consumer.startsWith(group)).map((d) => d.n));
      await expect.poll(() => seenBy('audit').size, { timeout: 30_000 }).toBe(120);
      await expect.poll(() => seenBy('metrics').size, { timeout: 30_000 }).toBe(120);

      // Once each, except what the killed consumer had not acknowledged: that came again.
      for (const group of ['audit', 'metrics']) {
        const first = deliveries.filter((d) => d.consumer.startsWith(group) && !d.redelivered);
        expect(new Set(first.map((d) => d.n)).size).toBe(first.length);
      }
      const again = deliveries.filter((d) => d.redelivered);
      expect(again.length).toBeGreaterThan(0);
      expect(again.every((d) => d.consumer.startsWith('audit'))).toBe(true);
    } finally {
      await Promise.all(children.map((child) => stopConsumerProcess(child)));
    }
  });

  it('survives a Redis restart: the group is made again and consuming goes on', async () => {
    const topic = freshTopic();
    const errors: unknown[] = [];
    const producer = newBus({ onError: () => undefined });
    const got: number[] = [];
    await newBus({ onError: (error) => errors.push(error) }).consume(
      topic,
      { group: 'g', consumer: 'c' },
      (entry) => {
        got.push((entry.payload as { n: number }).n);
      },
    );
    await producer.publish(topic, { n: 1 });
    await expect.poll(() => got).toEqual([1]);
    await redis.restart();
    await expect
      .poll(
        async () =>
          producer.publish(topic, { n: 2 }).then(
            () => true,
            () => false,
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    await expect.poll(() => got.includes(2), { timeout: 20_000 }).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => McpConnectionError.isInstance(error))).toBe(true);
  });
});
