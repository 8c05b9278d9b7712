// OAuth2Auth's options: what users write, its validation, and the normalized form the
// plugin works with. Validation happens here once; inside, the plugin trusts the types.
import type { Awaitable, FetchFunction, TokenStore } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import { isSecureEndpoint } from '../internal/secure-endpoint.js';
import {
  extensionOptionShape,
  resolveDpop,
  type AssertionSource,
  type EnterpriseAuthorizationOptions,
  type OAuth2DpopMode,
  type OAuth2DpopOptions,
  type ResolvedDpopOptions,
} from './oauth2-extension-options.js';

/**
 * The grants OAuth2Auth can use to obtain tokens. `jwt_bearer` is RFC 7523's assertion grant
 * (`urn:ietf:params:oauth:grant-type:jwt-bearer`): a workload identity token, or the ID-JAG of
 * enterprise-managed authorization.
 */
export type OAuth2GrantType =
  | 'authorization_code'
  | 'client_credentials'
  | 'refresh_token'
  | 'jwt_bearer';

/** How the client proves its identity at the token endpoint. */
export type OAuth2ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'none';

/** What `onAuthorizationUrl` is told besides the URL. */
export interface AuthorizationUrlContext {
  /** Where the authorization server sends the browser back (the configured `redirectUrl`). */
  redirectUrl: string;
  /** The `state` value of this request; the response must carry it back. */
  state: string;
}

/**
 * Sends the user to `authorizationUrl` (open a browser, print it, or follow it headlessly)
 * and resolves with where the browser came back: the redirect URL with its query
 * (`code`, `state`, `iss`), as a URL, string or its search params.
 */
export type AuthorizationUrlHandler = (
  authorizationUrl: URL,
  context: AuthorizationUrlContext,
) => Awaitable<URL | string | URLSearchParams>;

export interface OAuth2AuthOptions {
  /**
   * A JWT to present with the JWT bearer grant (RFC 7523), e.g. the identity token a platform
   * issues to a workload: the JWT, or a function called for every token request (so a rotated
   * token is picked up; `assertionFromFile` / `assertionFromEnv` in `@tframex/mcp-auth/node`).
   */
  assertion?: string | AssertionSource;
  /**
   * Enterprise-managed authorization (the ID-JAG flow): the user's ID token from the company's
   * identity provider is exchanged there (RFC 8693) for an identity assertion grant, which the
   * MCP server's authorization server takes with the JWT bearer grant.
   */
  enterprise?: EnterpriseAuthorizationOptions;
  /**
   * DPoP (RFC 9449): tokens bound to a key of this client, useless to whoever steals them.
   * `'if-supported'` uses it when the authorization server advertises
   * `dpop_signing_alg_values_supported`; `'always'` uses it in any case and refuses unbound
   * tokens. Off by default.
   */
  dpop?: OAuth2DpopMode | OAuth2DpopOptions;

  /** A client registered in advance. Without it the client registers itself (metadata document or dynamic registration). */
  clientId?: string;
  /** Secret of a confidential client (client_secret_basic or client_secret_post). */
  clientSecret?: string;
  /** Private key (PEM or JWK) for private_key_jwt client authentication. */
  privateKey?: string | Record<string, unknown>;
  /** Signing algorithm for private_key_jwt (default RS256). */
  privateKeyAlgorithm?: string;
  /** Token endpoint client authentication; by default chosen from the server's metadata and the credentials given. */
  clientAuthMethod?: OAuth2ClientAuthMethod;
  /** HTTPS URL of this client's metadata document (SEP-991), used as client_id where the server supports it. */
  clientMetadataUrl?: string;
  /** Name shown to users by servers that register this client dynamically. */
  clientName?: string;

  /** Grant to obtain tokens with; inferred from the other options when left out. */
  grantType?: OAuth2GrantType;
  /** A refresh token obtained elsewhere; used before any other grant. */
  refreshToken?: string;
  /** Scopes to ask for. Without them: the server's challenge, else its `scopes_supported`. */
  scopes?: string[];

  /** Token endpoint. When given, discovery is skipped. */
  tokenUrl?: string;
  /** Authorization endpoint, for the authorization code grant with `tokenUrl`. */
  authorizationUrl?: string;
  /** Revocation endpoint (RFC 7009), with `tokenUrl`. Discovered otherwise. */
  revocationUrl?: string;
  /** Issuer of the authorization server the client is registered with (checked against discovery and `iss`). */
  issuer?: string;
  /** RFC 8707 resource indicator; by default the protected resource metadata's `resource`. */
  resource?: string;

  /** Redirect URI of the authorization code grant (e.g. a loopback URL). */
  redirectUrl?: string;
  /** Sends the user to the authorization URL and returns the redirect back; required for the authorization code grant. */
  onAuthorizationUrl?: AuthorizationUrlHandler;

  /** Where tokens are kept (default: in memory). */
  tokenStore?: TokenStore;
  /** Refresh this long before expiry (default 60 000 ms; at most half the token's lifetime). */
  refreshBeforeExpiryMs?: number;
  /**
   * With a `tokenStore` that has a `lock` (one shared by several processes): how long one
   * renewal may hold it before it lapses (default 60 000 ms). Others wait that long at most.
   */
  renewalLockTtlMs?: number;
  /** Re-authorizations for a `403 insufficient_scope` per required scope set (default 2). */
  maxStepUpAttempts?: number;
  /** fetch for requests to the authorization server (default: the global fetch). */
  fetch?: FetchFunction;
  /** Deadline of each request to the authorization server (default 30 000 ms). */
  requestTimeoutMs?: number;
  /** Clock, epoch ms (default Date.now): tests move time with it. */
  now?: () => number;
}

/** The normalized configuration. */
export interface OAuth2Config {
  clientId: string | undefined;
  clientSecret: string | undefined;
  privateKey: string | Record<string, unknown> | undefined;
  privateKeyAlgorithm: string;
  clientAuthMethod: OAuth2ClientAuthMethod | undefined;
  clientMetadataUrl: string | undefined;
  clientName: string;
  grantType: OAuth2GrantType;
  refreshToken: string | undefined;
  scope: string | undefined;
  tokenUrl: string | undefined;
  authorizationUrl: string | undefined;
  revocationUrl: string | undefined;
  issuer: string | undefined;
  resource: string | undefined;
  redirectUrl: string | undefined;
  onAuthorizationUrl: AuthorizationUrlHandler | undefined;
  tokenStore: TokenStore | undefined;
  refreshBeforeExpiryMs: number;
  renewalLockTtlMs: number;
  maxStepUpAttempts: number;
  fetch: FetchFunction | undefined;
  requestTimeoutMs: number;
  now: () => number;
  assertion: AssertionSource | undefined;
  enterprise: EnterpriseAuthorizationOptions | undefined;
  dpop: ResolvedDpopOptions | undefined;
}

const secureUrl = z
  .string({ error: 'an https URL (http only for localhost)' })
  .refine(isSecureEndpoint, { error: 'an https URL (http only for localhost), without user info' });

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: what });

const nonEmpty = (what: string) => z.string({ error: what }).min(1, { error: what });
const scopeToken = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

const schema = z.strictObject({
  ...extensionOptionShape,
  clientId: nonEmpty('a non-empty string').optional(),
  clientSecret: nonEmpty('a non-empty string').optional(),
  privateKey: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())], {
      error: 'a PEM-encoded private key or a JWK object',
    })
    .optional(),
  privateKeyAlgorithm: z
    .string({ error: 'a JWS algorithm such as RS256 or ES256' })
    .regex(/^(RS|PS|ES)(256|384|512)$|^EdDSA$/, {
      error: 'an asymmetric JWS algorithm: RS256, PS256, ES256 (or the 384/512 variants) or EdDSA',
    })
    .optional(),
  clientAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'], {
      error: 'one of client_secret_basic, client_secret_post, private_key_jwt, none',
    })
    .optional(),
  clientMetadataUrl: z
    .string({ error: 'an https URL with a path' })
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'https:' && url.pathname !== '/';
        } catch {
          return false;
        }
      },
      { error: 'an https URL with a path (the client ID metadata document)' },
    )
    .optional(),
  clientName: nonEmpty('a non-empty string').optional(),
  grantType: z
    .enum(['authorization_code', 'client_credentials', 'refresh_token', 'jwt_bearer'], {
      error: 'one of authorization_code, client_credentials, refresh_token, jwt_bearer',
    })
    .optional(),
  refreshToken: nonEmpty('a non-empty string').optional(),
  scopes: z
    .array(z.string().regex(scopeToken), {
      error: 'a list of scope names (no spaces, quotes or backslashes)',
    })
    .optional(),
  tokenUrl: secureUrl.optional(),
  authorizationUrl: secureUrl.optional(),
  revocationUrl: secureUrl.optional(),
  issuer: z
    .string({ error: 'an issuer URL' })
    .refine((value) => URL.canParse(value), { error: 'an issuer URL' })
    .optional(),
  resource: z
    .string({ error: 'an absolute URL without a fragment' })
    .refine((value) => URL.canParse(value) && !value.includes('#'), {
      error: 'an absolute URL without a fragment',
    })
    .optional(),
  redirectUrl: z
    .string({ error: 'an absolute URL' })
    .refine((value) => URL.canParse(value) && !value.includes('#'), {
      error: 'an absolute URL without a fragment',
    })
    .optional(),
  onAuthorizationUrl: fn<AuthorizationUrlHandler>('a function').optional(),
  tokenStore: z
    .custom<TokenStore>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['get', 'set', 'delete'].every(
          (method) => typeof (value as Record<string, unknown>)[method] === 'function',
        ),
      { error: 'a TokenStore (an object with get, set and delete)' },
    )
    .optional(),
  refreshBeforeExpiryMs: z
    .number({ error: 'a number of milliseconds' })
    .int({ error: 'a whole number of milliseconds' })
    .min(0, { error: 'zero or more milliseconds' })
    .optional(),
  renewalLockTtlMs: z
    .number({ error: 'a number of milliseconds' })
    .int({ error: 'a whole number of milliseconds' })
    .positive({ error: 'more than 0 milliseconds' })
    .optional(),
  maxStepUpAttempts: z
    .number({ error: 'a whole number' })
    .int({ error: 'a whole number' })
    .min(0, { error: 'zero or more' })
    .max(10, { error: 'at most 10' })
    .optional(),
  fetch: fn<FetchFunction>('a fetch function').optional(),
  requestTimeoutMs: z
    .number({ error: 'a number of milliseconds' })
    .int({ error: 'a whole number of milliseconds' })
    .positive({ error: 'more than 0 milliseconds' })
    .optional(),
  now: fn<() => number>('a function returning epoch milliseconds').optional(),
});

const SECRET_FIELDS = [
  'clientSecret',
  'privateKey',
  'refreshToken',
  'assertion',
  'enterprise',
  'dpop',
];

function fail(field: string, expected: string, message: string): never {
  throw new McpConfigError(`OAuth2Auth options: ${message}`, { field, expected });
}

function inferGrant(o: z.output<typeof schema>): OAuth2GrantType {
  if (o.grantType) return o.grantType;
  if (o.assertion !== undefined || o.enterprise !== undefined) return 'jwt_bearer';
  if (o.onAuthorizationUrl) return 'authorization_code';
  if (o.clientSecret !== undefined || o.privateKey !== undefined) return 'client_credentials';
  if (o.refreshToken !== undefined) return 'refresh_token';
  return fail(
    'grantType',
    'a way to obtain tokens',
    'no way to obtain tokens: give onAuthorizationUrl (authorization code), clientSecret or privateKey (client credentials), assertion or enterprise (JWT bearer), or refreshToken',
  );
}

const constant = (value: string) => () => value;

export function resolveOAuth2Config(options: OAuth2AuthOptions): OAuth2Config {
  const o = parseOptions(schema, options, 'OAuth2Auth options', SECRET_FIELDS);
  const grantType = inferGrant(o);

  if ((o.clientSecret !== undefined || o.privateKey !== undefined) && o.clientId === undefined) {
    fail(
      'clientId',
      'the client ID the secret or key belongs to',
      'clientSecret and privateKey need clientId',
    );
  }
  if (o.clientSecret !== undefined && o.privateKey !== undefined) {
    fail(
      'privateKey',
      'either clientSecret or privateKey',
      'give clientSecret or privateKey, not both',
    );
  }
  const method = o.clientAuthMethod;
  if (method === 'private_key_jwt' && o.privateKey === undefined) {
    fail('privateKey', 'a private key for private_key_jwt', 'private_key_jwt needs privateKey');
  }
  if (
    (method === 'client_secret_basic' || method === 'client_secret_post') &&
    o.clientSecret === undefined
  ) {
    fail('clientSecret', `a client secret for ${method}`, `${method} needs clientSecret`);
  }
  if (grantType === 'client_credentials') {
    if (o.clientId === undefined && o.clientMetadataUrl !== undefined) {
      fail(
        'clientId',
        'a confidential client',
        'client_credentials needs a confidential client (clientId with clientSecret or privateKey), not a metadata document',
      );
    }
    if (o.clientId !== undefined && o.clientSecret === undefined && o.privateKey === undefined) {
      fail(
        'clientSecret',
        'a client secret or private key',
        'client_credentials needs clientSecret or privateKey',
      );
    }
  }
  if (grantType === 'authorization_code') {
    if (!o.onAuthorizationUrl) {
      fail(
        'onAuthorizationUrl',
        'a function',
        'the authorization_code grant needs onAuthorizationUrl',
      );
    }
    if (o.redirectUrl === undefined) {
      fail('redirectUrl', 'an absolute URL', 'the authorization_code grant needs redirectUrl');
    }
    if (o.tokenUrl !== undefined && o.authorizationUrl === undefined) {
      fail(
        'authorizationUrl',
        'an https URL',
        'with tokenUrl, the authorization_code grant needs authorizationUrl',
      );
    }
  }
  if (grantType === 'jwt_bearer') {
    if (o.assertion === undefined && o.enterprise === undefined) {
      fail(
        'assertion',
        'a JWT or a function returning one',
        'the jwt_bearer grant needs assertion or enterprise',
      );
    }
    if (o.assertion !== undefined && o.enterprise !== undefined) {
      fail(
        'enterprise',
        'either assertion or enterprise',
        'give assertion or enterprise, not both',
      );
    }
    if (o.enterprise !== undefined && o.clientId === undefined) {
      fail(
        'clientId',
        "the client ID registered with the MCP server's authorization server",
        'enterprise authorization needs clientId',
      );
    }
  }
  if (
    o.enterprise !== undefined &&
    o.enterprise.idpTokenUrl === undefined &&
    o.enterprise.idpIssuer === undefined
  ) {
    fail(
      'enterprise.idpTokenUrl',
      'an https URL',
      'enterprise authorization needs idpTokenUrl or idpIssuer',
    );
  }
  if (grantType === 'refresh_token' && o.refreshToken === undefined) {
    fail('refreshToken', 'a refresh token', 'the refresh_token grant needs refreshToken');
  }
  if (o.tokenUrl === undefined) {
    for (const field of ['authorizationUrl', 'revocationUrl'] as const) {
      if (o[field] !== undefined)
        fail(field, 'tokenUrl as well', `${field} is only used together with tokenUrl`);
    }
  }

  return {
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    privateKey: o.privateKey,
    privateKeyAlgorithm: o.privateKeyAlgorithm ?? 'RS256',
    clientAuthMethod: method ?? (o.privateKey !== undefined ? 'private_key_jwt' : undefined),
    clientMetadataUrl: o.clientMetadataUrl,
    clientName: o.clientName ?? 'TFrameX MCP client',
    grantType,
    refreshToken: o.refreshToken,
    scope: o.scopes && o.scopes.length > 0 ? o.scopes.join(' ') : undefined,
    tokenUrl: o.tokenUrl,
    authorizationUrl: o.authorizationUrl,
    revocationUrl: o.revocationUrl,
    issuer: o.issuer,
    resource: o.resource,
    redirectUrl: o.redirectUrl,
    onAuthorizationUrl: o.onAuthorizationUrl,
    tokenStore: o.tokenStore,
    refreshBeforeExpiryMs: o.refreshBeforeExpiryMs ?? 60_000,
    renewalLockTtlMs: o.renewalLockTtlMs ?? 60_000,
    maxStepUpAttempts: o.maxStepUpAttempts ?? 2,
    fetch: o.fetch,
    requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    now: o.now ?? Date.now,
    assertion: typeof o.assertion === 'string' ? constant(o.assertion) : o.assertion,
    enterprise: o.enterprise,
    dpop: resolveDpop(o.dpop),
  };
}
