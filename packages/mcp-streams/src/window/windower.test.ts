import { describe, expect, it } from 'vitest';
import type { McpStreamEvent } from '../stream-event.js';
import { Windower } from './windower.js';

const event = (n: number): McpStreamEvent => ({
  type: 't',
  data: n,
  source: 'notification',
  seq: n,
  receivedAt: 0,
});
const ns = (events: McpStreamEvent[] | undefined) => events?.map((e) => e.data);

function clock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Windower', () => {
  it('tumbles by count', () => {
    const windower = new Windower({ windowSize: 3 }, clock().now);
    const closed = [1, 2, 3, 4, 5, 6, 7].map((n) => windower.push(event(n)));
    expect(closed.map((w) => ns(w?.events))).toEqual([
      undefined,
      undefined,
      [1, 2, 3],
      undefined,
      undefined,
      [4, 5, 6],
      undefined,
    ]);
    expect(closed[2]!.reason).toBe('size');
    expect(windower.nextDeadline()).toBeUndefined();
    expect(ns(windower.flush()?.events)).toEqual([7]);
    expect(windower.flush()).toBeUndefined();
  });

  it('tumbles by time: a window closes its duration after its first event', () => {
    const time = clock();
    const windower = new Windower({ windowDurationMs: 100 }, time.now);
    expect(windower.nextDeadline()).toBeUndefined(); // nothing to close
    windower.push(event(1));
    expect(windower.nextDeadline()).toBe(1100);
    time.advance(50);
    windower.push(event(2));
    expect(windower.due()).toEqual([]);
    time.advance(50);
    const [window] = windower.due();
    expect(ns(window?.events)).toEqual([1, 2]);
    expect(window).toMatchObject({ openedAt: 1000, closedAt: 1100, reason: 'time' });
    time.advance(500);
    windower.push(event(3));
    expect(windower.nextDeadline()).toBe(1700);
  });

  it('closes by count or time, whichever comes first', () => {
    const time = clock();
    const windower = new Windower({ windowSize: 2, windowDurationMs: 100 }, time.now);
    windower.push(event(1));
    expect(ns(windower.push(event(2))?.events)).toEqual([1, 2]);
    windower.push(event(3));
    time.advance(100);
    expect(windower.due().map((w) => [ns(w.events), w.reason])).toEqual([[[3], 'time']]);
  });

  it('slides by count', () => {
    const windower = new Windower({ windowSize: 3, slideSize: 1 }, clock().now);
    const closed = [1, 2, 3, 4, 5].map((n) => ns(windower.push(event(n))?.events));
    expect(closed).toEqual([undefined, undefined, [1, 2, 3], [2, 3, 4], [3, 4, 5]]);
    expect(windower.flush()).toBeUndefined(); // every event was in a window
    const two = new Windower({ windowSize: 4, slideSize: 2 }, clock().now);
    const out = [1, 2, 3, 4, 5, 6, 7].map((n) => ns(two.push(event(n))?.events));
    expect(out.filter(Boolean)).toEqual([
      [1, 2, 3, 4],
      [3, 4, 5, 6],
    ]);
    expect(ns(two.flush()?.events)).toEqual([4, 5, 6, 7]);
  });

  it('slides by time', () => {
    const time = clock();
    const windower = new Windower({ windowDurationMs: 100, slideDurationMs: 50 }, time.now);
    expect(windower.nextDeadline()).toBe(1050);
    windower.push(event(1)); // t=1000
    time.advance(30);
    windower.push(event(2)); // t=1030
    time.advance(30); // t=1060
    expect(windower.due().map((w) => ns(w.events))).toEqual([[1, 2]]);
    windower.push(event(3)); // t=1060
    time.advance(50); // t=1110: the window (1000, 1100] holds 2 and 3 (1 is at its edge)
    expect(windower.due().map((w) => ns(w.events))).toEqual([[2, 3]]);
    time.advance(200); // (1050, 1150] holds 3; the windows ending 1200, 1250, 1300 are empty
    expect(windower.due().map((w) => ns(w.events))).toEqual([[3]]);
    expect(windower.flush()).toBeUndefined();
  });
});
