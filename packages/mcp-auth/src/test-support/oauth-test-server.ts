// A real OAuth 2.1 authorization server on node:http for the tests: RFC 8414 metadata,
// authorization code with PKCE (approves at once and redirects back, with `iss`), client
// credentials, refresh with rotation, dynamic registration, revocation and client
// authentication by secret (basic / post), none, or private_key_jwt.
import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  sendJson,
  startHttpServer,
  type HttpTestServer,
  type ReceivedRequest,
} from './http-test-server.js';

export interface TestClient {
  clientId: string;
  clientSecret?: string;
  /** Public key (PEM) for private_key_jwt. */
  publicKey?: string;
  tokenEndpointAuthMethod?: string;
}

export interface OAuthTestServerOptions {
  clients?: TestClient[];
  scopesSupported?: string[];
  tokenEndpointAuthMethods?: string[];
  registration?: boolean;
  clientIdMetadataDocuments?: boolean;
  /** What `iss` the redirect carries (default: the issuer). */
  issInRedirect?: 'issuer' | 'other' | 'none';
  issParameterSupported?: boolean;
  accessTokenTtlSeconds?: number;
  /** Held before every token response (concurrency tests release it). */
  beforeTokenResponse?: (grantType: string) => Promise<void>;
  /** Overrides merged into the metadata document. */
  metadata?: Record<string, unknown>;
  /** Public key (PEM) that JWT bearer grant assertions must be signed with (RFC 7523). */
  assertionKey?: string;
  /** The scope granted for a requested one (default: exactly what was asked). */
  grantScope?: (requested: string | undefined) => string | undefined;
}

export interface IssuedToken {
  clientId: string;
  scope: string | undefined;
  resource: string | undefined;
  revoked: boolean;
  expired: boolean;
}

export interface TokenRequestRecord {
  grantType: string;
  clientId: string | undefined;
  /** The JWT bearer grant's assertion. */
  assertion?: string | undefined;
  authMethod: string;
  scope: string | undefined;
  resource: string | undefined;
}

export interface AuthorizationRecord {
  clientId: string;
  scope: string | undefined;
  resource: string | undefined;
  redirectUri: string;
}

export interface OAuthTestServer {
  issuer: string;
  url: string;
  received: ReceivedRequest[];
  tokenRequests: TokenRequestRecord[];
  authorizations: AuthorizationRecord[];
  registrations: Record<string, unknown>[];
  revocations: { token: string; hint: string | undefined }[];
  /** The token's record, if it is valid (issued, not revoked, not expired). */
  verify(accessToken: string): IssuedToken | undefined;
  /** Expires every access token issued so far (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Revokes every token issued so far, refresh tokens included. */
  revokeAll(): void;
  /** Forgets every dynamically registered client (as after a server reset). */
  forgetRegisteredClients(): void;
  close(): Promise<void>;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string | undefined;
  resource: string | undefined;
}

interface RefreshGrant {
  clientId: string;
  scope: string | undefined;
  resource: string | undefined;
  revoked: boolean;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const b64url = (buffer: Buffer) => buffer.toString('base64url');
const token = (prefix: string) => `${prefix}-${b64url(randomBytes(16))}`;

function oauthError(
  response: ServerResponse,
  status: number,
  error: string,
  description?: string,
): void {
  sendJson(response, status, { error, ...(description ? { error_description: description } : {}) });
}

/** Verifies a JWT signed with an RSA or EC key; returns its claims. */
function verifyJwt(jwt: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (jwt.split('.').length !== 3) return undefined;
  if (!header || !payload || !signature) return undefined;
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg: string };
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const hash = `sha${alg.slice(2)}`;
  const ok = alg.startsWith('ES')
    ? verify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)
    : verify(hash, data, publicKey, sig);
  return ok
    ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>)
    : undefined;
}

export async function startOAuthTestServer(
  options: OAuthTestServerOptions = {},
): Promise<OAuthTestServer> {
  const clients = new Map<string, TestClient>((options.clients ?? []).map((c) => [c.clientId, c]));
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, IssuedToken>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const tokenRequests: TokenRequestRecord[] = [];
  const authorizations: AuthorizationRecord[] = [];
  const registrations: Record<string, unknown>[] = [];
  const registered = new Set<string>();
  const revocations: { token: string; hint: string | undefined }[] = [];
  const methods = options.tokenEndpointAuthMethods ?? [
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'none',
  ];
  let issuer = '';
  const granted = options.grantScope ?? ((requested: string | undefined) => requested);

  const metadata = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    ...(options.registration === false ? {} : { registration_endpoint: `${issuer}/register` }),
    ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: methods,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: options.issParameterSupported ?? true,
    ...(options.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
    ...options.metadata,
  });

  /** Who the client is and how it proved it; undefined when it failed. */
  const authenticate = (request: ReceivedRequest, form: URLSearchParams) => {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(authorization.slice(6), 'base64')
        .toString('utf8')
        .split(':')
        .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      const client = clients.get(id ?? '');
      return client?.clientSecret !== undefined && client.clientSecret === secret
        ? { client, method: 'client_secret_basic' }
        : undefined;
    }
    const assertion = form.get('client_assertion');
    if (assertion !== null) {
      const claims = JSON.parse(
        Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as {
        sub?: string;
      };
      const client = clients.get(claims.sub ?? '');
      if (!client?.publicKey) return undefined;
      const verified = verifyJwt(assertion, createPublicKey(client.publicKey));
      const audience = verified?.aud;
      const audOk =
        audience === issuer || audience === `${issuer}/token` || audience === `${issuer}/`;
      const expOk = typeof verified?.exp === 'number' && verified.exp * 1000 > Date.now();
      return verified && verified.iss === client.clientId && audOk && expOk
        ? { client, method: 'private_key_jwt' }
        : undefined;
    }
    const id = form.get('client_id') ?? '';
    const secret = form.get('client_secret');
    if (secret !== null) {
      const client = clients.get(id);
      return client?.clientSecret === secret ? { client, method: 'client_secret_post' } : undefined;
    }
    const client =
      clients.get(id) ??
      (options.clientIdMetadataDocuments && id.startsWith('https://')
        ? { clientId: id }
        : undefined);
    return client && client.clientSecret === undefined && !client.publicKey
      ? { client, method: 'none' }
      : undefined;
  };

  const issue = (
    response: ServerResponse,
    grant: { clientId: string; scope: string | undefined; resource: string | undefined },
    withRefresh: boolean,
  ) => {
    const accessToken = token('at');
    accessTokens.set(accessToken, { ...grant, revoked: false, expired: false });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: options.accessTokenTtlSeconds ?? 3600,
    };
    if (grant.scope !== undefined) body.scope = grant.scope;
    if (withRefresh) {
      const refreshToken = token('rt');
      refreshTokens.set(refreshToken, { ...grant, revoked: false });
      body.refresh_token = refreshToken;
    }
    sendJson(response, 200, body, { 'cache-control': 'no-store' });
  };

  const server: HttpTestServer = await startHttpServer(async (request, response) => {
    const form = new URLSearchParams(request.body);
    switch (`${request.method} ${request.path}`) {
      case 'GET /.well-known/oauth-authorization-server':
        return sendJson(response, 200, metadata());
      case 'GET /authorize': {
        const q = request.url.searchParams;
        const clientId = q.get('client_id') ?? '';
        const known =
          clients.has(clientId) ||
          (options.clientIdMetadataDocuments && clientId.startsWith('https://'));
        const redirectUri = q.get('redirect_uri') ?? '';
        if (
          !known ||
          q.get('response_type') !== 'code' ||
          q.get('code_challenge_method') !== 'S256'
        ) {
          return oauthError(response, 400, 'invalid_request');
        }
        authorizations.push({
          clientId,
          scope: q.get('scope') ?? undefined,
          resource: q.get('resource') ?? undefined,
          redirectUri,
        });
        const code = token('code');
        codes.set(code, {
          clientId,
          redirectUri,
          codeChallenge: q.get('code_challenge') ?? '',
          scope: granted(q.get('scope') ?? undefined),
          resource: q.get('resource') ?? undefined,
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        if (q.get('state') !== null) back.searchParams.set('state', q.get('state')!);
        const iss = options.issInRedirect ?? 'issuer';
        if (iss !== 'none')
          back.searchParams.set('iss', iss === 'issuer' ? issuer : 'https://evil.example');
        response.writeHead(302, { location: back.href }).end();
        return;
      }
      case 'POST /register': {
        if (options.registration === false) return oauthError(response, 404, 'not_found');
        const body = JSON.parse(request.body) as Record<string, unknown>;
        registrations.push(body);
        const method =
          typeof body.token_endpoint_auth_method === 'string'
            ? body.token_endpoint_auth_method
            : 'client_secret_basic';
        const client: TestClient = {
          clientId: token('client'),
          ...(method === 'none' ? {} : { clientSecret: token('secret') }),
          tokenEndpointAuthMethod: method,
        };
        clients.set(client.clientId, client);
        registered.add(client.clientId);
        return sendJson(response, 201, {
          ...body,
          client_id: client.clientId,
          ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
          token_endpoint_auth_method: method,
        });
      }
      case 'POST /token': {
        const grantType = form.get('grant_type') ?? '';
        const who = authenticate(request, form);
        tokenRequests.push({
          grantType,
          clientId: who?.client.clientId ?? form.get('client_id') ?? undefined,
          authMethod: who?.method ?? 'failed',
          scope: form.get('scope') ?? undefined,
          resource: form.get('resource') ?? undefined,
          assertion: form.get('assertion') ?? undefined,
        });
        await options.beforeTokenResponse?.(grantType);
        if (grantType === JWT_BEARER && options.assertionKey !== undefined) {
          // RFC 7523 §3: the assertion is the grant; client authentication is optional.
          const claims = verifyJwt(
            form.get('assertion') ?? '',
            createPublicKey(options.assertionKey),
          );
          const audOk = claims?.aud === issuer || claims?.aud === `${issuer}/token`;
          const expOk = typeof claims?.exp === 'number' && claims.exp * 1000 > Date.now();
          if (!claims || !audOk || !expOk || typeof claims.sub !== 'string')
            return oauthError(response, 400, 'invalid_grant');
          return issue(
            response,
            {
              clientId: who?.client.clientId ?? claims.sub,
              scope: granted(form.get('scope') ?? undefined),
              resource: form.get('resource') ?? undefined,
            },
            false,
          );
        }
        if (!who || !methods.includes(who.method))
          return oauthError(response, 401, 'invalid_client');
        const clientId = who.client.clientId;
        const resource = form.get('resource') ?? undefined;
        if (grantType === 'authorization_code') {
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = b64url(createHash('sha256').update(verifier).digest());
          if (
            !grant ||
            grant.clientId !== clientId ||
            grant.redirectUri !== form.get('redirect_uri') ||
            grant.codeChallenge !== challenge ||
            grant.resource !== resource
          ) {
            return oauthError(response, 400, 'invalid_grant');
          }
          return issue(response, { clientId, scope: grant.scope, resource }, true);
        }
        if (grantType === 'client_credentials') {
          if (who.method === 'none') return oauthError(response, 400, 'unauthorized_client');
          return issue(
            response,
            { clientId, scope: granted(form.get('scope') ?? undefined), resource },
            false,
          );
        }
        if (grantType === 'refresh_token') {
          const presented = form.get('refresh_token') ?? '';
          const grant = refreshTokens.get(presented);
          if (!grant || grant.revoked || grant.clientId !== clientId)
            return oauthError(response, 400, 'invalid_grant');
          grant.revoked = true; // rotation: a refresh token works once
          return issue(
            response,
            { clientId, scope: grant.scope, resource: resource ?? grant.resource },
            true,
          );
        }
        return oauthError(response, 400, 'unsupported_grant_type');
      }
      case 'POST /revoke': {
        if (!authenticate(request, form)) return oauthError(response, 401, 'invalid_client');
        const presented = form.get('token') ?? '';
        revocations.push({ token: presented, hint: form.get('token_type_hint') ?? undefined });
        const access = accessTokens.get(presented);
        if (access) access.revoked = true;
        const refresh = refreshTokens.get(presented);
        if (refresh) {
          refresh.revoked = true;
          for (const issued of accessTokens.values())
            if (issued.clientId === refresh.clientId) issued.revoked = true;
        }
        response.writeHead(200).end();
        return;
      }
      default:
        return oauthError(response, 404, 'not_found');
    }
  });
  issuer = server.url;

  return {
    issuer,
    url: server.url,
    received: server.received,
    tokenRequests,
    authorizations,
    registrations,
    revocations,
    verify: (accessToken) => {
      const issued = accessTokens.get(accessToken);
      return issued && !issued.revoked && !issued.expired ? issued : undefined;
    },
    expireAccessTokens: () => {
      for (const issued of accessTokens.values()) issued.expired = true;
    },
    forgetRegisteredClients: () => {
      for (const id of registered) clients.delete(id);
      registered.clear();
    },
    revokeAll: () => {
      for (const issued of accessTokens.values()) issued.revoked = true;
      for (const grant of refreshTokens.values()) grant.revoked = true;
    },
    close: () => server.close(),
  };
}
