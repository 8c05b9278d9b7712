// McpAuthPlugin: how a client authenticates to an MCP server. mcp-core calls it for every
// HTTP request; mcp-auth ships plugins; a custom scheme is a plain object satisfying it.
import type { McpAuthResponse } from './auth-response.js';
import type { McpTlsMaterial } from './tls-material.js';
import type { WwwAuthenticateChallenge } from './www-authenticate.js';

export type Awaitable<T> = T | Promise<T>;

/** An outgoing HTTP request, as a plugin sees it. */
export interface McpAuthRequest {
  /** Absolute URL of the request. */
  url: string;
  /** HTTP method. */
  method: string;
  /** Headers already set (read-only; return new ones from `headers`). */
  headers: Readonly<Record<string, string>>;
  /** The body, for schemes that sign it. */
  body?: string | Uint8Array;
  /** Alias of the MCP server the request goes to. */
  server?: string;
  /** Aborts with the request: a plugin waiting for credentials stops waiting. */
  signal?: AbortSignal;
}

/** A 401 or 403 the server answered, with its challenges parsed. */
export interface McpAuthChallenge {
  url: string;
  status: 401 | 403;
  /** Every challenge of the WWW-Authenticate header. */
  challenges: WwwAuthenticateChallenge[];
  /** 1 for the first refusal of a request, 2+ after retries. */
  attempt: number;
  /** Whether the refused request carried credentials from this plugin. */
  hadCredentials: boolean;
  /**
   * The headers this plugin added to the refused request: which token was refused, so a
   * refusal that arrives after a renewal can be told from one that needs another.
   */
  credentials: Readonly<Record<string, string>>;
  /**
   * Headers of the refusal, names in lower case (`dpop-nonce`, ...): what some schemes need
   * besides the challenge to answer it. Set by `createAuthFetch`; absent from older callers.
   */
  responseHeaders?: Readonly<Record<string, string>>;
  /** Alias of the MCP server. */
  server?: string;
}

/** `retry`: credentials were renewed, send the request again. `fail`: give up (McpAuthError). */
export type McpAuthDecision = 'retry' | 'fail';

export interface McpAuthPlugin {
  /** Shown in logs and errors: `api-key`, `oauth2`, `hmac`, ... */
  readonly name: string;
  /** Headers to add to an outgoing request. Never log what this returns. */
  headers?(request: McpAuthRequest): Awaitable<Record<string, string> | undefined>;
  /** Called when the server refuses a request; may renew credentials and ask for a retry. */
  onUnauthorized?(challenge: McpAuthChallenge): Awaitable<McpAuthDecision>;
  /**
   * Sees every answer (other than a redirect) to a request this plugin added headers to, e.g.
   * to keep a nonce a server hands out on any response (DPoP, RFC 9449 §8.2).
   */
  onResponse?(response: McpAuthResponse): Awaitable<void>;
  /** Client-certificate material for mutual TLS. */
  tls?(): Awaitable<McpTlsMaterial | undefined>;
  /**
   * An `OAuthClientProvider` for the official SDK's OAuth machinery, for plugins that
   * delegate to it. Typed loosely so this package stays free of the SDK.
   */
  oauthProvider?(): object | undefined;
  /** Forgets credentials, revoking them where the scheme allows. */
  signOut?(): Promise<void>;
}

/** A plugin that adds nothing: the default when no auth is configured. */
export const NO_AUTH: McpAuthPlugin = Object.freeze({ name: 'none' });
