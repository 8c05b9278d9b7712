// The fetch every HTTP transport of the client uses. Layers, outside in: auth plugin (with
// redirect hygiene and the allow-list on every hop) → HTTP semantics the SDK does not map
// (429/503 Retry-After, lost sessions, response-size limits) → undici with the client's
// TLS, connection and compression settings.
import {
  McpConnectionError,
  McpRateLimitedError,
  McpSecurityError,
  McpSessionExpiredError,
} from '@tframex/mcp-api';
import { createAuthFetch, type McpAuthPlugin, type McpTlsMaterial } from '@tframex/mcp-auth-api';
import { Agent, fetch as undiciFetch } from 'undici';
import { findErrorCode, TRANSIENT_NETWORK_CODES } from '../resilience/network-error-code.js';
import { parseRetryAfter } from '../resilience/parse-retry-after.js';
import { sleep } from '../resilience/sleep.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface McpFetchOptions {
  /** Alias of the server, for errors and the auth plugin. */
  server: string;
  auth?: McpAuthPlugin;
  /** TLS settings from the config; merged with the plugin's `tls()` material. */
  tls?: McpTlsMaterial;
  /**
   * Cap on open sockets to the server. Leave room for long-lived streams (a legacy
   * session's GET stream, subscriptions): they hold a socket each.
   */
  maxSockets?: number;
  /** Ask for compressed responses (gzip, deflate, br). */
  enableCompression: boolean;
  /** Largest JSON response, or single SSE event, accepted, in bytes. */
  maxResponseBytes?: number;
  /** Called for every request's URL; throws to refuse. */
  checkUrl?: (url: URL) => void;
  /** Called for every redirect hop; throws to refuse. */
  checkRedirect?: (from: URL, to: URL) => void;
  /** Extra headers computed from the body (request signing). */
  signHeaders?: (body: string) => Record<string, string>;
  /** Test seam: the fetch under everything. */
  baseFetch?: FetchLike;
}

export interface McpFetch {
  fetch: FetchLike;
  /** Closes pooled sockets. */
  close(): Promise<void>;
}

const SESSION_HEADER = 'mcp-session-id';

/**
 * Tries at opening an event stream (GET) that fails at the connection level. Opening a
 * stream is idempotent, and the SDK never retries the first open of a session's GET stream:
 * without this, one reset (a pooled socket the server had just closed) would leave the
 * session without server-to-client requests and notifications for good.
 */
const STREAM_OPEN_ATTEMPTS = 3;
const STREAM_OPEN_RETRY_DELAY_MS = 100;

/**
 * A 400 that answers a session request with a bare JSON-RPC error (`id: null`, code
 * -32000) is how many servers built on the 2025 SDKs say "unknown session" instead of
 * the spec's 404. Judged on structure, never on the message text.
 */
async function isLegacyUnknownSession(response: Response): Promise<boolean> {
  if (response.status !== 400) return false;
  if (!(response.headers.get('content-type') ?? '').includes('json')) return false;
  try {
    const body = (await response.clone().json()) as {
      id?: unknown;
      error?: { code?: unknown };
      result?: unknown;
    };
    return body.id === null && body.error?.code === -32000 && body.result === undefined;
  } catch {
    return false;
  }
}

/** Counts bytes per message and errors the stream when one exceeds the limit. */
function limitBody(
  body: ReadableStream<Uint8Array>,
  limit: number,
  isEventStream: boolean,
  server: string,
): ReadableStream<Uint8Array> {
  let sinceBoundary = 0;
  const tooLarge = () =>
    new McpSecurityError(`a response from "${server}" exceeded maxResponseBytes (${limit} bytes)`, {
      server,
      rule: 'response-size',
    });
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (isEventStream) {
          // An SSE event ends at a blank line; count bytes since the last newline pair.
          const last = chunk.lastIndexOf(0x0a);
          if (last >= 0 && (chunk[last - 1] === 0x0a || chunk[last - 1] === 0x0d))
            sinceBoundary = chunk.length - last - 1;
          else sinceBoundary += chunk.length;
        } else sinceBoundary += chunk.length;
        if (sinceBoundary > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** Marks a JSON-RPC error we synthesise for a request whose answer stream broke. */
export const CONNECTION_LOST_MARKER = 'tframex/connection-lost';

/**
 * The SDK keeps waiting (until its timeout) for the answer to a request whose SSE answer
 * stream broke mid-way. This stream instead ends with a JSON-RPC error for each request of
 * the POST, marked so the client maps it to McpConnectionError at once.
 */
function answerOnBrokenStream(
  response: Response,
  requestBody: string,
  server: string,
  maxResponseBytes: number | undefined,
): Response {
  const upstream =
    maxResponseBytes === undefined
      ? response.body!
      : limitBody(response.body!, maxResponseBytes, true, server);
  const reader = upstream.getReader();
  const encoder = new TextEncoder();
  let endedWell = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          endedWell = true;
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        if (endedWell) return;
        // A size-limit refusal is the real reason: let it through as is.
        if (McpSecurityError.isInstance(error)) return controller.error(error);
        for (const id of requestIds(requestBody)) {
          const message = {
            jsonrpc: '2.0',
            id,
            error: {
              code: -32000,
              message: `the connection to "${server}" broke before the answer arrived`,
              data: { [CONNECTION_LOST_MARKER]: true },
            },
          };
          controller.enqueue(
            encoder.encode(`\n\nevent: message\ndata: ${JSON.stringify(message)}\n\n`),
          );
        }
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

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

function toPemStrings(value: McpTlsMaterial['ca']): string | string[] | undefined {
  if (value === undefined) return undefined;
  const one = (v: string | Uint8Array) =>
    typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  return Array.isArray(value) ? value.map(one) : one(value);
}

export function createMcpFetch(options: McpFetchOptions): McpFetch {
  const { server, maxResponseBytes } = options;
  let agent: Agent | undefined;
  let agentReady: Promise<Agent> | undefined;

  const makeAgent = async (): Promise<Agent> => {
    const pluginTls = (await options.auth?.tls?.()) ?? {};
    const tls = { ...options.tls, ...pluginTls };
    const connect: Record<string, unknown> = {};
    if (tls.cert !== undefined) connect.cert = toPemStrings(tls.cert);
    if (tls.key !== undefined) connect.key = toPemStrings(tls.key);
    if (tls.pfx !== undefined)
      connect.pfx = typeof tls.pfx === 'string' ? tls.pfx : Buffer.from(tls.pfx);
    if (tls.passphrase !== undefined) connect.passphrase = tls.passphrase;
    if (tls.ca !== undefined) connect.ca = toPemStrings(tls.ca);
    if (tls.servername !== undefined) connect.servername = tls.servername;
    if (tls.rejectUnauthorized === false) connect.rejectUnauthorized = false;
    agent = new Agent({
      connect,
      // Idle sockets are dropped before the common server-side idle limit (Node's 5 s), so a
      // request rarely meets a socket the server has just closed; a server's Keep-Alive
      // hint still wins, shortened by a safety margin.
      keepAliveTimeout: 4_000,
      keepAliveTimeoutThreshold: 1_500,
      ...(options.maxSockets ? { connections: options.maxSockets } : {}),
    });
    return agent;
  };

  const base: FetchLike =
    options.baseFetch ??
    (async (input, init) => {
      const dispatcher = agent ?? (await (agentReady ??= makeAgent()));
      return (await undiciFetch(
        input as never,
        { ...(init as object), dispatcher } as never,
      )) as unknown as Response;
    });

  const send: FetchLike = async (input, init) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    for (let attempt = 1; ; attempt++) {
      try {
        return await base(input, init);
      } catch (error) {
        const signal = init?.signal ?? undefined;
        if (
          method.toUpperCase() !== 'GET' ||
          attempt >= STREAM_OPEN_ATTEMPTS ||
          signal?.aborted ||
          findErrorCode(error, TRANSIENT_NETWORK_CODES) === undefined
        )
          throw error;
        await sleep(STREAM_OPEN_RETRY_DELAY_MS * attempt, signal).catch(() => {
          throw error;
        });
      }
    }
  };

  const guarded: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (!options.enableCompression) headers.set('accept-encoding', 'identity');
    if (options.signHeaders && typeof init?.body === 'string') {
      for (const [name, value] of Object.entries(options.signHeaders(init.body)))
        headers.set(name, value);
    }
    const response = await send(input, { ...init, headers });
    const status = response.status;
    if (status === 429) {
      await response.body?.cancel();
      const wait = parseRetryAfter(response.headers.get('retry-after'));
      throw new McpRateLimitedError(`"${server}" is rate limiting requests (HTTP 429)`, {
        server,
        source: 'server',
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      });
    }
    if (status === 503 || status === 502 || status === 504) {
      await response.body?.cancel();
      const wait = parseRetryAfter(response.headers.get('retry-after'));
      throw new McpConnectionError(`"${server}" is unavailable (HTTP ${status})`, {
        server,
        status,
        transport: 'streamable-http',
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      });
    }
    const sessionId = headers.get(SESSION_HEADER);
    if (sessionId && (status === 404 || (await isLegacyUnknownSession(response)))) {
      await response.body?.cancel();
      throw new McpSessionExpiredError(
        `"${server}" no longer knows session ${sessionId} (HTTP ${status})`,
        {
          server,
          sessionId,
        },
      );
    }
    const body = init?.body;
    if (
      response.body &&
      typeof body === 'string' &&
      (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ) {
      return answerOnBrokenStream(response, body, server, maxResponseBytes);
    }
    if (maxResponseBytes === undefined || !response.body) return response;
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (length > maxResponseBytes) {
      await response.body.cancel();
      throw new McpSecurityError(
        `a response from "${server}" is ${length} bytes, over maxResponseBytes (${maxResponseBytes})`,
        {
          server,
          rule: 'response-size',
        },
      );
    }
    const isEventStream = (response.headers.get('content-type') ?? '').includes(
      'text/event-stream',
    );
    return new Response(limitBody(response.body, maxResponseBytes, isEventStream, server), {
      status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  const checkUrl = options.checkUrl;
  const authed = createAuthFetch(options.auth ?? { name: 'none' }, {
    fetch: guarded,
    server,
    ...(options.checkRedirect ? { onRedirect: options.checkRedirect } : {}),
  });

  return {
    fetch: (input, init) => {
      checkUrl?.(new URL(input.toString()));
      return authed(input, init);
    },
    close: async () => {
      const current = agent;
      agent = undefined;
      agentReady = undefined;
      await current?.close();
    },
  };
}
