// The dashboard handler over HTTP, without a browser: the page is self-contained with a strict
// CSP, `?data` answers the JSON export, other methods are refused, names are escaped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpConfigError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPMonitor, type McpMetricsJson } from '../index.js';
import { EventFeed } from '../test-support/event-feed.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function serve(options = {}): Promise<{ url: string; feed: EventFeed; monitor: MCPMonitor }> {
  const feed = new EventFeed();
  const monitor = new MCPMonitor(feed, { openTelemetry: false });
  stops.push(() => monitor.close());
  const server: Server = createServer(monitor.dashboardHandler(options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ops/`, feed, monitor };
}

describe('dashboardHandler', () => {
  it('serves one self-contained page with a CSP that allows only its own scripts', async () => {
    const { url } = await serve({ title: 'Ops <board>' });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp.match(/'sha256-[A-Za-z0-9+/=]+'/g)).toHaveLength(2);
    const html = await response.text();
    expect(html).toContain('<title>Ops &#60;board&#62;</title>');
    expect(html).toContain('uPlot');
    // Nothing is loaded from elsewhere (uPlot's licence comment names its home, which is fine).
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(\s*['"]?https?:|@import/);
  });

  it('answers ?data with the JSON export, relative to wherever it is mounted', async () => {
    const { url, feed } = await serve();
    feed.tool('query', 12);
    const data = (await (await fetch(`${url}?data`)).json()) as McpMetricsJson;
    expect(data.status.servers[0]!.server).toBe('db');
    expect(data.operations[0]).toMatchObject({ target: 'query', count: 1 });
  });

  it('refuses other methods and a refresh faster than 100 ms', async () => {
    const { url, monitor } = await serve();
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(() => monitor.dashboardHandler({ refreshMs: 10 })).toThrow(McpConfigError);
  });
});
