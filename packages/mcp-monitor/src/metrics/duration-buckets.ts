// Fixed bucket boundaries for duration histograms, kept in both units: seconds for export,
// milliseconds for the hot path (events carry milliseconds; no division per event).

export class DurationBuckets {
  /** Upper bounds in seconds, ascending, without +Inf. */
  readonly boundsSeconds: readonly number[];
  /** The same bounds in milliseconds. */
  readonly boundsMs: Float64Array;
  /** Number of counters a histogram needs: one per bound plus +Inf. */
  readonly size: number;
  /** The `le` label value of each bucket, +Inf included. */
  readonly leLabels: readonly string[];

  constructor(boundsSeconds: readonly number[]) {
    this.boundsSeconds = Object.freeze([...boundsSeconds]);
    this.boundsMs = Float64Array.from(boundsSeconds, (bound) => bound * 1000);
    this.size = boundsSeconds.length + 1;
    this.leLabels = Object.freeze([...boundsSeconds.map((bound) => formatNumber(bound)), '+Inf']);
  }

  /** Index of the bucket `ms` falls in (`le` semantics: a value on a bound counts in it). */
  indexOf(ms: number): number {
    const bounds = this.boundsMs;
    const length = bounds.length;
    // A linear scan beats a binary search over 14 bounds, and most calls land early.
    for (let index = 0; index < length; index++) {
      if (ms <= bounds[index]!) return index;
    }
    return length;
  }
}

/** A number as exposition formats write it (`0.01`, `300`, `1e-7`, `+Inf`, `NaN`). */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
