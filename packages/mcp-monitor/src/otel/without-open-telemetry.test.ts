// With no @opentelemetry/api to import (an optional peer the application did not install), the
// monitor works the same and says the bridge is unavailable.
import { afterEach, expect, it, vi } from 'vitest';
import { MCPMonitor } from '../index.js';
import { EventFeed } from '../test-support/event-feed.js';

vi.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

const monitors: MCPMonitor[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
});

it('measures without OpenTelemetry installed', async () => {
  const feed = new EventFeed();
  const monitor = new MCPMonitor(feed);
  monitors.push(monitor);
  expect(await monitor.openTelemetry).toBe('unavailable');
  feed.tool('query', 7);
  expect((await monitor.getToolUsage('mcp://db/query')).totalCalls).toBe(1);
});
