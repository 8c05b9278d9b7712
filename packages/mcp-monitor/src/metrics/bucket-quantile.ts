// Percentile estimate from bucket counts, computed the way Prometheus's histogram_quantile
// does (linear interpolation inside the bucket holding the rank; the first bucket starts at 0;
// a rank in +Inf gives the highest finite bound), so the monitor and a Prometheus query over
// the same histogram agree.

/**
 * The `q` quantile (0..1) in milliseconds of the observations counted in `counts` (one counter
 * per bucket, not cumulative, +Inf last) against `boundsMs`; undefined with no observations.
 */
export function bucketQuantileMs(
  q: number,
  counts: ArrayLike<number>,
  boundsMs: ArrayLike<number>,
): number | undefined {
  let total = 0;
  for (let index = 0; index < counts.length; index++) total += counts[index]!;
  if (total === 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < counts.length; index++) {
    const inBucket = counts[index]!;
    if (inBucket > 0 && below + inBucket >= rank) {
      if (index >= boundsMs.length) return boundsMs[boundsMs.length - 1];
      const lower = index === 0 ? 0 : boundsMs[index - 1]!;
      const upper = boundsMs[index]!;
      return lower + (upper - lower) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return boundsMs[boundsMs.length - 1];
}
