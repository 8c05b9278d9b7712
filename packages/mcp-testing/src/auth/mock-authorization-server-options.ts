// MockAuthorizationServer's public option and record types, and the schemas its options are
// validated with.
import type { JsonWebKey, KeyObject } from 'node:crypto';
import * as z from 'zod';
import type { MockTrustedIssuer } from './assertion-grants.js';
import type { ClientAuthMethod } from './client-credentials.js';

export type OAuthGrantType = 'authorization_code' | 'client_credentials' | 'refresh_token';

export interface MockOAuthClient {
  clientId: string;
  /** Absent for a public client (authenticates with PKCE alone). */
  clientSecret?: string;
  redirectUris?: string[];
  /** Default: all three for a confidential client; code and refresh for a public one. */
  grantTypes?: OAuthGrantType[];
  /** Scopes the client may obtain (default: any the server supports). */
  scopes?: string[];
  /** Enforced when set; otherwise Basic and POST credentials are both accepted. */
  tokenEndpointAuthMethod?: ClientAuthMethod;
  clientName?: string;
}

/** Which discovery documents to serve: RFC 8414, OpenID Connect Discovery, or both. */
export type MockAuthMetadataStyle = 'both' | 'oauth' | 'oidc';

export interface MockAuthorizationServerOptions {
  /** A fixed issuer (e.g. `https://auth.example.com` behind msw); by default the started URL. */
  issuer?: string;
  clients?: MockOAuthClient[];
  /** Scopes the server knows; requests for others get `invalid_scope`. Any scope when absent. */
  scopesSupported?: string[];
  /** Granted when a request names no scope (default none). */
  defaultScopes?: string[];
  /** Default 1 hour. */
  accessTokenTtlMs?: number;
  /** Default 1 day. */
  refreshTokenTtlMs?: number;
  /** Default 1 minute. */
  authorizationCodeTtlMs?: number;
  /** Serve RFC 7591 registration (default true). */
  dynamicRegistration?: boolean;
  metadata?: MockAuthMetadataStyle;
  /** The clock tokens expire by (epoch ms); default `Date.now`. */
  now?: () => number;
  /**
   * DPoP (RFC 9449): token requests with a proof get tokens bound to its key (`token_type:
   * DPoP`); `required` refuses requests without one, `nonce` makes proofs carry a server nonce.
   */
  dpop?: MockDpopOptions;
  /** Issuers whose JWTs the JWT bearer grant accepts (workload identity, ID-JAGs). */
  trustedIssuers?: MockTrustedIssuer[];
  /**
   * Play an enterprise identity provider: `issueIdToken` signs ID tokens, and the token
   * endpoint exchanges them (RFC 8693) for ID-JAGs. `clientIds` names the client ID an ID-JAG
   * carries for each audience (default: the requesting client's own ID).
   */
  identityProvider?: { clientIds?: Record<string, string> };
}

export interface MockDpopOptions {
  /** Refuse token requests without a proof (default false: a proof is optional). */
  required?: boolean;
  /** Proofs must carry the server's nonce (`use_dpop_nonce` otherwise). Default false. */
  nonce?: boolean;
  /** Advertised as `dpop_signing_alg_values_supported` (default ES256, ES384, EdDSA, RS256, PS256). */
  algorithms?: string[];
}

export interface MockAuthStartOptions {
  host?: string;
  port?: number;
  /** Path of the issuer, e.g. `/tenant1` (RFC 8414 path-aware discovery). Default none. */
  path?: string;
}

/** A token issued by `issueToken` (or any grant). */
export interface MockIssuedToken {
  accessToken: string;
  refreshToken: string | undefined;
  scopes: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Thumbprint of the DPoP key the token is bound to (RFC 9449 `cnf.jkt`). */
  jkt?: string;
}

/** What the authorization server recorded of one request (secrets left out). */
export interface RecordedAuthRequest {
  readonly endpoint:
    | 'metadata'
    | 'authorize'
    | 'token'
    | 'register'
    | 'revoke'
    | 'introspect'
    | 'jwks'
    | 'unknown';
  readonly method: string;
  /** Query or form parameters, without `client_secret`. */
  readonly params: Readonly<Record<string, string>>;
  /** How the client authenticated, at token-type endpoints. */
  readonly clientAuth: ClientAuthMethod | undefined;
  readonly status: number;
  readonly receivedAt: number;
}

/** An error to answer an endpoint's next request with (`failNext`). */
export interface MockAuthFailure {
  status?: number;
  error?: string;
  description?: string;
}

export const ALL_GRANTS: OAuthGrantType[] = [
  'authorization_code',
  'client_credentials',
  'refresh_token',
];
export const AUTH_METHODS: ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'none',
];

export const clientSchema = z.object({
  clientId: z.string().min(1, { error: 'a non-empty client id' }),
  clientSecret: z.string().min(1).optional(),
  redirectUris: z.array(z.url({ error: 'an absolute redirect URI' })).optional(),
  grantTypes: z.array(z.enum(ALL_GRANTS)).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  tokenEndpointAuthMethod: z.enum(AUTH_METHODS).optional(),
  clientName: z.string().optional(),
});
const positiveMs = z.number().int().positive({ error: 'a positive number of milliseconds' });
export const optionsSchema = z.object({
  issuer: z.url({ error: 'an absolute URL' }).optional(),
  clients: z.array(clientSchema).optional(),
  scopesSupported: z.array(z.string().min(1)).optional(),
  defaultScopes: z.array(z.string().min(1)).optional(),
  accessTokenTtlMs: positiveMs.optional(),
  refreshTokenTtlMs: positiveMs.optional(),
  authorizationCodeTtlMs: positiveMs.optional(),
  dynamicRegistration: z.boolean().optional(),
  metadata: z.enum(['both', 'oauth', 'oidc']).optional(),
  now: z.custom<() => number>((v) => typeof v === 'function', { error: 'a function' }).optional(),
  dpop: z
    .object({
      required: z.boolean().optional(),
      nonce: z.boolean().optional(),
      algorithms: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  trustedIssuers: z
    .array(
      z.object({
        issuer: z.string().min(1, { error: 'an issuer identifier' }),
        publicKey: z.custom<JsonWebKey | KeyObject>((v) => typeof v === 'object' && v !== null, {
          error: 'a public JWK or KeyObject',
        }),
      }),
    )
    .optional(),
  identityProvider: z.object({ clientIds: z.record(z.string(), z.string()).optional() }).optional(),
});
export const startSchema = z.object({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535, { error: 'a port (0-65535)' }).optional(),
  path: z
    .string()
    .regex(/^(\/[^/?#]+)*$/, { error: 'a path like /tenant (no trailing slash)' })
    .optional(),
});
