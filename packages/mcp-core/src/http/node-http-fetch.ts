// A fetch for MCP traffic on node:http/https: what the SDK's HTTP transports need of fetch,
// at a fraction of the WHATWG fetch machinery's cost per request (most of an SDK client's
// CPU per HTTP call is fetch itself). Agents are shared by every client with the same TLS
// settings; bodies are decompressed, size-limited, and an answer stream that breaks ends
// with a JSON-RPC error for each request it carried instead of leaving them hanging.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { McpSecurityError } from '@tframex/mcp-api';
import { readFirstSseAnswer } from './first-sse-answer.js';
import { LeanResponse } from './lean-response.js';
import type { RequestSignalScope } from './request-signal-scope.js';
import type { McpTlsMaterial } from '@tframex/mcp-auth-api';
import { agentPoolKey } from '../security/agent-pool-key.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Marks a JSON-RPC error we synthesise for a request whose answer stream broke. */
export const CONNECTION_LOST_MARKER = 'tframex/connection-lost';

export interface NodeHttpFetchOptions {
  /** Alias of the server, for errors. */
  server: string;
  /** Where the request's own abort signal is found (the SDK transport does not pass it). */
  requestSignals?: RequestSignalScope;
  /** Client certificate, CA, verification settings for https. */
  tls?: McpTlsMaterial;
  /** Cap on sockets per origin. */
  maxSockets?: number;
  /** Ask for compressed responses (gzip, deflate, br) and decompress them. */
  enableCompression: boolean;
  /** Largest JSON body, or single SSE event, accepted, in bytes. */
  maxResponseBytes?: number;
}

export interface NodeHttpFetch {
  fetch: FetchLike;
  /** Releases this fetch's hold on the shared agent (the last holder destroys its sockets). */
  close(): void;
}

// --- shared agents ----------------------------------------------------------------------

/** Idle sockets are closed after this long unused (below common server idle limits). */
const IDLE_SOCKET_MS = 4_000;

interface SharedAgent {
  agent: http.Agent;
  holders: number;
}
const agents = new Map<string, SharedAgent>();

function pem(value: McpTlsMaterial['ca']): string | string[] | undefined {
  if (value === undefined) return undefined;
  const one = (v: string | Uint8Array) =>
    typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  return Array.isArray(value) ? value.map(one) : one(value);
}

function agentOptions(
  secure: boolean,
  tls: McpTlsMaterial | undefined,
  maxSockets: number | undefined,
): https.AgentOptions {
  const options: https.AgentOptions = {
    keepAlive: true,
    // The longest-idle free socket goes first, spreading requests over the pool.
    scheduling: 'fifo',
    // Idle sockets are closed before the common server-side idle limit (Node's 5 s), so a
    // request rarely meets a socket the server has just closed. (In-flight requests switch
    // the socket timeout off: a long tool call is not idle.)
    timeout: IDLE_SOCKET_MS,
    ...(maxSockets ? { maxSockets } : {}),
  };
  if (secure && tls) {
    if (tls.cert !== undefined) options.cert = pem(tls.cert);
    if (tls.key !== undefined) options.key = pem(tls.key);
    if (tls.pfx !== undefined)
      options.pfx = typeof tls.pfx === 'string' ? tls.pfx : Buffer.from(tls.pfx);
    if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
    if (tls.ca !== undefined) options.ca = pem(tls.ca);
    if (tls.servername !== undefined) options.servername = tls.servername;
    if (tls.rejectUnauthorized === false) options.rejectUnauthorized = false;
  }
  return options;
}

function holdAgent(
  secure: boolean,
  tls: McpTlsMaterial | undefined,
  maxSockets: number | undefined,
): { agent: http.Agent; release(): void } {
  const key = agentPoolKey(secure, tls, maxSockets);
  let shared = agents.get(key);
  if (!shared) {
    const options = agentOptions(secure, tls, maxSockets);
    const agent = secure ? new https.Agent(options) : new http.Agent(options);
    shared = { agent, holders: 0 };
    agents.set(key, shared);
  }
  shared.holders++;
  let released = false;
  return {
    agent: shared.agent,
    release() {
      if (released) return;
      released = true;
      if (--shared.holders === 0) {
        agents.delete(key);
        shared.agent.destroy();
      }
    },
  };
}

// --- requests ---------------------------------------------------------------------------

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, key) => (out[key] = value));
  } else if (Array.isArray(headers)) {
    for (const [key, value] of headers) out[key!.toLowerCase()] = value!;
  } else {
    for (const key in headers) out[key.toLowerCase()] = (headers as Record<string, string>)[key]!;
  }
  return out;
}

function decoded(message: IncomingMessage, compression: boolean): Readable {
  if (!compression) return message;
  switch ((message.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return message.pipe(zlib.createGunzip());
    case 'deflate':
      return message.pipe(zlib.createInflate());
    case 'br':
      return message.pipe(zlib.createBrotliDecompress());
    default:
      return message;
  }
}

function tooLarge(server: string, limit: number): McpSecurityError {
  return new McpSecurityError(
    `a response from "${server}" exceeded maxResponseBytes (${limit} bytes)`,
    {
      server,
      rule: 'response-size',
    },
  );
}

/** JSON-RPC request ids in a POST body, for the errors a broken answer stream ends with. */
function requestIds(body: string): (string | number)[] {
  try {
    const parsed: unknown = JSON.parse(body);
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    return messages.flatMap((message: { id?: unknown; method?: unknown }) =>
      (typeof message?.id === 'string' || typeof message?.id === 'number') &&
      typeof message.method === 'string'
        ? [message.id]
        : [],
    );
  } catch {
    return [];
  }
}

function brokenStreamEvents(
  server: string,
  requestBody: string | undefined,
): Uint8Array | undefined {
  if (!requestBody) return undefined;
  const ids = requestIds(requestBody);
  if (ids.length === 0) return undefined;
  const text = ids
    .map((id) => {
      const message = {
        jsonrpc: '2.0',
        id,
        error: {
          code: -32000,
          message: `the connection to "${server}" broke before the answer arrived`,
          data: { [CONNECTION_LOST_MARKER]: true },
        },
      };
      return `\n\nevent: message\ndata: ${JSON.stringify(message)}\n\n`;
    })
    .join('');
  return new TextEncoder().encode(text);
}

/** Counts bytes per SSE event (events end at a blank line), across chunk boundaries. */
export class EventSizeMeter {
  #event = 0;
  #line = 0;
  #lineLastByte = -1;
  constructor(private readonly limit: number) {}

  /** False when an event grew past the limit. */
  take(chunk: Uint8Array): boolean {
    let lineStart = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, nl + 1)) {
      const segment = nl - lineStart;
      if (segment > 0) this.#lineLastByte = chunk[nl - 1]!;
      this.#line += segment;
      this.#event += segment + 1;
      if (this.#event > this.limit) return false;
      const blank = this.#line === 0 || (this.#line === 1 && this.#lineLastByte === 0x0d);
      if (blank) this.#event = 0;
      this.#line = 0;
      this.#lineLastByte = -1;
      lineStart = nl + 1;
    }
    const rest = chunk.length - lineStart;
    if (rest > 0) this.#lineLastByte = chunk[chunk.length - 1]!;
    this.#line += rest;
    this.#event += rest;
    return this.#event <= this.limit;
  }
}

/**
 * An SSE body as a web stream: per-event size limit, and on a break before the end, the
 * synthetic errors (the SDK would otherwise wait for the request's timeout). `read` is what
 * readFirstSseAnswer already took from the source, and how the source stood then.
 */
function eventStream(
  source: Readable,
  server: string,
  limit: number | undefined,
  requestBody: string | undefined,
  meter = limit === undefined ? undefined : new EventSizeMeter(limit),
  read: { head: Buffer[]; state: 'open' | 'ended' | 'broken' } = { head: [], state: 'open' },
): ReadableStream<Uint8Array> {
  let finished = false;
  const bytes = (chunk: Buffer) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of read.head) controller.enqueue(bytes(chunk));
      if (read.state !== 'open') {
        finished = true;
        const answer =
          read.state === 'broken' ? brokenStreamEvents(server, requestBody) : undefined;
        if (answer) controller.enqueue(answer);
        controller.close();
        return;
      }
      source.on('data', (chunk: Buffer) => {
        if (finished) return;
        if (meter && !meter.take(chunk)) {
          finished = true;
          source.destroy();
          controller.error(tooLarge(server, limit!));
          return;
        }
        controller.enqueue(bytes(chunk));
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.once('end', () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      const broke = () => {
        if (finished) return;
        finished = true;
        const answer = brokenStreamEvents(server, requestBody);
        if (answer) controller.enqueue(answer);
        controller.close();
      };
      source.once('error', broke);
      source.once('aborted', broke);
      source.once('close', broke);
    },
    pull() {
      source.resume();
    },
    cancel() {
      finished = true;
      source.destroy();
    },
  });
}

function collect(source: Readable, server: string, limit: number | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (limit !== undefined && size > limit) {
        source.destroy();
        reject(tooLarge(server, limit));
        return;
      }
      chunks.push(chunk);
    });
    source.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    source.once('error', reject);
    // A socket that closes before the end: the body is incomplete.
    source.once('close', () => {
      if (!source.readableEnded)
        reject(
          Object.assign(new Error('the connection closed before the body ended'), {
            code: 'ECONNRESET',
          }),
        );
    });
  });
}

/** The headers of an SSE answer handed on as its one JSON message. */
function jsonHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const json = { ...headers, 'content-type': 'application/json' };
  delete json['content-length'];
  delete json['content-encoding'];
  return json;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * Requests in flight per abort signal, behind one listener per signal. Transports often pass
 * one long-lived signal to every request; a listener per request would pile up on it
 * (MaxListenersExceededWarning, and time spent in addEventListener at high concurrency).
 */
const inFlightBySignal = new WeakMap<AbortSignal, Set<http.ClientRequest>>();

function linkAbort(signal: AbortSignal, request: http.ClientRequest): () => void {
  let requests = inFlightBySignal.get(signal);
  if (!requests) {
    const set = new Set<http.ClientRequest>();
    requests = set;
    inFlightBySignal.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        const reason =
          signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
        for (const each of set) each.destroy(reason);
        set.clear();
      },
      { once: true },
    );
  }
  requests.add(request);
  const set = requests;
  return () => void set.delete(request);
}

export function createNodeHttpFetch(options: NodeHttpFetchOptions): NodeHttpFetch {
  const { server, maxResponseBytes, enableCompression } = options;
  const holds: { agent: http.Agent; release(): void }[] = [];
  let plain: http.Agent | undefined;
  let secure: http.Agent | undefined;
  const agentFor = (protocol: string): http.Agent => {
    if (protocol === 'https:') {
      if (!secure) {
        const hold = holdAgent(true, options.tls, options.maxSockets);
        holds.push(hold);
        secure = hold.agent;
      }
      return secure;
    }
    if (!plain) {
      const hold = holdAgent(false, undefined, options.maxSockets);
      holds.push(hold);
      plain = hold.agent;
    }
    return plain;
  };

  const fetch: FetchLike = (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url =
        typeof input === 'string'
          ? new URL(input)
          : input instanceof URL
            ? input
            : new URL(input.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = headerRecord(init.headers);
      const body = init.body;
      if (
        body !== undefined &&
        body !== null &&
        typeof body !== 'string' &&
        !(body instanceof Uint8Array)
      ) {
        reject(new TypeError('this fetch sends string or byte bodies only'));
        return;
      }
      const requestBody = typeof body === 'string' ? body : undefined;
      if (body !== undefined && body !== null)
        headers['content-length'] = String(Buffer.byteLength(body));
      if (enableCompression && headers['accept-encoding'] === undefined)
        headers['accept-encoding'] = 'gzip, deflate, br';
      const signal = init.signal ?? undefined;
      const requestSignal = options.requestSignals?.current();
      const aborted = signal?.aborted ? signal : requestSignal?.aborted ? requestSignal : undefined;
      if (aborted) {
        reject(aborted.reason ?? new DOMException('This operation was aborted', 'AbortError'));
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method,
          headers,
          agent: agentFor(url.protocol),
        },
        (message) => {
          const status = message.statusCode ?? 0;
          const statusText = message.statusMessage ?? '';
          const answer = (body: ConstructorParameters<typeof LeanResponse>[3]) =>
            new LeanResponse(
              status,
              statusText,
              message.headers,
              body,
              url.href,
            ) as unknown as Response;
          if (NULL_BODY_STATUS.has(status) || method === 'HEAD') {
            message.resume();
            resolve(answer({ kind: 'none' }));
            return;
          }
          const source = decoded(message, enableCompression);
          if ((message.headers['content-type'] ?? '').includes('text/event-stream')) {
            // One request (not a batch) is answered by one response, usually alone on the
            // stream: see first-sse-answer.ts. A subscription's stream is its life (the SDK
            // watches it end), so it always stays a stream; so do batches.
            if (requestBody?.[0] !== '{' || requestBody.includes('"subscriptions/listen"')) {
              resolve(
                answer({
                  kind: 'stream',
                  stream: eventStream(source, server, maxResponseBytes, requestBody),
                }),
              );
              return;
            }
            const meter =
              maxResponseBytes === undefined ? undefined : new EventSizeMeter(maxResponseBytes);
            readFirstSseAnswer(
              source,
              meter && ((chunk) => meter.take(chunk)),
              () => tooLarge(server, maxResponseBytes!),
              (first) => {
                if (first instanceof Error) reject(first);
                else if (first.kind === 'response')
                  resolve(
                    new LeanResponse(
                      status,
                      statusText,
                      jsonHeaders(message.headers),
                      { kind: 'bytes', bytes: Buffer.from(first.json) },
                      url.href,
                    ) as unknown as Response,
                  );
                else
                  resolve(
                    answer({
                      kind: 'stream',
                      stream: eventStream(
                        source,
                        server,
                        maxResponseBytes,
                        requestBody,
                        meter,
                        first,
                      ),
                    }),
                  );
              },
            );
            return;
          }
          const declared = Number(message.headers['content-length']);
          if (maxResponseBytes !== undefined && declared > maxResponseBytes) {
            message.destroy();
            reject(tooLarge(server, maxResponseBytes));
            return;
          }
          collect(source, server, maxResponseBytes).then(
            (bytes) => resolve(answer({ kind: 'bytes', bytes })),
            reject,
          );
        },
      );
      if (signal) request.once('close', linkAbort(signal, request));
      if (requestSignal) request.once('close', linkAbort(requestSignal, request));
      request.once('error', reject);
      request.setTimeout(0);
      request.end(body ?? undefined);
    });

  return {
    fetch,
    close() {
      for (const hold of holds.splice(0)) hold.release();
      plain = undefined;
      secure = undefined;
    },
  };
}
