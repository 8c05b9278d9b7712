// startLoopbackRedirect: the redirect listener a CLI needs for the authorization code grant
// (RFC 8252 §7.3). It listens on a loopback address, shows the user the authorization URL
// through `openUrl` (open a browser, print it) and resolves with the redirect back.
import type { Awaitable } from '@tframex/mcp-auth-api';
import { McpConfigError, McpTimeoutError } from '@tframex/mcp-api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import type { AuthorizationUrlHandler } from './oauth2-auth-options.js';

export interface LoopbackRedirectOptions {
  /** Shows the authorization URL to the user: open a browser, or print it. */
  openUrl: (authorizationUrl: URL) => Awaitable<void>;
  /** Port (default 0: any free one). Fix it for servers that need an exact redirect URI. */
  port?: number;
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: '127.0.0.1' | '::1' | 'localhost';
  /** Path of the redirect URI (default /callback). */
  path?: string;
  /** How long to wait for the user (default 300 000 ms). */
  timeoutMs?: number;
  /** HTML shown in the browser once the redirect arrived. */
  successHtml?: string;
}

export interface LoopbackRedirect {
  /** The redirect URI to configure (`redirectUrl` of OAuth2Auth). */
  readonly redirectUrl: string;
  /** The handler to configure (`onAuthorizationUrl` of OAuth2Auth). */
  readonly onAuthorizationUrl: AuthorizationUrlHandler;
  /** Stops listening; pending authorizations fail. */
  close(): Promise<void>;
}

const schema = z.strictObject({
  openUrl: z.custom<(url: URL) => Awaitable<void>>((value) => typeof value === 'function', {
    error: 'a function that shows the authorization URL to the user',
  }),
  port: z
    .number({ error: 'a port number' })
    .int({ error: 'a whole port number' })
    .min(0, { error: 'a port from 0 to 65535' })
    .max(65535, { error: 'a port from 0 to 65535' })
    .optional(),
  host: z
    .enum(['127.0.0.1', '::1', 'localhost'], {
      error: 'a loopback address: 127.0.0.1, ::1 or localhost',
    })
    .optional(),
  path: z
    .string({ error: 'a path starting with /' })
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, {
      error: 'a path starting with / (letters, digits, . _ ~ - /)',
    })
    .optional(),
  timeoutMs: z
    .number({ error: 'a number of milliseconds' })
    .int({ error: 'a whole number of milliseconds' })
    .positive({ error: 'more than 0 milliseconds' })
    .optional(),
  successHtml: z.string({ error: 'an HTML string' }).optional(),
});

const DEFAULT_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Signed in</title><p>Authorization complete. You can close this window.</p>';

interface Waiter {
  resolve: (url: URL) => void;
  reject: (error: unknown) => void;
}

export async function startLoopbackRedirect(
  options: LoopbackRedirectOptions,
): Promise<LoopbackRedirect> {
  const o = parseOptions(schema, options, 'startLoopbackRedirect options');
  const host = o.host ?? '127.0.0.1';
  const path = o.path ?? '/callback';
  const timeoutMs = o.timeoutMs ?? 300_000;
  const waiters = new Map<string, Waiter>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host.includes(':') ? `[${host}]` : host}`);
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const waiter = waiters.get(url.searchParams.get('state') ?? '');
    if (!waiter) {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('unknown or expired authorization request');
      return;
    }
    waiters.delete(url.searchParams.get('state') ?? '');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(o.successHtml ?? DEFAULT_PAGE);
    waiter.resolve(url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new McpConfigError(`startLoopbackRedirect: cannot listen on ${host}:${o.port ?? 0}`, {
          field: 'port',
          expected: 'a free port',
          received: o.port ?? 0,
          cause,
        }),
      ),
    );
    server.listen(o.port ?? 0, host, () => resolve());
  });
  // Waiting for a browser must not keep a finished CLI alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const redirectUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;

  const onAuthorizationUrl: AuthorizationUrlHandler = async (authorizationUrl, { state }) => {
    if (!server.listening) {
      throw new McpConfigError('the loopback redirect listener is closed', {
        field: 'onAuthorizationUrl',
        expected: 'an open loopback redirect listener',
      });
    }
    const arrived = new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(state);
        reject(
          new McpTimeoutError(`no authorization response within ${timeoutMs} ms`, {
            timeoutMs,
            retryable: false,
          }),
        );
      }, timeoutMs);
      timer.unref();
      waiters.set(state, {
        resolve: (url) => {
          clearTimeout(timer);
          resolve(url);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    try {
      await o.openUrl(authorizationUrl);
    } catch (cause) {
      waiters.get(state)?.reject(cause);
      waiters.delete(state);
    }
    return arrived;
  };

  return {
    redirectUrl,
    onAuthorizationUrl,
    close: async () => {
      for (const waiter of waiters.values()) {
        waiter.reject(
          new McpConfigError('the loopback redirect listener was closed', {
            field: 'onAuthorizationUrl',
            expected: 'an open loopback redirect listener',
          }),
        );
      }
      waiters.clear();
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
