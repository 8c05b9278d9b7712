// A Clock that moves only when told to: deterministic tests of anything that waits, with no
// real sleeping.
import type { Clock } from './clock.js';

interface PendingTimer {
  id: number;
  dueMs: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  #nowMs: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.#nextId++, dueMs: this.#nowMs + Math.max(0, delayMs), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers scheduled and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order (each at its own due time), and
   * lets promise callbacks run after each one, so awaiting code observes every step.
   */
  async advance(ms: number): Promise<void> {
    const targetMs = this.#nowMs + ms;
    for (;;) {
      await settle();
      const next = this.#nextDue(targetMs);
      if (!next) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.callback();
    }
    this.#nowMs = Math.max(this.#nowMs, targetMs);
    await settle();
  }

  /** Fires every pending timer, however far ahead, as `advance` does. */
  async runAll(maxTimers = 10_000): Promise<void> {
    for (let fired = 0; this.#timers.length > 0 && fired < maxTimers; fired += 1) {
      const next = this.#nextDue(Number.POSITIVE_INFINITY);
      if (!next) break;
      await this.advance(next.dueMs - this.#nowMs);
    }
  }

  #nextDue(limitMs: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.dueMs <= limitMs && (!next || timer.dueMs < next.dueMs)) next = timer;
    }
    return next;
  }
}

/** Lets queued promise callbacks run (a few rounds, for chains of awaits). */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round += 1) await Promise.resolve();
}
