// The slice of OpenTelemetry's metrics API the bridge uses, structurally, so the package's
// types do not depend on @opentelemetry/api (an optional peer): a MeterProvider from it fits.

export type McpOtelAttributes = Record<string, string | number | boolean>;

export interface McpOtelHistogram {
  record(value: number, attributes?: McpOtelAttributes): void;
}

export interface McpOtelCounter {
  add(value: number, attributes?: McpOtelAttributes): void;
}

export interface McpOtelMeter {
  createHistogram(
    name: string,
    options?: {
      description?: string;
      unit?: string;
      advice?: { explicitBucketBoundaries?: number[] };
    },
  ): McpOtelHistogram;
  createCounter(name: string, options?: { description?: string; unit?: string }): McpOtelCounter;
}

/** An OpenTelemetry MeterProvider (`metrics.getMeterProvider()`, or an SDK's `MeterProvider`). */
export interface McpMeterProvider {
  getMeter(name: string, version?: string): McpOtelMeter;
}
