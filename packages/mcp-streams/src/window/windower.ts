// Window bookkeeping without timers or I/O: events go in, closed windows come out. Time is
// read from the given clock, so the runner owns the waiting and tests own the clock.
import type { McpStreamEvent } from '../stream-event.js';

/** How events are grouped. At least one of `windowSize` and `windowDurationMs`. */
export interface McpWindowSpec {
  /** Events per window: a window closes when it holds this many. */
  windowSize?: number;
  /** A window closes this long after its first event (or, sliding, covers this long). */
  windowDurationMs?: number;
  /** Sliding by count: every `slideSize` events, a window of the last `windowSize` events. */
  slideSize?: number;
  /** Sliding by time: every `slideDurationMs`, a window of the last `windowDurationMs`. */
  slideDurationMs?: number;
}

/** Why a window closed. */
export type McpWindowCloseReason = 'size' | 'time' | 'slide' | 'end';

export interface McpClosedWindow<T = unknown> {
  events: McpStreamEvent<T>[];
  openedAt: number;
  closedAt: number;
  reason: McpWindowCloseReason;
}

export class Windower<T = unknown> {
  readonly #size: number;
  readonly #durationMs: number;
  readonly #slideSize: number;
  readonly #slideMs: number;
  readonly #clock: () => number;
  #events: McpStreamEvent<T>[] = [];
  /** Sliding by time: when each buffered event arrived. */
  #arrivals: number[] = [];
  #openedAt = 0;
  #sinceSlide = 0;
  #nextSlideAt: number;

  constructor(spec: McpWindowSpec, clock: () => number) {
    this.#size = spec.windowSize ?? Infinity;
    this.#durationMs = spec.windowDurationMs ?? Infinity;
    this.#slideSize = spec.slideSize ?? 0;
    this.#slideMs = spec.slideDurationMs ?? 0;
    this.#clock = clock;
    this.#nextSlideAt = this.#slideMs > 0 ? clock() + this.#slideMs : Infinity;
  }

  /** Events waiting in the current window (or the sliding buffer). */
  get pending(): number {
    return this.#slideSize > 0 ? this.#sinceSlide : this.#events.length;
  }

  /** Adds an event; returns the window it closed, if it closed one. */
  push(event: McpStreamEvent<T>): McpClosedWindow<T> | undefined {
    if (this.#slideSize > 0) return this.#pushSlidingCount(event);
    if (this.#slideMs > 0) {
      const now = this.#clock();
      this.#events.push(event);
      this.#arrivals.push(now);
      return undefined;
    }
    const events = this.#events;
    if (events.length === 0) this.#openedAt = this.#clock();
    events.push(event);
    if (events.length >= this.#size) return this.#close('size');
    return undefined;
  }

  /** When the next window closes by time (ms on the clock), or undefined. */
  nextDeadline(): number | undefined {
    if (this.#slideMs > 0) return this.#nextSlideAt;
    if (this.#durationMs === Infinity || this.#slideSize > 0 || this.#events.length === 0) {
      return undefined;
    }
    return this.#openedAt + this.#durationMs;
  }

  /** Windows whose time has come. */
  due(): McpClosedWindow<T>[] {
    const now = this.#clock();
    if (this.#slideMs > 0) {
      const windows: McpClosedWindow<T>[] = [];
      while (now >= this.#nextSlideAt) {
        const closedAt = this.#nextSlideAt;
        this.#nextSlideAt += this.#slideMs;
        this.#evictBefore(closedAt - this.#durationMs);
        const events = this.#eventsUntil(closedAt);
        if (events.length > 0) {
          windows.push({
            events,
            openedAt: closedAt - this.#durationMs,
            closedAt,
            reason: 'slide',
          });
        }
      }
      return windows;
    }
    const deadline = this.nextDeadline();
    return deadline !== undefined && now >= deadline ? [this.#close('time')] : [];
  }

  /** What is left at the end: the window in flight, or undefined when there is none. */
  flush(): McpClosedWindow<T> | undefined {
    if (this.#slideSize > 0) {
      if (this.#sinceSlide === 0) return undefined;
      this.#sinceSlide = 0;
      const now = this.#clock();
      return { events: [...this.#events], openedAt: now, closedAt: now, reason: 'end' };
    }
    if (this.#slideMs > 0) {
      const now = this.#clock();
      this.#evictBefore(now - this.#durationMs);
      const events = this.#events;
      this.#events = [];
      this.#arrivals = [];
      return events.length > 0
        ? { events, openedAt: now - this.#durationMs, closedAt: now, reason: 'end' }
        : undefined;
    }
    return this.#events.length > 0 ? this.#close('end') : undefined;
  }

  #close(reason: McpWindowCloseReason): McpClosedWindow<T> {
    const events = this.#events;
    this.#events = [];
    return { events, openedAt: this.#openedAt, closedAt: this.#clock(), reason };
  }

  #pushSlidingCount(event: McpStreamEvent<T>): McpClosedWindow<T> | undefined {
    const events = this.#events;
    events.push(event);
    if (events.length > this.#size) events.shift();
    this.#sinceSlide++;
    if (events.length < this.#size || this.#sinceSlide < this.#slideSize) return undefined;
    this.#sinceSlide = 0;
    const now = this.#clock();
    return { events: [...events], openedAt: now, closedAt: now, reason: 'slide' };
  }

  #evictBefore(cutoff: number): void {
    let drop = 0;
    while (drop < this.#arrivals.length && this.#arrivals[drop]! <= cutoff) drop++;
    if (drop > 0) {
      this.#events.splice(0, drop);
      this.#arrivals.splice(0, drop);
    }
  }

  #eventsUntil(closedAt: number): McpStreamEvent<T>[] {
    let count = 0;
    while (count < this.#arrivals.length && this.#arrivals[count]! <= closedAt) count++;
    return this.#events.slice(0, count);
  }
}
