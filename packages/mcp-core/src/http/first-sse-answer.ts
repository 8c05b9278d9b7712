// The SSE answer to a single JSON-RPC request usually carries one event, the response, and
// then ends. Read as a stream, every such answer costs the SDK a pipeline of web streams
// (TextDecoderStream, an SSE parser stream, and the error each one's flush raises): most
// of its CPU for an HTTP call. So the first events are read here: when the first one with
// data is the response (after nothing but empty priming events), the answer is handed on as
// that JSON alone. Anything else keeps the stream intact, with what was read at its head:
// a notification or request before the response (progress must arrive as it happens), an
// event type other than `message`, a `retry:` field, a body that ends or breaks first.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export type FirstSseAnswer =
  | { kind: 'response'; json: string }
  | {
      kind: 'stream';
      /** Chunks read so far, in order: the stream must start with them. */
      head: Buffer[];
      /** How the body stood when the reading stopped. */
      state: 'open' | 'ended' | 'broken';
    };

type Verdict = { kind: 'response'; json: string } | 'stream' | 'wait';

/** One SSE event's fields that matter here (the rest are ignored, as the SSE spec says). */
function readEvent(block: string): { data: string; type: string | undefined; retry: boolean } {
  const data: string[] = [];
  let type: string | undefined;
  let retry = false;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'retry') retry = true;
  }
  return { data: data.join('\n'), type, retry };
}

function isResponse(json: string): boolean {
  let message: unknown;
  try {
    message = JSON.parse(json);
  } catch {
    return false;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  const m = message as Record<string, unknown>;
  return (
    m.jsonrpc === '2.0' &&
    (typeof m.id === 'string' || typeof m.id === 'number') &&
    !('method' in m) &&
    ('result' in m || 'error' in m)
  );
}

/** What the complete events in `text` decide; `wait` until one with data has arrived. */
function judge(text: string, final: boolean): Verdict {
  // A trailing CR may be the first half of a CRLF still on its way, unless nothing follows.
  const settled = (!final && text.endsWith('\r') ? text.slice(0, -1) : text).replace(
    /\r\n?/g,
    '\n',
  );
  const blocks = settled.split('\n\n');
  blocks.pop(); // the event still being written, if any
  for (const block of blocks) {
    const event = readEvent(block);
    if (event.retry) return 'stream';
    if (event.data === '') continue;
    if (event.type !== undefined && event.type !== 'message') return 'stream';
    return isResponse(event.data) ? { kind: 'response', json: event.data } : 'stream';
  }
  return 'wait';
}

/**
 * Reads `source` until its first event with data, then calls `settle` once, synchronously
 * from the source's own event (so whoever takes the stream over attaches its listeners
 * before anything else can happen to it). `meter` sees every chunk and returns false when
 * one is too large: `settle` then gets the error. After a `response` verdict the rest of the
 * body is read and dropped, so the socket goes back to the pool; after a `stream` verdict the
 * source is paused with no listeners of ours left on it.
 */
export function readFirstSseAnswer(
  source: Readable,
  meter: ((chunk: Buffer) => boolean) | undefined,
  tooLarge: () => Error,
  settle: (answer: FirstSseAnswer | Error) => void,
): void {
  const head: Buffer[] = [];
  const decoder = new StringDecoder('utf8');
  let text = '';
  let done = false;
  const finish = (answer: FirstSseAnswer | Error) => {
    done = true;
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onBroken);
    source.off('aborted', onBroken);
    source.off('close', onBroken);
    settle(answer);
  };
  function onData(chunk: Buffer): void {
    if (done) return;
    if (meter && !meter(chunk)) {
      finish(tooLarge());
      source.on('error', () => undefined);
      source.destroy(); // an IncomingMessage says 'aborted' at once: we are not listening now
      return;
    }
    head.push(chunk);
    text += decoder.write(chunk);
    const verdict = judge(text, false);
    if (verdict === 'wait') return;
    if (verdict === 'stream') {
      source.pause();
      finish({ kind: 'stream', head, state: 'open' });
      return;
    }
    // Drain what follows (nothing, from a server that ends the stream as it should).
    source.on('data', () => undefined);
    source.on('error', () => undefined);
    finish(verdict);
  }
  function onEnd(): void {
    if (done) return;
    const verdict = judge(text + decoder.end(), true);
    finish(typeof verdict === 'object' ? verdict : { kind: 'stream', head, state: 'ended' });
  }
  function onBroken(): void {
    if (!done) finish({ kind: 'stream', head, state: 'broken' });
  }
  source.on('data', onData);
  source.once('end', onEnd);
  source.once('error', onBroken);
  source.once('aborted', onBroken);
  source.once('close', onBroken);
}
