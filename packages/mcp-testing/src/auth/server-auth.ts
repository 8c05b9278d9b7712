// What a MockMCPServer can require of its clients (bearer token, API key, basic credentials,
// OAuth 2.1 access token), and the gate that checks each HTTP request against it.
import type { AuthInfo } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { DpopProofChecker } from './dpop-proof.js';

/** What the OAuth scheme needs from an authorization server: its issuer and token lookup. */
export interface MockTokenIssuer {
  readonly issuer: string;
  /** The live token's details, or `undefined` when it is unknown, expired or revoked. */
  introspect(token: string): MockTokenInfo | undefined;
}

/** An access token as the authorization server issued it. */
export interface MockTokenInfo {
  clientId: string;
  scopes: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The RFC 8707 resource the token was issued for, if the client named one. */
  resource?: string;
  /** Thumbprint of the DPoP key the token is bound to: it must come with proofs by that key. */
  jkt?: string;
}

export type MockServerAuth =
  /** `Authorization: Bearer <token>`, one of `tokens`. */
  | { type: 'bearer'; tokens: string[] }
  /** An API key in a header (`x-api-key` by default), one of `keys`. */
  | { type: 'api-key'; header?: string; keys: string[] }
  /** `Authorization: Basic`, a user name and password from `users`. */
  | { type: 'basic'; users: Record<string, string> }
  /**
   * OAuth 2.1 access tokens from an authorization server (usually a MockAuthorizationServer).
   * The server publishes RFC 9728 protected resource metadata and challenges with
   * `WWW-Authenticate: Bearer resource_metadata=...`.
   */
  | {
      type: 'oauth';
      authorizationServer: MockTokenIssuer;
      /** Scopes every request needs; missing ones get `403 insufficient_scope`. */
      scopes?: string[];
      /** Extra scopes per tool, checked on `tools/call` (step-up authorization). */
      toolScopes?: Record<string, string[]>;
      /** Scopes advertised in the protected resource metadata (default: every scope named above). */
      scopesSupported?: string[];
      /** Refuse tokens issued for another resource (RFC 8707). Default true. */
      checkResource?: boolean;
      /**
       * DPoP-bound tokens (RFC 9449) always need a proof by their key; with `nonce`, proofs
       * must also carry this server's nonce (`401 use_dpop_nonce` hands it out).
       */
      dpop?: { nonce?: boolean };
    };

export const serverAuthSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('bearer'),
      tokens: z.array(z.string().min(1)).min(1, { error: 'at least one token' }),
    }),
    z.object({
      type: z.literal('api-key'),
      header: z
        .string()
        .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { error: 'an HTTP header name' })
        .optional(),
      keys: z.array(z.string().min(1)).min(1, { error: 'at least one key' }),
    }),
    z.object({
      type: z.literal('basic'),
      users: z.record(
        z.string().regex(/^[^:]+$/, { error: 'a user name without ":"' }),
        z.string(),
      ),
    }),
    z.object({
      type: z.literal('oauth'),
      authorizationServer: z.custom<MockTokenIssuer>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as MockTokenIssuer).introspect === 'function' &&
          'issuer' in value,
        { error: 'an authorization server (MockAuthorizationServer or { issuer, introspect })' },
      ),
      scopes: z.array(z.string().min(1)).optional(),
      toolScopes: z.record(z.string(), z.array(z.string().min(1))).optional(),
      scopesSupported: z.array(z.string().min(1)).optional(),
      checkResource: z.boolean().optional(),
      dpop: z.object({ nonce: z.boolean().optional() }).optional(),
    }),
  ],
  { error: 'an auth scheme: bearer, api-key, basic or oauth' },
);

function quote(value: string): string {
  return `"${value.replaceAll(/[\\"]/g, '\\$&')}"`;
}

function challenge(scheme: string, params: Record<string, string | undefined>): string {
  const rendered = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${quote(value)}`);
  return rendered.length > 0 ? `${scheme} ${rendered.join(', ')}` : scheme;
}

function refusal(
  status: 401 | 403,
  wwwAuthenticate: string,
  error: string,
  description: string,
): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { 'www-authenticate': wwwAuthenticate, 'cache-control': 'no-store' } },
  );
}

/** Compares resource identifiers as RFC 8707 does: no fragment, one trailing slash ignored. */
function sameResource(a: string, b: string): boolean {
  const normal = (value: string) => value.split('#')[0]!.replace(/\/$/, '');
  return normal(a) === normal(b);
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The access token and how it was presented: `Bearer` or `DPoP` (RFC 9449 §7.1). */
function presentedToken(
  request: Request,
): { token: string; scheme: 'bearer' | 'dpop' } | undefined {
  const header = request.headers.get('authorization');
  const match = header ? /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  return { token: match[2]!, scheme: match[1]!.toLowerCase() === 'dpop' ? 'dpop' : 'bearer' };
}

/** Where the protected resource metadata of an MCP endpoint lives (RFC 9728 §3.1). */
export function protectedResourceMetadataUrl(resourceUrl: string): string {
  const url = new URL(resourceUrl);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

export class AuthGate {
  readonly #auth: MockServerAuth;
  readonly #dpopProofs = new DpopProofChecker();

  constructor(auth: MockServerAuth) {
    this.#auth = auth;
  }

  get scheme(): MockServerAuth['type'] {
    return this.#auth.type;
  }

  /** The authenticated caller, or the refusal to send. */
  authenticate(request: Request, resourceUrl: string): AuthInfo | Response {
    const auth = this.#auth;
    switch (auth.type) {
      case 'bearer': {
        const token = bearerToken(request);
        if (token !== undefined && auth.tokens.includes(token)) {
          return { token, clientId: 'bearer', scopes: [], extra: { scheme: 'bearer' } };
        }
        return refusal(
          401,
          challenge('Bearer', {
            realm: 'mcp',
            error: token === undefined ? undefined : 'invalid_token',
          }),
          token === undefined ? 'invalid_request' : 'invalid_token',
          token === undefined ? 'A bearer token is required' : 'The bearer token is not valid',
        );
      }
      case 'api-key': {
        const header = auth.header ?? 'x-api-key';
        const key = request.headers.get(header);
        if (key !== null && auth.keys.includes(key)) {
          return { token: key, clientId: 'api-key', scopes: [], extra: { scheme: 'api-key' } };
        }
        return refusal(
          401,
          challenge('ApiKey', { realm: 'mcp', header }),
          'unauthorized',
          key === null
            ? `An API key is required in the ${header} header`
            : 'The API key is not valid',
        );
      }
      case 'basic': {
        const header = request.headers.get('authorization');
        const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
        const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : undefined;
        const colon = decoded?.indexOf(':') ?? -1;
        if (decoded !== undefined && colon > 0) {
          const user = decoded.slice(0, colon);
          if (Object.hasOwn(auth.users, user) && auth.users[user] === decoded.slice(colon + 1)) {
            return {
              token: match![1]!,
              clientId: user,
              scopes: [],
              extra: { scheme: 'basic', user },
            };
          }
        }
        return refusal(
          401,
          challenge('Basic', { realm: 'mcp', charset: 'UTF-8' }),
          'unauthorized',
          match ? 'The user name or password is not valid' : 'Basic credentials are required',
        );
      }
      case 'oauth': {
        const metadataUrl = protectedResourceMetadataUrl(resourceUrl);
        const scope = auth.scopes?.length ? auth.scopes.join(' ') : undefined;
        const presented = presentedToken(request);
        const token = presented?.token;
        const info = token === undefined ? undefined : auth.authorizationServer.introspect(token);
        const dpopRefusal =
          presented && info ? this.#dpopRefusal(request, presented, info, metadataUrl) : undefined;
        if (dpopRefusal) return dpopRefusal;
        const resourceOk =
          info !== undefined &&
          (auth.checkResource === false ||
            info.resource === undefined ||
            sameResource(info.resource, resourceUrl));
        if (token === undefined || info === undefined || !resourceOk) {
          const description =
            token === undefined
              ? 'An access token is required'
              : info === undefined
                ? 'The access token is invalid, expired or revoked'
                : 'The access token was issued for another resource';
          return refusal(
            401,
            challenge('Bearer', {
              error: token === undefined ? undefined : 'invalid_token',
              error_description: token === undefined ? undefined : description,
              scope,
              resource_metadata: metadataUrl,
            }),
            token === undefined ? 'invalid_request' : 'invalid_token',
            description,
          );
        }
        const authInfo: AuthInfo = {
          token: token,
          clientId: info.clientId,
          scopes: info.scopes,
          expiresAt: Math.floor(info.expiresAt / 1000),
          resourceMetadataUrl: metadataUrl,
          extra: { scheme: 'oauth' },
          ...(info.resource === undefined ? {} : { resource: new URL(info.resource) }),
        };
        return this.#scopeRefusal(authInfo, auth.scopes ?? [], metadataUrl) ?? authInfo;
      }
    }
  }

  /** The nonce DPoP proofs must carry (with `dpop: { nonce: true }`). */
  get dpopNonce(): string {
    return this.#dpopProofs.nonce;
  }

  /** Hands out a new DPoP nonce. */
  rotateDpopNonce(): string {
    return this.#dpopProofs.rotateNonce();
  }

  /** RFC 9449 §7: a bound token needs the DPoP scheme and a proof by its key; `undefined` when fine. */
  #dpopRefusal(
    request: Request,
    presented: { token: string; scheme: 'bearer' | 'dpop' },
    info: MockTokenInfo,
    metadataUrl: string,
  ): Response | undefined {
    if (info.jkt === undefined && presented.scheme === 'bearer') return undefined;
    const refuse = (error: string, description: string, headers: Record<string, string> = {}) => {
      const response = refusal(
        401,
        challenge('DPoP', {
          error,
          error_description: description,
          resource_metadata: metadataUrl,
        }),
        error,
        description,
      );
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    };
    if (info.jkt === undefined)
      return refuse('invalid_token', 'The access token is not bound to a DPoP key');
    if (presented.scheme !== 'dpop')
      return refuse('invalid_token', 'A DPoP-bound token must be presented with the DPoP scheme');
    const auth = this.#auth;
    const nonce = auth.type === 'oauth' && auth.dpop?.nonce ? this.#dpopProofs.nonce : undefined;
    const check = this.#dpopProofs.check(request.headers.get('dpop'), {
      method: request.method,
      url: request.url,
      accessToken: presented.token,
      jkt: info.jkt,
      ...(nonce === undefined ? {} : { nonce }),
    });
    if (check.ok) return undefined;
    return refuse(
      check.error,
      check.description,
      check.error === 'use_dpop_nonce' ? { 'dpop-nonce': this.#dpopProofs.nonce } : {},
    );
  }

  /** `403 insufficient_scope` when calling `tool` needs scopes the token lacks (OAuth only). */
  toolScopeRefusal(authInfo: AuthInfo, tool: string, resourceUrl: string): Response | undefined {
    const auth = this.#auth;
    if (auth.type !== 'oauth') return undefined;
    const needed = auth.toolScopes?.[tool];
    if (!needed?.length) return undefined;
    return this.#scopeRefusal(
      authInfo,
      [...(auth.scopes ?? []), ...needed],
      protectedResourceMetadataUrl(resourceUrl),
    );
  }

  /** RFC 9728 protected resource metadata for the MCP endpoint at `resourceUrl` (OAuth only). */
  protectedResourceMetadata(resourceUrl: string): Record<string, unknown> | undefined {
    const auth = this.#auth;
    if (auth.type !== 'oauth') return undefined;
    const scopes = auth.scopesSupported ?? [
      ...new Set([...(auth.scopes ?? []), ...Object.values(auth.toolScopes ?? {}).flat()]),
    ];
    return {
      resource: resourceUrl,
      authorization_servers: [auth.authorizationServer.issuer],
      bearer_methods_supported: ['header'],
      ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
      resource_name: 'Mock MCP server',
    };
  }

  #scopeRefusal(authInfo: AuthInfo, needed: string[], metadataUrl: string): Response | undefined {
    const missing = needed.filter((scope) => !authInfo.scopes.includes(scope));
    if (missing.length === 0) return undefined;
    // The challenge names every scope the operation needs (not only the missing ones).
    const scope = [...new Set(needed)].join(' ');
    return refusal(
      403,
      challenge('Bearer', {
        error: 'insufficient_scope',
        scope,
        resource_metadata: metadataUrl,
        error_description: `Missing scope: ${missing.join(' ')}`,
      }),
      'insufficient_scope',
      `Missing scope: ${missing.join(' ')}`,
    );
  }
}
