// The fetch every HTTP transport of the client uses. Layers, outside in: auth plugin (with
// redirect hygiene and the allow-list on every hop) → HTTP semantics the SDK does not map
// (429/503 Retry-After, lost sessions) → a lean fetch on node:http with the client's TLS,
// socket, compression and size settings (node-http-fetch).
import { McpConnectionError, McpRateLimitedError, McpSessionExpiredError } from '@tframex/mcp-api';
import { createAuthFetch, type McpAuthPlugin, type McpTlsMaterial } from '@tframex/mcp-auth-api';
import { findErrorCode, TRANSIENT_NETWORK_CODES } from '../resilience/network-error-code.js';
import { parseRetryAfter } from '../resilience/parse-retry-after.js';
import { sleep } from '../resilience/sleep.js';
import { clientKeyDecrypts } from '../config/client-key-decrypts.js';
import { createNodeHttpFetch, type FetchLike, type NodeHttpFetch } from './node-http-fetch.js';
import { RequestSignalScope } from './request-signal-scope.js';
import { sameTlsMaterial } from './same-tls-material.js';

export type { FetchLike } from './node-http-fetch.js';
export { CONNECTION_LOST_MARKER } from './node-http-fetch.js';

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
  /** Where the SDK transport's sends leave each request's own abort signal for this fetch. */
  requestSignals: RequestSignalScope;
  /**
   * Asks the auth plugin for its TLS material again; when it changed (a rotated client
   * certificate), requests from now on use it. Sockets on the old material stay until close.
   */
  refreshTls(): Promise<void>;
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

export function createMcpFetch(options: McpFetchOptions): McpFetch {
  const { server } = options;
  const requestSignals = new RequestSignalScope();
  let node: NodeHttpFetch | undefined;
  let nodeReady: Promise<NodeHttpFetch> | undefined;
  /** The plugin's material the current node fetch was made with. */
  let madeWith: McpTlsMaterial | undefined;
  /** Node fetches made with material since replaced: closed with the client. */
  const retired: NodeHttpFetch[] = [];

  // TLS material may come from the auth plugin (asynchronously), so the transport fetch is
  // made on first use.
  const makeNode = async (known?: McpTlsMaterial): Promise<NodeHttpFetch> => {
    const pluginTls = known ?? (await options.auth?.tls?.()) ?? undefined;
    madeWith = pluginTls;
    const tls = options.tls || pluginTls ? { ...options.tls, ...pluginTls } : undefined;
    // A key that does not open fails every handshake alike: say so once, and do not retry.
    if (
      tls?.key !== undefined &&
      tls.pfx === undefined &&
      !clientKeyDecrypts(tls.key, tls.passphrase)
    ) {
      throw new McpConnectionError(
        `the client key for "${server}" could not be decrypted: wrong or missing passphrase (clientKeyPassphrase, or the auth plugin's tls().passphrase)`,
        { server, transport: 'streamable-http', retryable: false },
      );
    }
    node = createNodeHttpFetch({
      server,
      requestSignals,
      enableCompression: options.enableCompression,
      ...(tls ? { tls } : {}),
      ...(options.maxSockets ? { maxSockets: options.maxSockets } : {}),
      ...(options.maxResponseBytes !== undefined
        ? { maxResponseBytes: options.maxResponseBytes }
        : {}),
    });
    return node;
  };

  const base: FetchLike =
    options.baseFetch ??
    (async (input, init) => (node ?? (await (nodeReady ??= makeNode()))).fetch(input, init));

  const send: FetchLike = async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await base(input, init);
      } catch (error) {
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
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

  const signHeaders = options.signHeaders;
  const guarded: FetchLike = async (input, init) => {
    let requestInit = init;
    if (signHeaders && typeof init?.body === 'string') {
      const headers = new Headers(init.headers);
      for (const [name, value] of Object.entries(signHeaders(init.body))) headers.set(name, value);
      requestInit = { ...init, headers };
    }
    const response = await send(input, requestInit);
    const status = response.status;
    if (status < 400) return response;
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
    const sessionId = new Headers(requestInit?.headers).get(SESSION_HEADER);
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
    return response;
  };

  const checkUrl = options.checkUrl;
  const authed = createAuthFetch(options.auth ?? { name: 'none' }, {
    fetch: guarded,
    server,
    ...(options.checkRedirect ? { onRedirect: options.checkRedirect } : {}),
  });

  return {
    requestSignals,
    fetch: checkUrl
      ? (input, init) => {
          checkUrl(new URL(input instanceof Request ? input.url : input.toString()));
          return authed(input, init);
        }
      : authed,
    refreshTls: async () => {
      const plugin = options.auth;
      if (!plugin?.tls || options.baseFetch) return;
      if (!node) {
        await (nodeReady ??= makeNode());
        return;
      }
      const material = (await plugin.tls()) ?? undefined;
      if (sameTlsMaterial(material, madeWith)) return;
      retired.push(node);
      nodeReady = makeNode(material);
      await nodeReady;
    },
    close: async () => {
      node?.close();
      for (const old of retired.splice(0)) old.close();
      node = undefined;
      nodeReady = undefined;
    },
  };
}
