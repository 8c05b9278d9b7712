// DPoP (RFC 9449) for OAuth2Auth: one signing key per plugin instance, proofs on token
// requests (through the SDK's token helpers) and on every request to the MCP server, server
// nonces remembered per origin, and the checks that keep a bound token with its key.
import {
  DpopSession,
  type AuthorizationServerMetadata,
  type DpopAlg,
  type DpopKeyPair,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import type { McpAuthChallenge } from '@tframex/mcp-auth-api';
import { McpAuthError } from '@tframex/mcp-api';
import { jwkThumbprint, publicJwkOf, signingAlgorithmOf } from './dpop-key.js';
import type {
  OAuth2DpopAlgorithm,
  ResolvedDpopOptions,
  WebCryptoKeyPair,
} from './oauth2-extension-options.js';

const GENERATABLE: readonly OAuth2DpopAlgorithm[] = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'PS256',
  'RS256',
];

function decodeJwtPart(jwt: string, index: number): Record<string, unknown> | undefined {
  const part = jwt.split('.')[index];
  if (part === undefined) return undefined;
  try {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const value: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))),
    );
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function headerValue(record: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export class DpopBinding {
  readonly #options: ResolvedDpopOptions;
  #session: Promise<DpopSession> | undefined;

  constructor(options: ResolvedDpopOptions) {
    this.#options = options;
  }

  get required(): boolean {
    return this.#options.use === 'always';
  }

  /**
   * The session to use with this authorization server, or `undefined` when DPoP is not used
   * there (`if-supported` and the metadata lists no algorithm this client can sign with).
   */
  async sessionFor(
    metadata: AuthorizationServerMetadata | undefined,
  ): Promise<DpopSession | undefined> {
    const offered = (metadata as { dpop_signing_alg_values_supported?: unknown } | undefined)
      ?.dpop_signing_alg_values_supported;
    const algorithms = Array.isArray(offered)
      ? offered.filter((alg): alg is string => typeof alg === 'string')
      : [];
    if (!this.required && algorithms.length === 0) return undefined;
    const session = await this.#create(algorithms);
    if (!this.required && !algorithms.includes(session.alg)) return undefined;
    return session;
  }

  /** The session already made, if any (the key is made once, on first use). */
  async current(): Promise<DpopSession | undefined> {
    return this.#session?.catch(() => undefined);
  }

  #create(offered: string[]): Promise<DpopSession> {
    this.#session ??= this.#make(offered).catch((error: unknown) => {
      this.#session = undefined;
      throw error;
    });
    return this.#session;
  }

  async #make(offered: string[]): Promise<DpopSession> {
    const options = this.#options;
    if (options.keyPair) {
      let pair: WebCryptoKeyPair;
      try {
        pair = await options.keyPair();
      } catch (cause) {
        throw new McpAuthError('loading the DPoP key pair failed', {
          reason: 'unauthorized',
          cause,
        });
      }
      const alg = signingAlgorithmOf(pair.privateKey);
      const publicJwk = await publicJwkOf(pair.publicKey);
      const keyPair: DpopKeyPair = {
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        publicJwk,
        thumbprint: await jwkThumbprint(publicJwk),
        alg,
      };
      return DpopSession.create({ keyPair });
    }
    const alg =
      options.algorithm ??
      (offered.length === 0 || offered.includes('ES256')
        ? 'ES256'
        : (GENERATABLE.find((candidate) => offered.includes(candidate)) ?? 'ES256'));
    return DpopSession.create({ alg: alg as DpopAlg });
  }

  /**
   * Checks what the token endpoint issued: a DPoP token must be bound to this key (`cnf.jkt`
   * of a JWT access token), and `always` refuses an unbound one. Returns whether it is bound.
   */
  checkIssued(tokens: OAuthTokens, session: DpopSession | undefined): boolean {
    const bound = tokens.token_type.toLowerCase() === 'dpop';
    if (!bound) {
      if (session && this.required) {
        throw new McpAuthError(
          `the authorization server issued a ${JSON.stringify(tokens.token_type)} token although DPoP is required`,
          { reason: 'invalid_token' },
        );
      }
      return false;
    }
    if (!session) {
      throw new McpAuthError('the authorization server issued a DPoP token without a DPoP proof', {
        reason: 'invalid_token',
      });
    }
    const claims =
      tokens.access_token.split('.').length === 3
        ? decodeJwtPart(tokens.access_token, 1)
        : undefined;
    const jkt = (claims?.cnf as { jkt?: unknown } | undefined)?.jkt;
    if (jkt !== undefined && jkt !== session.thumbprint) {
      throw new McpAuthError(
        'the DPoP token the authorization server issued is bound to another key',
        {
          reason: 'invalid_token',
        },
      );
    }
    return true;
  }

  /** `Authorization: DPoP <token>` and a fresh proof for this request (RFC 9449 §7.1). */
  async headers(
    accessToken: string,
    request: { method: string; url: string },
  ): Promise<Record<string, string>> {
    const session = await this.current();
    if (!session) {
      throw new McpAuthError('a DPoP token is held but no DPoP key is available', {
        reason: 'invalid_token',
      });
    }
    const proof = await session.buildProof({ htm: request.method, htu: request.url, accessToken });
    return { Authorization: `DPoP ${accessToken}`, DPoP: proof };
  }

  /** Keeps a nonce a server handed out on any answer (RFC 9449 §8.2, §9). */
  async observe(url: string, headers: Readonly<Record<string, string>>): Promise<void> {
    const nonce = headerValue(headers, 'dpop-nonce');
    if (nonce === undefined || nonce === '') return;
    (await this.current())?.rememberNonce(url, nonce);
  }

  /**
   * Answers a resource server's `use_dpop_nonce` challenge to a request with a proof: `retry`
   * with the nonce it handed out, unless the refused proof already carried that nonce;
   * `undefined` for other refusals (the nonce is kept all the same).
   */
  async nonceChallenge(challenge: McpAuthChallenge): Promise<'retry' | 'fail' | undefined> {
    const asked = challenge.challenges.some(
      (c) => c.scheme === 'dpop' && c.params.error === 'use_dpop_nonce',
    );
    if (!asked || challenge.status !== 401) return undefined;
    const nonce = headerValue(challenge.responseHeaders ?? {}, 'dpop-nonce');
    if (nonce !== undefined && nonce !== '')
      await this.observe(challenge.url, { 'dpop-nonce': nonce });
    const proof = headerValue(challenge.credentials, 'dpop');
    // A request without a proof (no token yet, or a Bearer one) is handled as any refusal.
    if (proof === undefined) return undefined;
    if (nonce === undefined || nonce === '') return 'fail';
    const used = proof === undefined ? undefined : decodeJwtPart(proof, 1)?.nonce;
    return used === nonce ? 'fail' : 'retry';
  }
}
