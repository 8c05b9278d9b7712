// The JSON export: the status, and every operation series with its buckets (cumulative, as
// in the text formats), so a page or a script can compute rates and percentiles over time.
import type { MetricStore } from '../metrics/metric-store.js';
import type { TargetKind } from '../metrics/operation-series.js';
import { monitorStatus } from '../status/status-builder.js';
import type { McpMonitorStatus } from '../status/monitor-status.js';

export interface McpSeriesJson {
  server: string;
  method: string;
  target?: string;
  targetKind?: TargetKind;
  /** The series that holds calls past the cardinality cap. */
  overflow?: true;
  /** Absent for successful calls. */
  errorType?: string;
  count: number;
  sumSeconds: number;
  /** Cumulative counts per upper bound (seconds), the last one `+Inf`. */
  buckets: Array<{ le: number | '+Inf'; count: number }>;
}

export interface McpMetricsJson {
  status: McpMonitorStatus;
  /** `mcp.client.operation.duration` series. */
  operations: McpSeriesJson[];
}

export function jsonMetrics(store: MetricStore): McpMetricsJson {
  const operations: McpSeriesJson[] = [];
  const bounds = store.buckets.boundsSeconds;
  for (const server of store.servers.values()) {
    for (const series of server.allSeries()) {
      series.histograms.forEach((histogram, index) => {
        const errorType = series.errorTypes[index];
        let cumulative = 0;
        const buckets = Array.from(histogram.counts, (count, bucket) => {
          cumulative += count;
          return {
            le: bucket < bounds.length ? bounds[bucket]! : ('+Inf' as const),
            count: cumulative,
          };
        });
        operations.push({
          server: series.server,
          method: series.method,
          ...(series.target !== undefined ? { target: series.target } : {}),
          ...(series.targetKind !== undefined ? { targetKind: series.targetKind } : {}),
          ...(series.overflow ? { overflow: true as const } : {}),
          ...(errorType !== undefined ? { errorType } : {}),
          count: histogram.count,
          sumSeconds: histogram.sumMs / 1000,
          buckets,
        });
      });
    }
  }
  return { status: monitorStatus(store), operations };
}
