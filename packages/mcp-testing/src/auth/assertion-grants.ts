// The assertion grants of the simulated authorization server: the JWT bearer grant (RFC 7523)
// with assertions from trusted issuers (a workload's platform JWT, or an ID-JAG from an
// identity provider), and, for a server playing the identity provider, the token exchange
// (RFC 8693) that turns an ID token it issued into an ID-JAG for another authorization server.
import { randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { verifyJws, signJws, type VerifiedJws } from './jws.js';
import { oauthError, oauthJson } from './oauth-response.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const ID_JAG_TYP = 'oauth-id-jag+jwt';

/** An issuer whose JWTs the JWT bearer grant accepts. */
export interface MockTrustedIssuer {
  /** The `iss` of its assertions. */
  issuer: string;
  /** Its public key: a JWK (e.g. `MockAuthorizationServer.publicJwk`) or a KeyObject. */
  publicKey: JsonWebKey | KeyObject;
}

/** What a valid assertion lets the server issue. */
export interface AcceptedAssertion {
  /** The client the token is for: the authenticated one, else the assertion's subject. */
  clientId: string;
  subject: string;
  /** The ID-JAG's resource, when the assertion is one. */
  resource: string | undefined;
  idJag: boolean;
}

const nowSeconds = (now: number) => Math.floor(now / 1000);

function audienceOk(aud: unknown, accepted: string[]): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some(
    (value) => typeof value === 'string' && accepted.includes(value.replace(/\/$/, '')),
  );
}

function expiryOk(claims: Record<string, unknown>, now: number): boolean {
  return typeof claims.exp === 'number' && claims.exp > nowSeconds(now) - 5;
}

/** Checks the JWT bearer grant's assertion; an error answer when it is not acceptable. */
export function acceptAssertion(input: {
  assertion: string | null;
  trusted: readonly MockTrustedIssuer[];
  /** The authorization server's issuer and token endpoint: the audiences accepted. */
  audiences: string[];
  /** The authenticated client, if the request carried client credentials. */
  clientId: string | undefined;
  now: number;
}): AcceptedAssertion | Response {
  const { assertion } = input;
  if (assertion === null || assertion === '')
    return oauthError('invalid_request', 'The assertion parameter is required');
  let verified: VerifiedJws | undefined;
  for (const issuer of input.trusted) {
    const candidate = verifyJws(assertion, issuer.publicKey);
    if (candidate && candidate.claims.iss === issuer.issuer) {
      verified = candidate;
      break;
    }
  }
  if (!verified)
    return oauthError('invalid_grant', 'The assertion is not signed by a trusted issuer');
  const { header, claims } = verified;
  if (
    !audienceOk(
      claims.aud,
      input.audiences.map((value) => value.replace(/\/$/, '')),
    )
  )
    return oauthError('invalid_grant', 'The assertion is meant for another audience');
  if (!expiryOk(claims, input.now)) return oauthError('invalid_grant', 'The assertion expired');
  if (typeof claims.sub !== 'string' || claims.sub === '')
    return oauthError('invalid_grant', 'The assertion names no subject');
  const idJag = header.typ === ID_JAG_TYP;
  if (idJag) {
    if (input.clientId === undefined)
      return oauthError(
        'invalid_client',
        'An ID-JAG is only accepted from an authenticated client',
        401,
      );
    if (claims.client_id !== input.clientId)
      return oauthError('invalid_grant', 'The ID-JAG was issued for another client');
  }
  return {
    clientId: input.clientId ?? claims.sub,
    subject: claims.sub,
    resource: idJag && typeof claims.resource === 'string' ? claims.resource : undefined,
    idJag,
  };
}

/** Signs an OpenID Connect ID token as this identity provider would after a login. */
export function signIdToken(input: {
  issuer: string;
  key: KeyObject;
  subject: string;
  audience: string;
  now: number;
  ttlSeconds?: number;
}): string {
  const iat = nowSeconds(input.now);
  return signJws(
    {
      iss: input.issuer,
      sub: input.subject,
      aud: input.audience,
      iat,
      exp: iat + (input.ttlSeconds ?? 3600),
    },
    input.key,
    { typ: 'JWT' },
  );
}

/**
 * RFC 8693 token exchange at the identity provider: an ID token it issued to `clientId`
 * becomes an ID-JAG for `audience` (the MCP server's authorization server) and `resource`.
 */
export function exchangeForIdJag(input: {
  form: URLSearchParams;
  issuer: string;
  key: KeyObject;
  publicJwk: JsonWebKey;
  clientId: string;
  /** The client ID the ID-JAG names at each audience (default: the requesting client's). */
  clientIds: Readonly<Record<string, string>> | undefined;
  now: number;
  ttlSeconds?: number;
}): Response {
  const { form } = input;
  if (form.get('requested_token_type') !== ID_JAG_TOKEN_TYPE)
    return oauthError('invalid_request', `requested_token_type must be ${ID_JAG_TOKEN_TYPE}`);
  if (form.get('subject_token_type') !== ID_TOKEN_TYPE)
    return oauthError('invalid_request', `subject_token_type must be ${ID_TOKEN_TYPE}`);
  const audience = form.get('audience');
  const resource = form.get('resource');
  if (!audience || !resource)
    return oauthError('invalid_request', 'audience and resource are required');
  const idToken = verifyJws(form.get('subject_token') ?? '', input.publicJwk);
  const claims = idToken?.claims;
  if (
    !claims ||
    claims.iss !== input.issuer ||
    claims.aud !== input.clientId ||
    !expiryOk(claims, input.now) ||
    typeof claims.sub !== 'string'
  ) {
    return oauthError('invalid_grant', 'The subject token is not a valid ID token for this client');
  }
  const iat = nowSeconds(input.now);
  const ttl = input.ttlSeconds ?? 300;
  const scope = form.get('scope');
  const idJag = signJws(
    {
      iss: input.issuer,
      sub: claims.sub,
      aud: audience,
      resource,
      client_id: input.clientIds?.[audience.replace(/\/$/, '')] ?? input.clientId,
      ...(scope ? { scope } : {}),
      jti: randomUUID(),
      iat,
      exp: iat + ttl,
    },
    input.key,
    { typ: ID_JAG_TYP },
  );
  return oauthJson({
    access_token: idJag,
    issued_token_type: ID_JAG_TOKEN_TYPE,
    token_type: 'N_A',
    expires_in: ttl,
    ...(scope ? { scope } : {}),
  });
}
