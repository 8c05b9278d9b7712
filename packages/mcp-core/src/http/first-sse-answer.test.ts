// readFirstSseAnswer on a real stream fed in arbitrary chunks, and the node:http fetch that
// uses it against a real HTTP server on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpSecurityError } from '@tframex/mcp-api';
import { readFirstSseAnswer, type FirstSseAnswer } from './first-sse-answer.js';
import { createNodeHttpFetch } from './node-http-fetch.js';

const RESPONSE = '{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"é ✓"}]}}';
const NOTIFICATION = '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}';

/** Feeds `text` to readFirstSseAnswer cut at `cuts`, then ends it (or breaks it). */
function read(
  text: string,
  cuts: number[] = [],
  end: 'end' | 'break' = 'end',
  meter?: (chunk: Buffer) => boolean,
): Promise<{ answer: FirstSseAnswer | Error; rest: Buffer[] }> {
  const bytes = Buffer.from(text);
  const source = new PassThrough();
  const rest: Buffer[] = [];
  return new Promise((resolve) => {
    readFirstSseAnswer(
      source,
      meter,
      () => new Error('too large'),
      (answer) => {
        if (!(answer instanceof Error) && answer.kind === 'stream' && answer.state === 'open') {
          source.on('data', (chunk: Buffer) => rest.push(chunk));
          source.resume();
          source.once('end', () => resolve({ answer, rest }));
        } else resolve({ answer, rest });
      },
    );
    const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const point of [...points, bytes.length]) {
      source.write(bytes.subarray(from, point));
      from = point;
    }
    if (end === 'end') source.end();
    else source.destroy();
  });
}

const whole = (answer: FirstSseAnswer | Error, rest: Buffer[]) =>
  answer instanceof Error || answer.kind !== 'stream'
    ? undefined
    : Buffer.concat([...answer.head, ...rest]).toString();

describe('readFirstSseAnswer', () => {
  it('hands on a lone response, after priming events, however the body is chunked (property)', async () => {
    const newline = fc.constantFrom('\n', '\r\n', '\r');
    await fc.assert(
      fc.asyncProperty(newline, fc.array(fc.nat(400), { maxLength: 12 }), async (nl, cuts) => {
        const text =
          `: keep-alive${nl}${nl}id: 17${nl}data:${nl}${nl}` +
          `event: message${nl}id: 18${nl}data: ${RESPONSE}${nl}${nl}`;
        const { answer } = await read(text, cuts);
        expect(answer).toEqual({ kind: 'response', json: RESPONSE });
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the stream, every byte in order, when anything else comes first (property)', async () => {
    const first = fc.constantFrom(
      `data: ${NOTIFICATION}\n\n`, // progress must arrive as it happens
      `retry: 500\ndata:\n\n`, // the SDK must see the server's retry advice
      `event: endpoint\ndata: ${RESPONSE}\n\n`, // not a message event
      `data: {"jsonrpc":"2.0","id":3,"method":"elicitation/create","params":{}}\n\n`,
      `data: not json\n\n`,
      `data: [${RESPONSE}]\n\n`,
    );
    await fc.assert(
      fc.asyncProperty(first, fc.array(fc.nat(400), { maxLength: 8 }), async (head, cuts) => {
        const text = `${head}data: ${RESPONSE}\n\n`;
        const { answer, rest } = await read(text, cuts);
        expect(answer).toMatchObject({ kind: 'stream' });
        expect(whole(answer, rest)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('reports a body that ends or breaks before any data, with what it read', async () => {
    const ended = await read('id: 1\ndata:\n\n');
    expect(ended.answer).toEqual({ kind: 'stream', head: [expect.any(Buffer)], state: 'ended' });
    const broken = await read('id: 1\ndata:\n\ndata: {"jsonrpc"', [], 'break');
    expect(broken.answer).toMatchObject({ kind: 'stream', state: 'broken' });
  });

  it('gives the meter every chunk, and stops at the first it refuses', async () => {
    const seen: number[] = [];
    const { answer } = await read(`data: ${RESPONSE}\n\n`, [10, 20], 'end', (chunk) => {
      seen.push(chunk.length);
      return seen.length < 2;
    });
    expect(answer).toEqual(new Error('too large'));
    expect(seen).toEqual([10, 10]);
  });
});

// --- through the fetch ------------------------------------------------------------------

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
function make(maxResponseBytes?: number) {
  const made = createNodeHttpFetch({ server: 'test', enableCompression: true, maxResponseBytes });
  fetches.push(made);
  return made.fetch;
}
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
      make(1_000)(`${base}/mcp`, post({ jsonrpc: '2.0', id: 3, method: 'ping' })),
    ).rejects.toSatisfy(
      (error) => McpSecurityError.isInstance(error) && error.rule === 'response-size',
    );
  });
});
