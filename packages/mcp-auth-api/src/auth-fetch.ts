// createAuthFetch: applies an McpAuthPlugin to every request a fetch function makes. One
// implementation for every HTTP client of the workspace (core's transports, the test client),
// so the hygiene rules live in one place: plugin credentials are never sent to another
// origin on a redirect, and a refused request is retried only when the plugin asks.
import type { McpAuthPlugin } from './auth-plugin.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

export interface AuthFetchOptions {
  /** The fetch to wrap; the global one by default. */
  fetch?: FetchFunction;
  /** Alias of the MCP server, passed to the plugin. */
  server?: string;
  /** How many times `onUnauthorized` may ask for a retry of one request (default 2). */
  maxAuthRetries?: number;
  /** Redirect hops followed before giving up (default 5). */
  maxRedirects?: number;
  /** Sees every redirect hop before it is followed; throw to refuse it (an allow-list). */
  onRedirect?: (from: URL, to: URL) => void;
}

const CROSS_ORIGIN_SECRETS = ['authorization', 'proxy-authorization', 'cookie'];

function headersToRecord(headers: RequestInit['headers'] | Headers): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function replayableBody(body: RequestInit['body']): string | Uint8Array | undefined | null {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return null; // a stream or form: sent once, never replayed
}

/** Wraps `fetch` so every request carries the plugin's credentials. */
export function createAuthFetch(
  plugin: McpAuthPlugin,
  options: AuthFetchOptions = {},
): FetchFunction {
  const baseFetch: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const maxAuthRetries = options.maxAuthRetries ?? 2;
  const maxRedirects = options.maxRedirects ?? 5;

  const passive = !plugin.headers && !plugin.onUnauthorized;
  const isRedirect = (response: Response) =>
    response.status >= 300 && response.status < 400 && response.headers.has('location');

  return async (input, init = {}) => {
    // Without credentials to add or renew, a request goes straight through; only a redirect
    // needs the full treatment below (the allow-list, header hygiene).
    let first: Response | undefined;
    if (passive && !(input instanceof Request) && (init.redirect ?? 'follow') === 'follow') {
      first = await baseFetch(input, { ...init, redirect: 'manual' });
      if (!isRedirect(first)) return first;
    }
    const request = input instanceof Request ? input : undefined;
    let url = new URL(request ? request.url : input.toString());
    let method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    let headers = headersToRecord(init.headers ?? request?.headers);
    let body: RequestInit['body'] =
      init.body ??
      (request ? await request.arrayBuffer().then((b) => new Uint8Array(b)) : undefined);
    const signal = init.signal ?? request?.signal ?? undefined;
    const followRedirects = (init.redirect ?? request?.redirect ?? 'follow') === 'follow';
    const origin = url.origin;
    let authAttempt = 0;
    let redirects = 0;

    for (;;) {
      const sameOrigin = url.origin === origin;
      const replayable = replayableBody(body);
      const added =
        sameOrigin && plugin.headers
          ? ((await plugin.headers({
              url: url.href,
              method,
              headers,
              body: replayable ?? undefined,
              server: options.server,
              ...(signal ? { signal } : {}),
            })) ?? {})
          : {};
      // The passive path's redirect answer is this round's response: never send twice.
      const response =
        first ??
        (await baseFetch(url, {
          ...init,
          method,
          headers: { ...headers, ...added },
          body,
          redirect: 'manual',
        }));
      first = undefined;

      const location = response.headers.get('location');
      if (followRedirects && location && response.status >= 300 && response.status < 400) {
        if (++redirects > maxRedirects) return response;
        const next = new URL(location, url);
        options.onRedirect?.(url, next);
        await response.body?.cancel();
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
          delete headers['content-length'];
        } else if (body !== undefined && replayable === null) {
          return response; // cannot resend a one-shot body
        }
        if (next.origin !== url.origin) {
          headers = Object.fromEntries(
            Object.entries(headers).filter(([key]) => !CROSS_ORIGIN_SECRETS.includes(key)),
          );
        }
        url = next;
        continue;
      }

      const responseHeaders = headersToRecord(response.headers);
      if (sameOrigin && plugin.onResponse && Object.keys(added).length > 0) {
        await plugin.onResponse({
          url: url.href,
          method,
          status: response.status,
          headers: responseHeaders,
          server: options.server,
        });
      }

      const refused = response.status === 401 || response.status === 403;
      if (
        !refused ||
        !plugin.onUnauthorized ||
        !sameOrigin ||
        authAttempt >= maxAuthRetries ||
        replayable === null
      ) {
        return response;
      }
      authAttempt += 1;
      const decision = await plugin.onUnauthorized({
        url: url.href,
        status: response.status as 401 | 403,
        challenges: parseWwwAuthenticate(response.headers.get('www-authenticate')),
        attempt: authAttempt,
        hadCredentials: Object.keys(added).length > 0,
        credentials: added,
        responseHeaders,
        server: options.server,
      });
      if (decision !== 'retry') return response;
      await response.body?.cancel();
    }
  };
}
