// OAuth2Auth's options for the enterprise extensions of MCP authorization: the JWT bearer
// grant (workload identity, enterprise-managed authorization) and DPoP. Their types, their
// validation (merged into OAuth2Auth's option schema) and their normalized form.
import type { Awaitable } from '@tframex/mcp-auth-api';
import { z } from 'zod';
import { isSecureEndpoint } from '../internal/secure-endpoint.js';

/** What an assertion function is told about the token request it serves. */
export interface AssertionContext {
  /** Issuer of the authorization server the assertion is for (its usual `aud`). */
  issuer: string;
  /** The token endpoint the assertion is presented at. */
  tokenEndpoint: string;
  /** The MCP server's resource identifier (RFC 8707), when known. */
  resource: string | undefined;
  /** The scope being asked for, if any. */
  scope: string | undefined;
}

/** Returns a JWT for the JWT bearer grant; called for every token request. */
export type AssertionSource = (context: AssertionContext) => Awaitable<string>;

/** The enterprise identity provider and the user's ID token there. */
export interface EnterpriseAuthorizationOptions {
  /** The user's OpenID Connect ID token, or a function returning the current one. */
  idToken: string | (() => Awaitable<string>);
  /** Token endpoint of the identity provider (RFC 8693 token exchange). */
  idpTokenUrl?: string;
  /** Issuer of the identity provider, to discover its token endpoint when `idpTokenUrl` is not given. */
  idpIssuer?: string;
  /** This application's client ID at the identity provider. */
  idpClientId: string;
  /** This application's client secret at the identity provider (public clients have none). */
  idpClientSecret?: string;
}

/** When DPoP is used: only where the authorization server offers it, or always. */
export type OAuth2DpopMode = 'if-supported' | 'always';

/** A JWS algorithm DPoP proofs can be signed with. */
export type OAuth2DpopAlgorithm =
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'EdDSA';

/** A Web Crypto key (`CryptoKey`), in whatever typing the runtime declares. */
export type WebCryptoKey = Parameters<typeof crypto.subtle.exportKey>[1];

/** A Web Crypto key pair (`CryptoKeyPair`), e.g. from `crypto.subtle.generateKey`. */
export interface WebCryptoKeyPair {
  privateKey: WebCryptoKey;
  publicKey: WebCryptoKey;
}

export interface OAuth2DpopOptions {
  /** Default `'if-supported'`. */
  use?: OAuth2DpopMode;
  /** Algorithm of a generated key (default ES256, else the first the server lists that can be made). */
  algorithm?: OAuth2DpopAlgorithm;
  /**
   * The key pair to sign proofs with (Web Crypto keys; keep the private key non-extractable),
   * or a function that loads it from a store. By default a key pair is generated per instance.
   */
  keyPair?: WebCryptoKeyPair | (() => Awaitable<WebCryptoKeyPair>);
}

/** DPoP settings, normalized. */
export interface ResolvedDpopOptions {
  use: OAuth2DpopMode;
  algorithm: OAuth2DpopAlgorithm | undefined;
  keyPair: (() => Awaitable<WebCryptoKeyPair>) | undefined;
}

const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: what });

const nonEmpty = (what: string) => z.string({ error: what }).min(1, { error: what });

const idpUrl = z
  .string({ error: 'an https URL (http only for localhost)' })
  .refine(isSecureEndpoint, { error: 'an https URL (http only for localhost), without user info' });

const isCryptoKey = (value: unknown): boolean => {
  const type = (globalThis as { CryptoKey?: abstract new () => unknown }).CryptoKey;
  return typeof type === 'function' && value instanceof type;
};

const isKeyPair = (value: unknown): value is WebCryptoKeyPair =>
  typeof value === 'object' &&
  value !== null &&
  isCryptoKey((value as WebCryptoKeyPair).privateKey) &&
  isCryptoKey((value as WebCryptoKeyPair).publicKey);

/** The zod fields of these options, spread into OAuth2Auth's option schema. */
export const extensionOptionShape = {
  assertion: z
    .union(
      [
        z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]*$/),
        z.custom<AssertionSource>((value) => typeof value === 'function'),
      ],
      { error: 'a JWT or a function returning one' },
    )
    .optional(),
  enterprise: z
    .strictObject(
      {
        idToken: z.union([
          nonEmpty('an ID token or a function returning one'),
          fn<() => Awaitable<string>>('an ID token or a function returning one'),
        ]),
        idpTokenUrl: idpUrl.optional(),
        idpIssuer: idpUrl.optional(),
        idpClientId: nonEmpty('a non-empty string'),
        idpClientSecret: nonEmpty('a non-empty string').optional(),
      },
      { error: 'the identity provider: { idToken, idpClientId, idpTokenUrl or idpIssuer }' },
    )
    .optional(),
  dpop: z
    .union(
      [
        z.enum(['if-supported', 'always']),
        z.strictObject({
          use: z.enum(['if-supported', 'always']).optional(),
          algorithm: z.enum(DPOP_ALGORITHMS).optional(),
          keyPair: z
            .custom<
              WebCryptoKeyPair | (() => Awaitable<WebCryptoKeyPair>)
            >((value) => typeof value === 'function' || isKeyPair(value))
            .optional(),
        }),
      ],
      {
        error:
          "'if-supported', 'always' or { use, algorithm, keyPair } (keyPair: a CryptoKeyPair or a function returning one)",
      },
    )
    .optional(),
};

export function resolveDpop(
  option: OAuth2DpopMode | OAuth2DpopOptions | undefined,
): ResolvedDpopOptions | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'string') return { use: option, algorithm: undefined, keyPair: undefined };
  const keyPair = option.keyPair;
  return {
    use: option.use ?? 'if-supported',
    algorithm: option.algorithm,
    keyPair: keyPair === undefined || typeof keyPair === 'function' ? keyPair : () => keyPair,
  };
}
