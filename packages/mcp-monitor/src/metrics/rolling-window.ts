// Recent activity over a sliding window: a ring of fixed time slots (count, errors, summed
// duration and bucket counts per slot). Recording touches one slot; reading sums the slots
// still inside the window. Times are `performance.now()` milliseconds, as events carry them.
import type { DurationBuckets } from './duration-buckets.js';

/** Totals over the window, filled by `RollingWindow.readInto`. */
export class WindowTotals {
  count = 0;
  errors = 0;
  sumMs = 0;
  readonly counts: Float64Array;

  constructor(buckets: DurationBuckets) {
    this.counts = new Float64Array(buckets.size);
  }

  reset(): void {
    this.count = 0;
    this.errors = 0;
    this.sumMs = 0;
    this.counts.fill(0);
  }
}

export interface WindowShape {
  /** Length of one slot in ms. */
  readonly slotMs: number;
  /** Number of slots; the window spans `slots * slotMs`. */
  readonly slots: number;
}

export class RollingWindow {
  readonly #shape: WindowShape;
  readonly #bucketCount: number;
  /** The slot number (time / slotMs) each ring entry currently holds; -1 when empty. */
  readonly #slotOf: Float64Array;
  readonly #count: Float64Array;
  readonly #errors: Float64Array;
  readonly #sumMs: Float64Array;
  readonly #buckets: Float64Array;

  constructor(shape: WindowShape, buckets: DurationBuckets) {
    this.#shape = shape;
    this.#bucketCount = buckets.size;
    this.#slotOf = new Float64Array(shape.slots).fill(-1);
    this.#count = new Float64Array(shape.slots);
    this.#errors = new Float64Array(shape.slots);
    this.#sumMs = new Float64Array(shape.slots);
    this.#buckets = new Float64Array(shape.slots * buckets.size);
  }

  add(atMs: number, bucketIndex: number, ms: number, failed: boolean): void {
    const slot = Math.floor(atMs / this.#shape.slotMs);
    const ring = slot % this.#shape.slots;
    if (this.#slotOf[ring] !== slot) this.#clear(ring, slot);
    this.#count[ring]!++;
    if (failed) this.#errors[ring]!++;
    this.#sumMs[ring]! += ms;
    this.#buckets[ring * this.#bucketCount + bucketIndex]!++;
  }

  /** Adds the totals of the slots inside the window ending at `nowMs` into `into`. */
  readInto(nowMs: number, into: WindowTotals): void {
    const current = Math.floor(nowMs / this.#shape.slotMs);
    const oldest = current - this.#shape.slots + 1;
    const width = this.#bucketCount;
    for (let ring = 0; ring < this.#shape.slots; ring++) {
      const slot = this.#slotOf[ring]!;
      if (slot < oldest || slot > current) continue;
      into.count += this.#count[ring]!;
      into.errors += this.#errors[ring]!;
      into.sumMs += this.#sumMs[ring]!;
      const base = ring * width;
      for (let index = 0; index < width; index++)
        into.counts[index]! += this.#buckets[base + index]!;
    }
  }

  #clear(ring: number, slot: number): void {
    this.#slotOf[ring] = slot;
    this.#count[ring] = 0;
    this.#errors[ring] = 0;
    this.#sumMs[ring] = 0;
    this.#buckets.fill(0, ring * this.#bucketCount, (ring + 1) * this.#bucketCount);
  }
}
