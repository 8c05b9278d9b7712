import { describe, expect, it } from 'vitest';
import { bucketQuantileMs } from './bucket-quantile.js';

const bounds = [10, 20, 50, 100];

describe('bucketQuantileMs', () => {
  it('interpolates inside the bucket holding the rank, from 0 for the first bucket', () => {
    // 10 observations in (0, 10]: the median is half way.
    expect(bucketQuantileMs(0.5, [10, 0, 0, 0, 0], bounds)).toBe(5);
    // 4 in (0,10], 4 in (10,20], 2 in (20,50]: rank 9.5 lies 3/4 through the third bucket.
    expect(bucketQuantileMs(0.95, [4, 4, 2, 0, 0], bounds)).toBeCloseTo(42.5);
    expect(bucketQuantileMs(0.4, [4, 4, 2, 0, 0], bounds)).toBeCloseTo(10);
  });

  it('answers the highest finite bound for a rank in +Inf, and undefined with no data', () => {
    expect(bucketQuantileMs(0.99, [1, 0, 0, 0, 9], bounds)).toBe(100);
    expect(bucketQuantileMs(0.5, [0, 0, 0, 0, 0], bounds)).toBeUndefined();
  });
});
