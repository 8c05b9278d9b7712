// Where measurements go besides the monitor's own histograms (the OpenTelemetry bridge). The
// store calls it only when one is set, with the series already resolved.
import type { OperationSeries } from '../metrics/operation-series.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';

export interface MetricSink {
  /** A timed call, recorded in `series.histograms[histogramIndex]`. */
  operation(series: OperationSeries, histogramIndex: number, ms: number): void;
  cacheHit(series: OperationSeries): void;
  session(server: ServerMetrics, failed: boolean, ms: number): void;
  retry(server: ServerMetrics): void;
  rateLimited(server: ServerMetrics, source: 'local' | 'server', waitMs: number): void;
  circuitOpened(server: ServerMetrics): void;
}
