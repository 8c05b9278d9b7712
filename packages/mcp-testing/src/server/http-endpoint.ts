// The server's HTTP face as a web-standard fetch handler: both protocol eras on one URL
// (legacy 2025-11-25 sessions, served by session-bound SDK transports; modern 2026-07-28
// stateless requests, served by the SDK's createMcpHandler), auth, protected resource
// metadata, and the faults that act at the HTTP edge.
import { randomUUID } from 'node:crypto';
import type { McpProtocolEra } from '@tframex/mcp-api';
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpHttpHandler,
  type McpServer,
} from '@modelcontextprotocol/server';
import { protectedResourceMetadataUrl, type AuthGate } from '../auth/server-auth.js';
import { ignore } from '../config/ignore.js';
import type { HttpStatusFault } from '../faults/fault.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { ListPaging } from './list-paging.js';
import type { RequestLog } from '../recording/request-log.js';
import type { RequestRecord } from '../recording/request-record.js';
import type { RecordedHttpRequest } from './http-log.js';
import type { InstanceFactory } from './instance-factory.js';
import { MessageTap, tapConnectedTransport } from './message-tap.js';

/** Which protocol eras an endpoint serves. */
export type MockServerEra = 'legacy' | 'modern' | 'both';

export interface HttpEndpointOptions {
  era: MockServerEra;
  /** The MCP path, for protected resource metadata asked for at the origin's root. */
  path: string;
  maxRequestBodyBytes: number;
  /** SSE keep-alive comment interval (the SDK's default is 15 s; 0 disables). */
  sseKeepAliveMs: number | undefined;
}

export interface HttpEndpointDeps {
  factory: InstanceFactory;
  log: RequestLog;
  faults: FaultInjector;
  paging: ListPaging;
  auth: () => AuthGate | undefined;
  httpLog: RecordedHttpRequest[];
  onError: (error: Error) => void;
}

/** Lets the edge cut the underlying connection (a socket on node:http; absent under msw). */
export interface HttpConnection {
  destroy(): void;
}

export interface HttpFetchOptions {
  connection?: HttpConnection;
}

interface JsonRpcRequestLike {
  jsonrpc: '2.0';
  id: string | number;
  method: string;
  params?: Record<string, unknown>;
}

interface LegacySession {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly mcp: McpServer;
}

const WELL_KNOWN_PRM = '/.well-known/oauth-protected-resource';

function jsonRpcError(
  status: number,
  code: number,
  message: string,
  id: string | number | null = null,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id }, { status, headers });
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function requestsIn(body: unknown): JsonRpcRequestLike[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter(
    (m): m is JsonRpcRequestLike =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as JsonRpcRequestLike).method === 'string' &&
      (typeof (m as JsonRpcRequestLike).id === 'string' ||
        typeof (m as JsonRpcRequestLike).id === 'number'),
  );
}

async function readBody(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  const reader = request.clone().body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class HttpEndpoint {
  readonly #deps: HttpEndpointDeps;
  readonly #options: HttpEndpointOptions;
  readonly #sessions = new Map<string, LegacySession>();
  readonly #pendingSessions = new Set<LegacySession>();
  readonly #exchanges = new WeakMap<Request, Map<string | number, RequestRecord>>();
  readonly #stalls = new Set<ReadableStreamDefaultController<Uint8Array>>();
  #modern: McpHttpHandler | undefined;
  #closed = false;

  constructor(deps: HttpEndpointDeps, options: HttpEndpointOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  get sessionIds(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Publishes a change to modern-era `subscriptions/listen` streams. */
  get modernNotifier(): McpHttpHandler['notify'] | undefined {
    return this.#modern?.notify;
  }

  async killSession(id: string): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (!session) return false;
    this.#sessions.delete(id);
    await session.mcp.close().catch(ignore);
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const controller of this.#stalls) {
      try {
        controller.close();
      } catch {
        // already closed by the client
      }
    }
    this.#stalls.clear();
    const sessions = [...this.#sessions.values(), ...this.#pendingSessions];
    this.#sessions.clear();
    this.#pendingSessions.clear();
    await Promise.all(sessions.map((session) => session.mcp.close().catch(ignore)));
    await this.#modern?.close();
  }

  async fetch(request: Request, options: HttpFetchOptions = {}): Promise<Response> {
    const receivedAt = Date.now();
    const response = await this.#handle(request, options).catch((error: unknown) => {
      this.#deps.onError(error instanceof Error ? error : new Error(String(error)));
      return jsonRpcError(500, -32603, 'Internal server error');
    });
    const url = new URL(request.url);
    this.#deps.httpLog.push({
      method: request.method.toUpperCase(),
      path: url.pathname + url.search,
      status: response.status,
      headers: headerRecord(request.headers),
      sessionId: request.headers.get('mcp-session-id') ?? undefined,
      receivedAt,
    });
    return response;
  }

  async #handle(request: Request, { connection }: HttpFetchOptions): Promise<Response> {
    if (this.#closed) return jsonRpcError(503, -32000, 'The mock server has stopped');
    const url = new URL(request.url);
    if (url.pathname === WELL_KNOWN_PRM || url.pathname.startsWith(`${WELL_KNOWN_PRM}/`)) {
      return this.#resourceMetadata(request, url);
    }
    if (url.pathname.startsWith('/.well-known/'))
      return Response.json({ error: 'not_found' }, { status: 404 });
    const resourceUrl = url.origin + url.pathname;
    const method = request.method.toUpperCase();
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      return jsonRpcError(405, -32000, 'Method not allowed.', null, { allow: 'GET, POST, DELETE' });
    }

    let parsedBody: unknown;
    if (method === 'POST') {
      const text = await readBody(request, this.#options.maxRequestBodyBytes);
      if (text === undefined) {
        return jsonRpcError(
          413,
          -32000,
          `Payload Too Large: the body exceeds ${this.#options.maxRequestBodyBytes} bytes`,
        );
      }
      try {
        parsedBody = JSON.parse(text);
      } catch {
        parsedBody = undefined; // the SDK answers the parse error itself
      }
    }
    const requests = requestsIn(parsedBody);
    const sessionId = request.headers.get('mcp-session-id') ?? undefined;
    const era = await this.#eraOf(request, parsedBody);
    const headers = headerRecord(request.headers);
    const records = new Map<string | number, RequestRecord>();
    for (const message of requests) {
      records.set(
        message.id,
        this.#deps.log.begin({
          id: message.id,
          method: message.method,
          params: message.params,
          transport: 'http',
          era,
          sessionId,
          headers,
        }),
      );
    }
    this.#exchanges.set(request, records);

    const gate = this.#deps.auth();
    let authInfo: AuthInfo | undefined;
    if (gate) {
      const verdict = gate.authenticate(request, resourceUrl);
      if (verdict instanceof Response) return this.#refuse(records, verdict);
      authInfo = verdict;
      const tool = requests.find((m) => m.method === 'tools/call')?.params?.['name'];
      if (typeof tool === 'string') {
        const refusal = gate.toolScopeRefusal(authInfo, tool, resourceUrl);
        if (refusal) return this.#refuse(records, refusal);
      }
    }

    let dropMidResponse = false;
    const first = requests[0];
    const firstRecord = first === undefined ? undefined : records.get(first.id);
    if (first && firstRecord) {
      const selected = this.#deps.faults.select(
        {
          method: first.method,
          params: first.params,
          target: firstRecord.target,
          era,
          transport: 'http',
          sessionId,
        },
        'http',
      );
      for (const { spec } of selected) {
        firstRecord.noteFault(spec.type);
        switch (spec.type) {
          case 'http':
            return this.#refuse(records, this.#statusResponse(spec, first.id, resourceUrl));
          case 'kill-session':
            if (sessionId !== undefined) await this.killSession(sessionId);
            return this.#refuse(records, jsonRpcError(404, -32001, 'Session not found', first.id));
          case 'stall':
            firstRecord.settle({ type: 'fault', fault: 'stall' });
            return this.#stalled(request);
          case 'malformed':
            firstRecord.settle({ type: 'fault', fault: 'malformed' });
            return new Response(
              `{"jsonrpc":"2.0","id":${JSON.stringify(first.id)},"result":{"content":[`,
              {
                status: 200,
                headers: { 'content-type': 'application/json' },
              },
            );
          case 'drop':
            firstRecord.settle({ type: 'fault', fault: 'drop' });
            if (spec.phase === 'before-response') {
              if (!connection) return Response.error();
              connection.destroy();
              return new Response(null, { status: 502 });
            }
            dropMidResponse = true;
            break;
          default:
            break;
        }
      }
    }

    const response =
      era === 'legacy'
        ? await this.#serveLegacy(request, parsedBody, sessionId, authInfo, first, records)
        : await this.#modernHandler().fetch(request, {
            ...(parsedBody === undefined ? {} : { parsedBody }),
            ...(authInfo === undefined ? {} : { authInfo }),
          });
    await this.#settleFromResponse(records, response);
    return dropMidResponse ? this.#dropMidResponse(response, connection) : response;
  }

  async #eraOf(request: Request, parsedBody: unknown): Promise<McpProtocolEra> {
    if (this.#options.era !== 'both') return this.#options.era;
    return (await isLegacyRequest(request, parsedBody)) ? 'legacy' : 'modern';
  }

  #recordOf(id: string | number, request: Request | undefined): RequestRecord | undefined {
    return request ? this.#exchanges.get(request)?.get(id) : undefined;
  }

  #tap(era: McpProtocolEra, sessionId: () => string | undefined): MessageTap {
    return new MessageTap(this.#deps.log, this.#deps.faults, {
      transport: 'http',
      eraOf: () => era,
      sessionId,
      recordOf: (id, extra) => this.#recordOf(id, extra?.request),
      paging: this.#deps.paging,
    });
  }

  async #serveLegacy(
    request: Request,
    parsedBody: unknown,
    sessionId: string | undefined,
    authInfo: AuthInfo | undefined,
    first: JsonRpcRequestLike | undefined,
    records: Map<string | number, RequestRecord>,
  ): Promise<Response> {
    const handleOptions = {
      ...(parsedBody === undefined ? {} : { parsedBody }),
      ...(authInfo === undefined ? {} : { authInfo }),
    };
    if (sessionId !== undefined) {
      const session = this.#sessions.get(sessionId);
      if (!session) return jsonRpcError(404, -32001, 'Session not found', first?.id ?? null);
      return session.transport.handleRequest(request, handleOptions);
    }
    if (request.method.toUpperCase() === 'POST' && parsedBody === undefined) {
      return jsonRpcError(400, -32700, 'Parse error: Invalid JSON');
    }
    const initializing = requestsIn(parsedBody).some((m) => m.method === 'initialize');
    if (request.method.toUpperCase() !== 'POST' || !initializing) {
      return jsonRpcError(
        400,
        -32000,
        'Bad Request: No valid session ID provided',
        first?.id ?? null,
      );
    }
    const transport: WebStandardStreamableHTTPServerTransport =
      new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          this.#pendingSessions.delete(session);
          this.#sessions.set(id, session);
        },
        onsessionclosed: (id) => {
          const closing = this.#sessions.get(id);
          this.#sessions.delete(id);
          void closing?.mcp.close().catch(ignore);
        },
        ...(this.#options.sseKeepAliveMs === undefined
          ? {}
          : { keepAliveMs: this.#options.sseKeepAliveMs }),
      });
    const mcp = this.#deps.factory.create(
      { transport: 'http', era: 'legacy', sessionId: () => transport.sessionId },
      true,
    );
    const session: LegacySession = { transport, mcp };
    this.#pendingSessions.add(session);
    mcp.server.onerror = (error) => this.#deps.onError(error);
    await mcp.connect(transport);
    tapConnectedTransport(
      transport,
      this.#tap('legacy', () => transport.sessionId),
    );
    const response = await transport.handleRequest(request, handleOptions);
    const opened = transport.sessionId;
    if (opened !== undefined) for (const record of records.values()) record.assignSession(opened);
    if (opened === undefined) {
      // The initialize request was refused; nothing will ever reach this instance.
      this.#pendingSessions.delete(session);
      await mcp.close().catch(ignore);
    }
    return response;
  }

  #modernHandler(): McpHttpHandler {
    this.#modern ??= createMcpHandler(
      () => {
        const mcp = this.#deps.factory.create(
          { transport: 'http', era: 'modern', sessionId: () => undefined },
          false,
        );
        const connect = mcp.connect.bind(mcp);
        mcp.connect = async (transport) => {
          await connect(transport);
          tapConnectedTransport(
            transport,
            this.#tap('modern', () => undefined),
          );
        };
        return mcp;
      },
      {
        legacy: 'reject',
        onerror: (error) => this.#deps.onError(error),
        ...(this.#options.sseKeepAliveMs === undefined
          ? {}
          : { keepAliveMs: this.#options.sseKeepAliveMs }),
        maxRequestBodySize: this.#options.maxRequestBodyBytes,
      },
    );
    return this.#modern;
  }

  #refuse(records: Map<string | number, RequestRecord>, response: Response): Response {
    for (const record of records.values())
      record.settle({ type: 'http-error', status: response.status });
    return response;
  }

  /** Requests the SDK refused before any server instance saw them still need an outcome. */
  async #settleFromResponse(
    records: Map<string | number, RequestRecord>,
    response: Response,
  ): Promise<void> {
    const pending = [...records.values()].filter((record) => record.pending);
    if (pending.length === 0) return;
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('application/json')) {
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => undefined);
      for (const message of Array.isArray(body) ? body : [body]) {
        if (typeof message !== 'object' || message === null) continue;
        const { id, result, error } = message as {
          id?: string | number;
          result?: unknown;
          error?: { code: number; message: string; data?: unknown };
        };
        const record = id === undefined ? undefined : records.get(id);
        if (!record) continue;
        if (error)
          record.settle({
            type: 'error',
            code: error.code,
            message: error.message,
            data: error.data,
          });
        else if (result)
          record.settle({ type: 'result', result: result as Record<string, unknown> });
      }
    }
    if (!response.ok)
      for (const record of pending) record.settle({ type: 'http-error', status: response.status });
  }

  #statusResponse(spec: HttpStatusFault, id: string | number, resourceUrl: string): Response {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (spec.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(spec.retryAfterSeconds);
    const oauth = this.#deps.auth()?.scheme === 'oauth';
    const metadata = oauth
      ? `, resource_metadata="${protectedResourceMetadataUrl(resourceUrl)}"`
      : '';
    let body: string;
    if (spec.status === 401) {
      headers['www-authenticate'] =
        `Bearer error="invalid_token", error_description="Injected 401"${metadata}`;
      body = JSON.stringify({ error: 'invalid_token', error_description: 'Injected 401' });
    } else if (spec.status === 403) {
      headers['www-authenticate'] =
        `Bearer error="insufficient_scope"${spec.scope === undefined ? '' : `, scope="${spec.scope}"`}${metadata}`;
      body = JSON.stringify({ error: 'insufficient_scope', error_description: 'Injected 403' });
    } else if (spec.status === 404) {
      body = JSON.stringify({
        jsonrpc: '2.0',
        error: { code: -32001, message: 'Session not found' },
        id,
      });
    } else {
      body = JSON.stringify({
        jsonrpc: '2.0',
        error: { code: -32000, message: `Injected HTTP ${spec.status}` },
        id,
      });
    }
    return new Response(spec.body ?? body, {
      status: spec.status,
      headers: { ...headers, ...spec.headers },
    });
  }

  #stalled(request: Request): Response {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        this.#stalls.delete(controller);
      },
    });
    this.#stalls.add(controller);
    request.signal.addEventListener(
      'abort',
      () => {
        if (!this.#stalls.delete(controller)) return;
        try {
          controller.close();
        } catch {
          // already closed
        }
      },
      { once: true },
    );
    return new Response(stream, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  }

  /** Forwards part of the first chunk of the answer, then breaks the connection. */
  #dropMidResponse(response: Response, connection: HttpConnection | undefined): Response {
    const reader = response.body?.getReader();
    let dropped = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (dropped) return;
        dropped = true;
        const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
        void reader?.cancel().catch(ignore);
        if (!chunk.done && chunk.value.byteLength > 0) {
          controller.enqueue(
            chunk.value.subarray(0, Math.max(1, Math.floor(chunk.value.byteLength / 2))),
          );
        }
        if (connection) {
          setImmediate(() => connection.destroy());
        } else {
          controller.error(new TypeError('The connection was dropped mid-response'));
        }
      },
    });
    return new Response(stream, { status: response.status, headers: response.headers });
  }

  #resourceMetadata(request: Request, url: URL): Response {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, OPTIONS',
    };
    if (request.method.toUpperCase() === 'OPTIONS')
      return new Response(null, { status: 204, headers: cors });
    const suffix = url.pathname.slice(WELL_KNOWN_PRM.length);
    const metadata = this.#deps
      .auth()
      ?.protectedResourceMetadata(url.origin + (suffix || this.#options.path));
    if (!metadata) return Response.json({ error: 'not_found' }, { status: 404, headers: cors });
    if (request.method.toUpperCase() !== 'GET') {
      return new Response(null, { status: 405, headers: { ...cors, allow: 'GET, OPTIONS' } });
    }
    return Response.json(metadata, { headers: { ...cors, 'cache-control': 'no-store' } });
  }
}
