// The node:http fetch against a real HTTP server on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpSecurityError } from '@tframex/mcp-api';
import { CONNECTION_LOST_MARKER, createNodeHttpFetch, EventSizeMeter } from './node-http-fetch.js';

let route: (req: IncomingMessage, res: ServerResponse, body: string) => void;
let base: string;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => route(req, res, body));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fetches: { close(): void }[] = [];
afterEach(() => fetches.splice(0).forEach((f) => f.close()));
function make(options: { maxResponseBytes?: number; enableCompression?: boolean } = {}) {
  const made = createNodeHttpFetch({
    server: 'test',
    enableCompression: options.enableCompression ?? true,
    ...options,
  });
  fetches.push(made);
  return made.fetch;
}

describe('createNodeHttpFetch', () => {
  it('sends method, headers and body, and reads JSON answers like fetch', async () => {
    route = (req, res, body) =>
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'x-echo': String(req.headers['x-in']),
        })
        .end(JSON.stringify({ method: req.method, body }));
    const response = await make()(`${base}/mcp`, {
      method: 'POST',
      headers: new Headers({ 'x-in': 'hello' }),
      body: '{"a":1}',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.ok).toBe(true);
    expect(response.headers.get('X-Echo')).toBe('hello');
    expect(response.headers.has('content-type')).toBe(true);
    const copy = response.clone();
    expect(await response.json()).toEqual({ method: 'POST', body: '{"a":1}' });
    expect(await copy.text()).toBe('{"method":"POST","body":"{\\"a\\":1}"}');
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('asks for compression and decompresses, or not', async () => {
    route = (req, res) => {
      const gzip = String(req.headers['accept-encoding'] ?? '').includes('gzip');
      res
        .writeHead(200, {
          'content-type': 'text/plain',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        })
        .end(gzip ? gzipSync('squeezed') : 'plain');
    };
    expect(await (await make()(`${base}/x`)).text()).toBe('squeezed');
    expect(await (await make({ enableCompression: false })(`${base}/x`)).text()).toBe('plain');
  });

  it('gives null bodies for 204 and HEAD, and streams event streams', async () => {
    route = (req, res) => {
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': '5' }).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 20);
    };
    expect((await make()(`${base}/empty`)).body).toBeNull();
    expect((await make()(`${base}/h`, { method: 'HEAD' })).body).toBeNull();
    expect(await (await make()(`${base}/events`)).text()).toBe('data: one\n\ndata: two\n\n');
  });

  it('ends a broken answer stream with a marked JSON-RPC error for each request it carried', async () => {
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\n',
      );
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await make()(`${base}/mcp`, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call' }),
    });
    const text = await response.text();
    expect(text).toContain('notifications/progress');
    const last = JSON.parse(text.trim().split('data: ').at(-1)!) as {
      id: number;
      error: { data: Record<string, unknown> };
    };
    expect(last.id).toBe(7);
    expect(last.error.data[CONNECTION_LOST_MARKER]).toBe(true);
  });

  it('refuses bodies over the limit: declared, streamed, and per event', async () => {
    const big = 'x'.repeat(2_000);
    route = (req, res) => {
      if (req.url === '/declared')
        return void res.writeHead(200, { 'content-length': String(big.length) }).end(big);
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big.slice(0, 1000));
        return void res.end(big.slice(1000));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: small\n\n');
      res.end(`data: ${big}\n\n`);
    };
    const limited = make({ maxResponseBytes: 1_500 });
    for (const path of ['/declared', '/chunked']) {
      await expect(limited(`${base}${path}`)).rejects.toSatisfy(
        (error) => McpSecurityError.isInstance(error) && error.rule === 'response-size',
      );
    }
    await expect((await limited(`${base}/events`)).text()).rejects.toSatisfy((error) =>
      McpSecurityError.isInstance(error),
    );
  });

  it('aborts every request sharing one signal through a single listener', async () => {
    const pending: ServerResponse[] = [];
    route = (_req, res) => void pending.push(res);
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const fetch = make();
    const calls = Array.from({ length: 40 }, () =>
      fetch(`${base}/slow`, { signal: controller.signal }).catch((error: unknown) => error),
    );
    await expect.poll(() => pending.length).toBe(40);
    controller.abort(new Error('stop'));
    const outcomes = await Promise.all(calls);
    process.off('warning', onWarning);
    expect(outcomes.every((outcome) => outcome instanceof Error)).toBe(true);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    pending.forEach((res) => res.destroy());
  });

  it('reports refused connections with their code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(make()(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

const RESPONSE = '{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"é ✓"}]}}';
const NOTIFICATION = '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}';
const post = (body: unknown) => ({
  method: 'POST',
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('createNodeHttpFetch with SSE answers', () => {
  it('answers one request with its response as JSON, without waiting for the stream to end', async () => {
    let ended = false;
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 's-1' });
      res.write('id: 1\ndata:\n\n');
      setTimeout(() => res.write(`event: message\ndata: ${RESPONSE}\n\n`), 10);
      setTimeout(() => {
        ended = true;
        res.end();
      }, 300);
    };
    const response = await make()(`${base}/mcp`, post({ jsonrpc: '2.0', id: 3, method: 'ping' }));
    expect(ended).toBe(false);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('mcp-session-id')).toBe('s-1');
    expect(await response.json()).toEqual(JSON.parse(RESPONSE));
  });

  it('streams batches, subscriptions, and answers that start with anything but the response', async () => {
    const notificationFirst = `data: ${NOTIFICATION}\n\ndata: ${RESPONSE}\n\n`;
    route = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(req.url === '/progress' ? notificationFirst : `data: ${RESPONSE}\n\n`);
    };
    const fetch = make();
    const request = { jsonrpc: '2.0', id: 3, method: 'tools/call' };
    const listen = { jsonrpc: '2.0', id: 3, method: 'subscriptions/listen' };
    for (const [path, body, text] of [
      ['/progress', request, notificationFirst],
      ['/batch', [request], `data: ${RESPONSE}\n\n`],
      ['/listen', listen, `data: ${RESPONSE}\n\n`],
    ] as const) {
      const response = await fetch(`${base}${path}`, post(body));
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(await response.text()).toBe(text);
    }
  });

  it('holds the size limit while it reads the first events', async () => {
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: {"jsonrpc":"2.0","id":3,"result":{"text":"${'x'.repeat(4_000)}"}}\n\n`);
    };
    await expect(
      make({ maxResponseBytes: 1_000 })(
        `${base}/mcp`,
        post({ jsonrpc: '2.0', id: 3, method: 'ping' }),
      ),
    ).rejects.toSatisfy(
      (error) => McpSecurityError.isInstance(error) && error.rule === 'response-size',
    );
  });
});

describe('EventSizeMeter', () => {
  it('fails exactly when one event outgrows the limit, however the stream is chunked (property)', () => {
    const line = fc.stringMatching(/^[a-z: ]{0,40}$/).filter((text) => text.length > 0);
    const event = fc.array(line, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(200), { maxLength: 10 }),
        fc.integer({ min: 5, max: 120 }),
        (events, cuts, limit) => {
          const text = events.map((lines) => `${lines.join('\n')}\n\n`).join('');
          const bytes = new TextEncoder().encode(text);
          const sizes = events.map((lines) => lines.reduce((sum, l) => sum + l.length + 1, 0) + 1);
          const expected = sizes.every((size) => size <= limit);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const meter = new EventSizeMeter(limit);
          let ok = true;
          let from = 0;
          for (const point of [...points, bytes.length]) {
            if (ok) ok = meter.take(bytes.subarray(from, point));
            from = point;
          }
          expect(ok).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
