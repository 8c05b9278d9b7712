// The application's global MeterProvider, through @opentelemetry/api when it is installed (an
// optional peer dependency). Without it the monitor works the same, minus the bridge.
import type { McpMeterProvider } from './meter-types.js';

export async function globalMeterProvider(): Promise<McpMeterProvider | undefined> {
  try {
    const api = await import('@opentelemetry/api');
    return api.metrics.getMeterProvider() as unknown as McpMeterProvider;
  } catch {
    return undefined;
  }
}
