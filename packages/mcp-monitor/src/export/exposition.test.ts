// The text formats as a scraper reads them, and the HTTP handler that serves them.
import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPMonitor, type McpMetricsJson } from '../index.js';
import { EventFeed } from '../test-support/event-feed.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function fedMonitor(): { feed: EventFeed; monitor: MCPMonitor } {
  const feed = new EventFeed();
  const monitor = new MCPMonitor(feed);
  stops.push(() => monitor.close());
  feed.emit('connection:state', {
    server: 'db',
    state: 'connected',
    transport: 'streamable-http',
    serverAddress: '127.0.0.1',
    serverPort: 8080,
    protocolVersion: '2025-11-25',
  });
  feed.tool('query', 15);
  feed.tool('query', 40, { outcome: 'tool-error', errorKind: 'tool' });
  feed.call({ method: 'prompts/get', prompt: 'greet', target: 'greet', durationMs: 3 });
  feed.emit('retry', { server: 'db', method: 'tools/call', attempt: 2, delayMs: 10 });
  return { feed, monitor };
}

describe('exportMetrics', () => {
  it('writes the conventions’ histogram with its attributes in Prometheus text', async () => {
    const { monitor } = fedMonitor();
    const text = await monitor.exportMetrics({ format: 'prometheus' });
    expect(text).toContain('# TYPE mcp_client_operation_duration_seconds histogram');
    expect(text).toContain('# TYPE mcp_client_retries_total counter');
    const labels =
      'mcp_server="db",mcp_method_name="tools/call",gen_ai_tool_name="query",mcp_protocol_version="2025-11-25",network_transport="tcp",network_protocol_name="http",server_address="127.0.0.1",server_port="8080"';
    expect(text).toContain(`mcp_client_operation_duration_seconds_bucket{${labels},le="0.01"} 0`);
    expect(text).toContain(`mcp_client_operation_duration_seconds_bucket{${labels},le="0.02"} 1`);
    expect(text).toContain(`mcp_client_operation_duration_seconds_bucket{${labels},le="+Inf"} 1`);
    expect(text).toContain(
      `mcp_client_operation_duration_seconds_count{${labels},error_type="tool_error"} 1`,
    );
    expect(text).toContain(
      `mcp_client_operation_duration_seconds_sum{${labels},error_type="tool_error"} 0.04`,
    );
    expect(text).toContain('gen_ai_prompt_name="greet"');
    expect(text).toContain('mcp_client_up{mcp_server="db"} 1');
    expect(text).not.toContain('# EOF');
    // Each bucket boundary of the conventions is there, in seconds.
    for (const le of ['0.01', '0.05', '1', '30', '300', '+Inf'])
      expect(text).toContain(`le="${le}"`);
  });

  it('writes OpenMetrics: counters typed without _total, every unit a suffix of its name, # EOF last', async () => {
    const { monitor } = fedMonitor();
    const text = await monitor.exportMetrics({ format: 'openmetrics' });
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE mcp_client_retries counter');
    expect(text).toContain('mcp_client_retries_total{mcp_server="db"} 1');
    expect(text).toContain('# UNIT mcp_client_operation_duration_seconds seconds');
    const units = [...text.matchAll(/^# UNIT (\S+) (\S+)$/gm)];
    expect(units.length).toBeGreaterThan(1);
    for (const [, name, unit] of units) expect(name!.endsWith(`_${unit}`)).toBe(true);
    // Every sample belongs to the family declared last.
    let family = '';
    for (const line of text.split('\n')) {
      const declared = /^# TYPE (\S+) /.exec(line);
      if (declared) family = declared[1]!;
      else if (line !== '' && !line.startsWith('#')) expect(line.startsWith(family)).toBe(true);
    }
  });

  it('counts the bytes sent and received that the source measured, per server', async () => {
    const { feed, monitor } = fedMonitor();
    feed.tool('query', 5, { bytesSent: 120, bytesReceived: 2_000 });
    feed.tool('query', 5, { bytesSent: 80, bytesReceived: 1_000 });
    const text = await monitor.exportMetrics({ format: 'openmetrics' });
    expect(text).toContain('# UNIT mcp_client_sent_bytes bytes');
    expect(text).toContain('mcp_client_sent_bytes_total{mcp_server="db"} 200');
    expect(text).toContain('mcp_client_received_bytes_total{mcp_server="db"} 3000');
    expect((await monitor.getStatus()).servers[0]!.totals).toMatchObject({
      bytesSent: 200,
      bytesReceived: 3_000,
    });
  });

  it('exports JSON with the status and cumulative buckets per series', async () => {
    const { monitor } = fedMonitor();
    const json = JSON.parse(await monitor.exportMetrics({ format: 'json' }));
    expect(json.status.servers[0]).toMatchObject({ server: 'db', connected: true });
    const failed = json.operations.find(
      (series: { errorType?: string }) => series.errorType === 'tool_error',
    );
    expect(failed).toMatchObject({
      server: 'db',
      method: 'tools/call',
      target: 'query',
      targetKind: 'tool',
      count: 1,
    });
    expect(failed.buckets.at(-1)).toEqual({ le: '+Inf', count: 1 });
    expect(failed.buckets[2]).toEqual({ le: 0.05, count: 1 });
  });
});

describe('metricsHandler', () => {
  async function serve(monitor: MCPMonitor): Promise<string> {
    const server: Server = createServer(monitor.metricsHandler());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves OpenMetrics to a scraper that asks for it, Prometheus text otherwise', async () => {
    const { monitor } = fedMonitor();
    const url = await serve(monitor);
    const scraped = await fetch(`${url}/metrics`, {
      headers: {
        accept:
          'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      },
    });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(await scraped.text()).toMatch(/# EOF\n$/);
    const plain = await fetch(`${url}/metrics`);
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await plain.text()).toContain('mcp_client_retries_total');
    const json = await fetch(`${url}/metrics?format=json`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as McpMetricsJson).status.servers).toHaveLength(1);
  });

  it('gzips what it serves to a client that accepts gzip, as Prometheus does', async () => {
    const { monitor } = fedMonitor();
    const url = await serve(monitor);
    const raw = (headers: Record<string, string>) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
        get(`${url}/metrics`, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ headers: response.headers, body: Buffer.concat(chunks) }),
          );
        }).on('error', reject),
      );
    const zipped = await raw({ 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(zipped.body).toString('utf8');
    expect(text).toBe(await monitor.exportMetrics());
    expect(zipped.body.length).toBeLessThan(text.length / 4);
    const plain = await raw({ 'accept-encoding': 'gzip;q=0, identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(text);
  });

  it('answers HEAD without a body, refuses other methods and unknown formats', async () => {
    const { monitor } = fedMonitor();
    const url = await serve(monitor);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const post = await fetch(url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${url}?format=xml`)).status).toBe(400);
  });
});
