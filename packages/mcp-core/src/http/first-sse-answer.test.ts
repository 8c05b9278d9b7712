// readFirstSseAnswer on a real stream fed in arbitrary chunks. Through the fetch that uses
// it, against a real HTTP server: node-http-fetch.test.ts.
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFirstSseAnswer, type FirstSseAnswer } from './first-sse-answer.js';

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
