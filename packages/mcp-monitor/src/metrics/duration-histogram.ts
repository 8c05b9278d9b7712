// A fixed-bucket histogram of durations: one counter per bucket (not cumulative), a count and
// a sum. Recording is three increments; percentiles are estimated at read time.
import type { DurationBuckets } from './duration-buckets.js';

export class DurationHistogram {
  /** Observations per bucket; the last one is +Inf. */
  readonly counts: Float64Array;
  count = 0;
  sumMs = 0;

  constructor(buckets: DurationBuckets) {
    this.counts = new Float64Array(buckets.size);
  }

  add(bucketIndex: number, ms: number): void {
    this.counts[bucketIndex]!++;
    this.count++;
    this.sumMs += ms;
  }

  /** Adds another histogram's observations into this one (for totals over series). */
  merge(other: DurationHistogram): void {
    const counts = this.counts;
    const from = other.counts;
    for (let index = 0; index < counts.length; index++) counts[index]! += from[index]!;
    this.count += other.count;
    this.sumMs += other.sumMs;
  }
}
