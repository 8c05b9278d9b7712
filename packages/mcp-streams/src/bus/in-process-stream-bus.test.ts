import type { StreamBusEntry } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { InProcessStreamBus } from './in-process-stream-bus.js';

const payloads = (entries: StreamBusEntry[]) => entries.map((e) => e.payload);

describe('InProcessStreamBus', () => {
  it('gives each entry to one member of every group', async () => {
    const bus = new InProcessStreamBus();
    const got: Record<string, StreamBusEntry[]> = { a1: [], a2: [], b1: [] };
    for (const [group, consumer] of [
      ['a', 'a1'],
      ['a', 'a2'],
      ['b', 'b1'],
    ] as const) {
      await bus.consume('t', { group, consumer }, (entry) => {
        got[consumer]!.push(entry);
      });
    }
    for (let n = 1; n <= 10; n++) await bus.publish('t', n);
    await expect.poll(() => got['a1']!.length + got['a2']!.length).toBe(10);
    const a = [...payloads(got['a1']!), ...payloads(got['a2']!)].sort((x, y) => +x! - +y!);
    expect(a).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got['a1']!.length).toBeGreaterThan(0);
    expect(got['a2']!.length).toBeGreaterThan(0);
    expect(payloads(got['b1']!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await bus.close();
  });

  it('delivers what a stopped member left unacknowledged to another member', async () => {
    const bus = new InProcessStreamBus();
    const held: StreamBusEntry[] = [];
    const first = await bus.consume(
      't',
      { group: 'g', consumer: 'c1', maxInFlight: 2 },
      (entry) => {
        held.push(entry);
        return new Promise<void>((_resolve, reject) => {
          void first.stopped.then(() => reject(new Error('stopped')));
        });
      },
    );
    for (let n = 1; n <= 2; n++) await bus.publish('t', n);
    await expect.poll(() => held.length).toBe(2);
    const second: StreamBusEntry[] = [];
    await bus.consume('t', { group: 'g', consumer: 'c2' }, (entry) => {
      second.push(entry);
    });
    await bus.publish('t', 3);
    await expect.poll(() => second.length).toBe(1); // c1 is full: 3 goes to c2
    await first.stop();
    await expect.poll(() => second.length).toBe(3);
    expect(second.map((e) => [e.payload, e.redelivered])).toEqual([
      [3, false],
      [1, true],
      [2, true],
    ]);
    await bus.close();
  });

  it('delivers again what a handler threw on, after claimIdleMs', async () => {
    const bus = new InProcessStreamBus();
    const seen: [unknown, boolean][] = [];
    const errors: unknown[] = [];
    await bus.consume(
      't',
      { group: 'g', consumer: 'c', claimIdleMs: 0, onError: (e) => errors.push(e) },
      (entry) => {
        seen.push([entry.payload, entry.redelivered]);
        if (!entry.redelivered) throw new Error('not yet');
      },
    );
    await bus.publish('t', 'x');
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([
      ['x', false],
      ['x', true],
    ]);
    expect(errors).toHaveLength(1);
    await bus.close();
  });

  it('starts a new group at new entries, or at the retained ones; trims to maxLen', async () => {
    const bus = new InProcessStreamBus({ maxLen: 3 });
    for (let n = 1; n <= 5; n++) await bus.publish('t', n);
    const fromStart: unknown[] = [];
    const fromNow: unknown[] = [];
    await bus.consume('t', { group: 's', consumer: 'c', startAt: 'start' }, (e) => {
      fromStart.push(e.payload);
    });
    await bus.consume('t', { group: 'n', consumer: 'c' }, (e) => {
      fromNow.push(e.payload);
    });
    await bus.publish('t', 6);
    await expect.poll(() => fromStart).toEqual([3, 4, 5, 6]);
    await expect.poll(() => fromNow).toEqual([6]);
    await bus.close();
    await expect(bus.publish('t', 7)).rejects.toThrow(/closed/);
    expect(() => new InProcessStreamBus({ maxLen: 0 })).toThrow(/maxLen/);
  });
});
