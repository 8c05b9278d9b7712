// One labelled series of `mcp.client.operation.duration`: a server, a method and its target
// (tool, prompt or, when opted in, resource URI). It holds a histogram per error type (success
// first) and a rolling window of recent calls. Resolved once per key; then recording is a few
// increments.
import type { DurationBuckets } from './duration-buckets.js';
import { DurationHistogram } from './duration-histogram.js';
import { countsAsError } from './error-type.js';
import { RollingWindow, type WindowShape } from './rolling-window.js';
import type { ServerMetrics } from './server-metrics.js';

/** Which attribute the target of a series fills. */
export type TargetKind = 'tool' | 'prompt' | 'resource';

export interface SeriesKey {
  readonly server: string;
  readonly method: string;
  readonly target: string | undefined;
  readonly targetKind: TargetKind | undefined;
  /** The series that takes calls past the cardinality cap. */
  readonly overflow: boolean;
}

export class OperationSeries implements SeriesKey {
  readonly server: string;
  readonly method: string;
  readonly target: string | undefined;
  readonly targetKind: TargetKind | undefined;
  readonly overflow: boolean;
  /** Error type per histogram; `undefined` (success) first. */
  readonly errorTypes: Array<string | undefined> = [undefined];
  readonly histograms: DurationHistogram[];
  readonly window: RollingWindow;
  /** Calls answered from a cache (not timed: no server was asked). */
  cacheHits = 0;
  /** `performance.now()` time the last call ended, or -1. */
  lastAtMs = -1;
  /** Exposition label text, built once by the exporter. */
  labelText: string | undefined;
  /** OpenTelemetry attributes per histogram, built once by the bridge. */
  otelAttributes: Array<Record<string, string | number | boolean>> | undefined;
  /** The server the series belongs to. */
  readonly serverMetrics: ServerMetrics;
  readonly #buckets: DurationBuckets;

  constructor(
    owner: ServerMetrics,
    key: Omit<SeriesKey, 'server'>,
    buckets: DurationBuckets,
    window: WindowShape,
  ) {
    this.serverMetrics = owner;
    this.server = owner.name;
    this.method = key.method;
    this.target = key.target;
    this.targetKind = key.targetKind;
    this.overflow = key.overflow;
    this.#buckets = buckets;
    this.histograms = [new DurationHistogram(buckets)];
    this.window = new RollingWindow(window, buckets);
  }

  /** Records one timed call; `errorType` undefined for success. Returns the histogram's index. */
  observe(ms: number, endedAtMs: number, errorType: string | undefined): number {
    const bucketIndex = this.#buckets.indexOf(ms);
    this.lastAtMs = endedAtMs;
    if (errorType === undefined) {
      this.histograms[0]!.add(bucketIndex, ms);
      this.window.add(endedAtMs, bucketIndex, ms, false);
      return 0;
    }
    const index = this.#indexOf(errorType);
    this.histograms[index]!.add(bucketIndex, ms);
    this.window.add(endedAtMs, bucketIndex, ms, countsAsError(errorType));
    return index;
  }

  /** Every timed call of the series, whatever its outcome. */
  get count(): number {
    let count = 0;
    for (const histogram of this.histograms) count += histogram.count;
    return count;
  }

  /** Timed calls that ended with `errorType`. */
  countOf(errorType: string): number {
    const index = this.errorTypes.indexOf(errorType);
    return index < 0 ? 0 : this.histograms[index]!.count;
  }

  #indexOf(errorType: string): number {
    // Few error types per series: a scan beats a map.
    const types = this.errorTypes;
    for (let index = 1; index < types.length; index++) {
      if (types[index] === errorType) return index;
    }
    types.push(errorType);
    this.histograms.push(new DurationHistogram(this.#buckets));
    return types.length - 1;
  }
}
