// MockAuthorizationServer: an OAuth 2.1 authorization server on 127.0.0.1 (or behind msw), so
// auth can be tested end to end without an outside service: RFC 8414 and OIDC discovery,
// headless authorization code + PKCE, client credentials, refresh with rotation, dynamic
// registration (RFC 7591), revocation (RFC 7009), introspection (RFC 7662), expiring tokens,
// DPoP-bound tokens with nonces (RFC 9449), the JWT bearer grant (RFC 7523) for trusted
// issuers, and, playing an enterprise identity provider, ID tokens and their token exchange
// (RFC 8693) for ID-JAGs.
import { randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { ignore } from '../config/ignore.js';
import { parseOptions, usageError } from '../config/parse-options.js';
import { NodeListener } from '../server/node-listener.js';
import {
  acceptAssertion,
  exchangeForIdJag,
  JWT_BEARER_GRANT,
  signIdToken,
  TOKEN_EXCHANGE_GRANT,
  type MockTrustedIssuer,
} from './assertion-grants.js';
import { presentedClient, type ClientAuthMethod } from './client-credentials.js';
import { DpopProofChecker } from './dpop-proof.js';
import { generateSigningKey } from './jws.js';
import {
  ALL_GRANTS,
  AUTH_METHODS,
  clientSchema,
  optionsSchema,
  startSchema,
  type MockAuthFailure,
  type MockAuthorizationServerOptions,
  type MockAuthStartOptions,
  type MockIssuedToken,
  type MockOAuthClient,
  type OAuthGrantType,
  type RecordedAuthRequest,
} from './mock-authorization-server-options.js';
import { oauthError, oauthJson } from './oauth-response.js';
import { CODE_VERIFIER, s256 } from './pkce.js';
import type { MockTokenInfo, MockTokenIssuer } from './server-auth.js';

export type {
  MockAuthFailure,
  MockAuthMetadataStyle,
  MockAuthorizationServerOptions,
  MockAuthStartOptions,
  MockDpopOptions,
  MockIssuedToken,
  MockOAuthClient,
  OAuthGrantType,
  RecordedAuthRequest,
} from './mock-authorization-server-options.js';

type Endpoint = RecordedAuthRequest['endpoint'];

interface TokenRecord {
  kind: 'access' | 'refresh';
  /** Thumbprint of the DPoP key the token is bound to. */
  jkt: string | undefined;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  issuedAt: number;
  resource: string | undefined;
  grantId: string;
  revoked: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  resource: string | undefined;
  expiresAt: number;
  grantId: string;
  used: boolean;
}

function token(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function scopesOf(value: string | null): string[] {
  return value === null ? [] : value.split(' ').filter((scope) => scope !== '');
}

function validResource(value: string | null): string | undefined | false {
  if (value === null) return undefined;
  try {
    const url = new URL(value);
    return url.hash === '' ? value : false;
  } catch {
    return false;
  }
}

export class MockAuthorizationServer implements MockTokenIssuer, AsyncDisposable {
  readonly #options: MockAuthorizationServerOptions;
  readonly #clients = new Map<string, MockOAuthClient>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #codes = new Map<string, CodeRecord>();
  readonly #failures = new Map<Endpoint, MockAuthFailure[]>();
  readonly #requests: RecordedAuthRequest[] = [];
  readonly #now: () => number;
  #consent: 'approve' | 'deny' = 'approve';
  #listener: NodeListener | undefined;
  #startedIssuer: string | undefined;
  readonly #dpopProofs = new DpopProofChecker();
  /** Issuers the JWT bearer grant accepts; the grant is off while undefined. */
  #trusted: MockTrustedIssuer[] | undefined;
  #signingKey: { privateKey: KeyObject; publicJwk: JsonWebKey } | undefined;

  constructor(options: MockAuthorizationServerOptions = {}) {
    parseOptions(optionsSchema, options, 'MockAuthorizationServer.options');
    this.#options = options;
    this.#now = options.now ?? Date.now;
    for (const client of options.clients ?? []) this.#clients.set(client.clientId, { ...client });
    this.#trusted = options.trustedIssuers?.map((issuer) => ({ ...issuer }));
  }

  // ---- lifecycle -----------------------------------------------------------------------

  /** Serves on 127.0.0.1 (an ephemeral port by default); resolves with the issuer. */
  async start(options: MockAuthStartOptions = {}): Promise<string> {
    const parsed = parseOptions(startSchema, options, 'MockAuthorizationServer.start');
    if (this.#listener)
      throw usageError('start', 'a stopped server', 'The authorization server is already running');
    const host = parsed.host ?? '127.0.0.1';
    this.#listener = await NodeListener.listen((request) => this.fetch(request), {
      host,
      port: parsed.port ?? 0,
      maxRequestBodyBytes: 1024 * 1024,
      onError: ignore,
    });
    this.#startedIssuer = `http://${host.includes(':') ? `[${host}]` : host}:${this.#listener.port}${parsed.path ?? ''}`;
    return this.issuer;
  }

  async stop(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    this.#startedIssuer = undefined;
    await listener?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** The issuer identifier (the `issuer` option, or the started URL). */
  get issuer(): string {
    const issuer = this.#options.issuer ?? this.#startedIssuer;
    if (issuer === undefined) {
      throw usageError(
        'issuer',
        'a started server or the issuer option',
        'The authorization server has no issuer: start() it or pass { issuer }',
      );
    }
    return issuer.replace(/\/$/, '');
  }

  get url(): string {
    return this.issuer;
  }

  /** The RFC 8414 metadata document. */
  get metadata(): Record<string, unknown> {
    const issuer = this.issuer;
    const style = this.#options.metadata ?? 'both';
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      ...(this.#options.dynamicRegistration === false
        ? {}
        : { registration_endpoint: `${issuer}/register` }),
      revocation_endpoint: `${issuer}/revoke`,
      introspection_endpoint: `${issuer}/introspect`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: [
        ...ALL_GRANTS,
        ...(this.#trusted ? [JWT_BEARER_GRANT] : []),
        ...(this.#options.identityProvider ? [TOKEN_EXCHANGE_GRANT] : []),
      ],
      ...(this.#options.dpop
        ? {
            dpop_signing_alg_values_supported: this.#options.dpop.algorithms ?? [
              'ES256',
              'ES384',
              'EdDSA',
              'RS256',
              'PS256',
            ],
          }
        : {}),
      token_endpoint_auth_methods_supported: AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: AUTH_METHODS,
      introspection_endpoint_auth_methods_supported: AUTH_METHODS,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      ...(this.#options.scopesSupported ? { scopes_supported: this.#options.scopesSupported } : {}),
      ...(style === 'oauth'
        ? {}
        : {
            jwks_uri: `${issuer}/jwks`,
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
          }),
    };
  }

  // ---- programmatic control --------------------------------------------------------------

  /** Registers a client; a missing id (and, unless public, secret) is generated. */
  registerClient(client: Partial<MockOAuthClient> & { public?: boolean } = {}): MockOAuthClient {
    const { public: isPublic, ...rest } = client;
    const registered: MockOAuthClient = {
      ...rest,
      clientId: rest.clientId ?? token('client'),
      ...(isPublic || rest.clientSecret !== undefined ? {} : { clientSecret: token('secret') }),
    };
    parseOptions(clientSchema, registered, 'registerClient');
    this.#clients.set(registered.clientId, registered);
    return registered;
  }

  /** Issues an access token directly, as if the client had obtained it. */
  issueToken(options: {
    clientId: string;
    scopes?: string[];
    ttlMs?: number;
    resource?: string;
    refresh?: boolean;
  }): MockIssuedToken {
    if (!this.#clients.has(options.clientId)) {
      throw usageError(
        'issueToken.clientId',
        'a registered client id',
        `Unknown client ${options.clientId}`,
      );
    }
    return this.#issue({
      clientId: options.clientId,
      scopes: options.scopes ?? [],
      resource: options.resource,
      refresh: options.refresh ?? false,
      ttlMs: options.ttlMs,
    });
  }

  /** The live access token's details; `undefined` when unknown, expired or revoked. */
  introspect(value: string): MockTokenInfo | undefined {
    const record = this.#tokens.get(value);
    if (!record || record.kind !== 'access' || record.revoked || record.expiresAt <= this.#now())
      return undefined;
    return {
      clientId: record.clientId,
      scopes: [...record.scopes],
      expiresAt: record.expiresAt,
      ...(record.resource === undefined ? {} : { resource: record.resource }),
      ...(record.jkt === undefined ? {} : { jkt: record.jkt }),
    };
  }

  /** Revokes a token (and, for a refresh token, the access tokens of its grant). */
  revoke(value: string): boolean {
    const record = this.#tokens.get(value);
    if (!record) return false;
    if (record.kind === 'refresh') this.#revokeGrant(record.grantId);
    record.revoked = true;
    return true;
  }

  /** Accepts JWT bearer assertions from `issuer` from now on (turns the grant on). */
  trustIssuer(issuer: MockTrustedIssuer): void {
    parseOptions(optionsSchema.shape.trustedIssuers.unwrap().element, issuer, 'trustIssuer');
    this.#trusted = [...(this.#trusted ?? []), { ...issuer }];
  }

  /** The public key the server signs ID tokens and ID-JAGs with (trust it elsewhere). */
  get publicJwk(): JsonWebKey {
    return { ...this.#key().publicJwk };
  }

  /** Signs an ID token for `subject`, as after the user signed in to `clientId` here. */
  issueIdToken(options: { subject: string; clientId: string; ttlMs?: number }): string {
    return signIdToken({
      issuer: this.issuer,
      key: this.#key().privateKey,
      subject: options.subject,
      audience: options.clientId,
      now: this.#now(),
      ...(options.ttlMs === undefined ? {} : { ttlSeconds: Math.round(options.ttlMs / 1000) }),
    });
  }

  /** The DPoP nonce proofs must carry now (with `dpop.nonce`). */
  get dpopNonce(): string {
    return this.#dpopProofs.nonce;
  }

  /** Hands out a new DPoP nonce: proofs with the old one get `use_dpop_nonce`. */
  rotateDpopNonce(): string {
    return this.#dpopProofs.rotateNonce();
  }

  #key(): { privateKey: KeyObject; publicJwk: JsonWebKey } {
    this.#signingKey ??= generateSigningKey();
    return this.#signingKey;
  }

  /** What the headless authorize endpoint decides. */
  setConsent(consent: 'approve' | 'deny'): void {
    this.#consent = consent;
  }

  /** Answers the next request to `endpoint` with an error (once per call). */
  failNext(endpoint: Exclude<Endpoint, 'unknown'>, failure: MockAuthFailure = {}): void {
    const queue = this.#failures.get(endpoint) ?? [];
    queue.push(failure);
    this.#failures.set(endpoint, queue);
  }

  get clients(): MockOAuthClient[] {
    return [...this.#clients.values()].map((client) => ({ ...client }));
  }

  get requests(): RecordedAuthRequest[] {
    return [...this.#requests];
  }

  clearRecords(): void {
    this.#requests.length = 0;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  /** Answers a web-standard Request (what the node listener and the msw handlers call). */
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const form =
      request.method.toUpperCase() === 'POST' && !this.#isJson(request)
        ? await this.#form(request)
        : undefined;
    const endpoint = this.#route(url.pathname);
    const params = Object.fromEntries(
      [...(form ?? url.searchParams)].filter(([key]) => key !== 'client_secret'),
    );
    const clientAuth = form ? this.#clientAuthOf(request, form) : undefined;
    const response = await this.#respond(endpoint, request, url, form);
    this.#requests.push({
      endpoint,
      method: request.method.toUpperCase(),
      params,
      clientAuth,
      status: response.status,
      receivedAt: Date.now(),
    });
    return response;
  }

  #isJson(request: Request): boolean {
    return (request.headers.get('content-type') ?? '').includes('application/json');
  }

  async #form(request: Request): Promise<URLSearchParams | undefined> {
    const type = request.headers.get('content-type') ?? '';
    if (!type.includes('application/x-www-form-urlencoded')) return undefined;
    return new URLSearchParams(await request.clone().text());
  }

  #clientAuthOf(request: Request, form: URLSearchParams): ClientAuthMethod | undefined {
    const presented = presentedClient(request, form);
    return presented === undefined || presented === 'malformed' ? undefined : presented.method;
  }

  #route(pathname: string): Endpoint {
    const base = new URL(this.issuer).pathname.replace(/\/$/, '');
    const style = this.#options.metadata ?? 'both';
    if (style !== 'oidc' && pathname === `/.well-known/oauth-authorization-server${base}`)
      return 'metadata';
    if (
      style !== 'oauth' &&
      (pathname === `/.well-known/openid-configuration${base}` ||
        pathname === `${base}/.well-known/openid-configuration`)
    ) {
      return 'metadata';
    }
    const local = pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : undefined;
    switch (local) {
      case '/authorize':
        return 'authorize';
      case '/token':
        return 'token';
      case '/register':
        return this.#options.dynamicRegistration === false ? 'unknown' : 'register';
      case '/revoke':
        return 'revoke';
      case '/introspect':
        return 'introspect';
      case '/jwks':
        return 'jwks';
      default:
        return 'unknown';
    }
  }

  async #respond(
    endpoint: Endpoint,
    request: Request,
    url: URL,
    form: URLSearchParams | undefined,
  ): Promise<Response> {
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': '*',
        },
      });
    }
    const failure = this.#failures.get(endpoint)?.shift();
    if (failure)
      return oauthError(
        failure.error ?? 'server_error',
        failure.description ?? 'Injected failure',
        failure.status ?? 500,
      );
    const expects =
      endpoint === 'metadata' || endpoint === 'authorize' || endpoint === 'jwks' ? 'GET' : 'POST';
    if (endpoint === 'unknown')
      return oauthError('not_found', `No endpoint at ${url.pathname}`, 404);
    if (method !== expects) return new Response(null, { status: 405, headers: { allow: expects } });
    switch (endpoint) {
      case 'metadata':
        return Response.json(this.metadata, { headers: { 'access-control-allow-origin': '*' } });
      case 'jwks':
        return Response.json({
          keys: this.#options.identityProvider ? [{ ...this.#key().publicJwk, use: 'sig' }] : [],
        });
      case 'authorize':
        return this.#authorize(url.searchParams);
      case 'register':
        return this.#register(request);
    }
    if (!form)
      return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
    switch (endpoint) {
      case 'token':
        return this.#token(request, form);
      case 'revoke':
        return this.#revokeEndpoint(request, form);
      case 'introspect':
        return this.#introspectEndpoint(request, form);
    }
  }

  /** Headless authorization: no page, the decision (`setConsent`) redirects straight back. */
  #authorize(query: URLSearchParams): Response {
    const clientId = query.get('client_id');
    const client = clientId === null ? undefined : this.#clients.get(clientId);
    if (!client) return oauthError('invalid_request', 'Unknown or missing client_id');
    const registered = client.redirectUris ?? [];
    const asked = query.get('redirect_uri');
    const redirectUri = asked ?? (registered.length === 1 ? registered[0] : undefined);
    if (redirectUri === undefined || !registered.includes(redirectUri)) {
      return oauthError(
        'invalid_request',
        'The redirect_uri is missing or not registered for this client',
      );
    }
    const state = query.get('state');
    const back = (params: Record<string, string>): Response => {
      const target = new URL(redirectUri);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      if (state !== null) target.searchParams.set('state', state);
      target.searchParams.set('iss', this.issuer);
      return new Response(null, {
        status: 302,
        headers: { location: target.href, 'cache-control': 'no-store' },
      });
    };
    const fail = (error: string, description: string) =>
      back({ error, error_description: description });
    if (query.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'Only response_type=code is supported');
    if (!this.#grantsOf(client).includes('authorization_code'))
      return fail('unauthorized_client', 'The client may not use authorization codes');
    const challenge = query.get('code_challenge');
    if (challenge === null) return fail('invalid_request', 'PKCE is required: send code_challenge');
    if ((query.get('code_challenge_method') ?? 'plain') !== 'S256')
      return fail('invalid_request', 'code_challenge_method must be S256');
    const scopes = this.#grantable(client, query.get('scope'));
    if (scopes === undefined)
      return fail('invalid_scope', 'A requested scope is not available to this client');
    const resource = validResource(query.get('resource'));
    if (resource === false)
      return fail('invalid_target', 'The resource must be an absolute URI without a fragment');
    if (this.#consent === 'deny')
      return fail('access_denied', 'The resource owner denied the request');
    const code = token('code');
    this.#codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      codeChallenge: challenge,
      scopes,
      resource,
      expiresAt: this.#now() + (this.#options.authorizationCodeTtlMs ?? 60_000),
      grantId: token('grant'),
      used: false,
    });
    return back({ code });
  }

  async #register(request: Request): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return oauthError('invalid_client_metadata', 'The body must be JSON client metadata');
    }
    const metadata = z
      .object({
        redirect_uris: z.array(z.string()).optional(),
        token_endpoint_auth_method: z.string().optional(),
        grant_types: z.array(z.string()).optional(),
        response_types: z.array(z.string()).optional(),
        client_name: z.string().optional(),
        scope: z.string().optional(),
      })
      .loose()
      .safeParse(body);
    if (!metadata.success)
      return oauthError('invalid_client_metadata', 'The client metadata is malformed');
    const data = metadata.data;
    const method = (data.token_endpoint_auth_method ?? 'client_secret_basic') as ClientAuthMethod;
    if (!AUTH_METHODS.includes(method))
      return oauthError(
        'invalid_client_metadata',
        `Unsupported token_endpoint_auth_method ${method}`,
      );
    const grants = (data.grant_types ?? [
      'authorization_code',
      'refresh_token',
    ]) as OAuthGrantType[];
    if (!grants.every((grant) => ALL_GRANTS.includes(grant)))
      return oauthError('invalid_client_metadata', 'Unsupported grant type');
    const redirectUris = data.redirect_uris ?? [];
    for (const uri of redirectUris) {
      if (validResource(uri) === false)
        return oauthError('invalid_redirect_uri', `Invalid redirect URI ${uri}`);
    }
    if (grants.includes('authorization_code') && redirectUris.length === 0) {
      return oauthError(
        'invalid_redirect_uri',
        'redirect_uris is required for the authorization_code grant',
      );
    }
    // The registered `scope` is kept as metadata, not as a limit: clients (the SDK among them)
    // register with the scope of the first challenge and later need more for step-up.
    const client = this.registerClient({
      redirectUris,
      grantTypes: grants,
      tokenEndpointAuthMethod: method,
      public: method === 'none',
      ...(data.client_name === undefined ? {} : { clientName: data.client_name }),
    });
    return oauthJson(
      {
        ...data,
        client_id: client.clientId,
        ...(client.clientSecret === undefined
          ? {}
          : { client_secret: client.clientSecret, client_secret_expires_at: 0 }),
        client_id_issued_at: Math.floor(this.#now() / 1000),
        redirect_uris: redirectUris,
        token_endpoint_auth_method: method,
        grant_types: grants,
        response_types: data.response_types ?? ['code'],
      },
      201,
    );
  }

  /** The authenticated client, or the `invalid_client` answer. */
  #authenticate(request: Request, form: URLSearchParams): MockOAuthClient | Response {
    const presented = presentedClient(request, form);
    const refuse = (description: string, basic: boolean) =>
      oauthError(
        'invalid_client',
        description,
        401,
        basic ? { 'www-authenticate': 'Basic realm="oauth"' } : {},
      );
    if (presented === 'malformed') return refuse('Malformed client credentials', true);
    if (presented === undefined) return refuse('Client authentication is required', false);
    const client = this.#clients.get(presented.clientId);
    const basic = presented.method === 'client_secret_basic';
    if (!client) return refuse('Unknown client', basic);
    if (client.clientSecret === undefined) {
      return presented.method === 'none'
        ? client
        : refuse('A public client has no secret to present', basic);
    }
    if (presented.clientSecret !== client.clientSecret)
      return refuse('Wrong client credentials', basic);
    if (
      client.tokenEndpointAuthMethod !== undefined &&
      client.tokenEndpointAuthMethod !== presented.method
    ) {
      return refuse(`This client authenticates with ${client.tokenEndpointAuthMethod}`, basic);
    }
    return client;
  }

  #token(request: Request, form: URLSearchParams): Response {
    const grant = form.get('grant_type');
    // RFC 7523 §3.1: the JWT bearer grant may come without client authentication.
    const anonymous =
      grant === JWT_BEARER_GRANT &&
      request.headers.get('authorization') === null &&
      form.get('client_id') === null;
    const client = anonymous ? undefined : this.#authenticate(request, form);
    if (client instanceof Response) return client;
    const binding = this.#dpopBinding(request);
    if (binding instanceof Response) return binding;
    const jkt = binding;
    if (grant === JWT_BEARER_GRANT && this.#trusted) {
      return this.#jwtBearer(client, form, jkt);
    }
    if (!client) return oauthError('invalid_client', 'Client authentication is required', 401);
    if (grant === TOKEN_EXCHANGE_GRANT && this.#options.identityProvider) {
      const key = this.#key();
      return exchangeForIdJag({
        form,
        issuer: this.issuer,
        key: key.privateKey,
        publicJwk: key.publicJwk,
        clientId: client.clientId,
        clientIds: this.#options.identityProvider.clientIds,
        now: this.#now(),
      });
    }
    if (grant === null) return oauthError('invalid_request', 'grant_type is required');
    if (!ALL_GRANTS.includes(grant as OAuthGrantType))
      return oauthError('unsupported_grant_type', `Unsupported grant_type ${grant}`);
    if (!this.#grantsOf(client).includes(grant as OAuthGrantType)) {
      return oauthError('unauthorized_client', `The client may not use ${grant}`);
    }
    const resource = validResource(form.get('resource'));
    if (resource === false)
      return oauthError(
        'invalid_target',
        'The resource must be an absolute URI without a fragment',
      );
    switch (grant as OAuthGrantType) {
      case 'client_credentials': {
        if (client.clientSecret === undefined)
          return oauthError('unauthorized_client', 'A public client cannot use client_credentials');
        const scopes = this.#grantable(client, form.get('scope'));
        if (scopes === undefined)
          return oauthError('invalid_scope', 'A requested scope is not available to this client');
        return this.#tokenResponse(
          this.#issue({ clientId: client.clientId, scopes, resource, refresh: false, jkt }),
        );
      }
      case 'authorization_code':
        return this.#redeemCode(client, form, resource, jkt);
      case 'refresh_token':
        return this.#refresh(client, form, resource, jkt);
    }
  }

  #redeemCode(
    client: MockOAuthClient,
    form: URLSearchParams,
    resource: string | undefined,
    jkt: string | undefined,
  ): Response {
    const value = form.get('code');
    const code = value === null ? undefined : this.#codes.get(value);
    if (!code || code.clientId !== client.clientId)
      return oauthError('invalid_grant', 'Unknown authorization code');
    if (code.used) {
      // RFC 6749 §4.1.2: a code used twice revokes what it was exchanged for.
      this.#revokeGrant(code.grantId);
      return oauthError('invalid_grant', 'The authorization code was already used');
    }
    code.used = true;
    if (code.expiresAt <= this.#now())
      return oauthError('invalid_grant', 'The authorization code expired');
    if ((form.get('redirect_uri') ?? code.redirectUri) !== code.redirectUri)
      return oauthError('invalid_grant', 'redirect_uri does not match');
    const verifier = form.get('code_verifier');
    if (
      verifier === null ||
      !CODE_VERIFIER.test(verifier) ||
      s256(verifier) !== code.codeChallenge
    ) {
      return oauthError('invalid_grant', 'The code_verifier does not match the code_challenge');
    }
    if (resource !== undefined && code.resource !== undefined && resource !== code.resource) {
      return oauthError('invalid_target', 'The resource differs from the authorized one');
    }
    const refresh = this.#grantsOf(client).includes('refresh_token');
    return this.#tokenResponse(
      this.#issue({
        clientId: client.clientId,
        scopes: code.scopes,
        resource: resource ?? code.resource,
        grantId: code.grantId,
        refresh,
        jkt,
      }),
    );
  }

  #refresh(
    client: MockOAuthClient,
    form: URLSearchParams,
    resource: string | undefined,
    jkt: string | undefined,
  ): Response {
    const value = form.get('refresh_token');
    const record = value === null ? undefined : this.#tokens.get(value);
    if (!record || record.kind !== 'refresh' || record.clientId !== client.clientId)
      return oauthError('invalid_grant', 'Unknown refresh token');
    if (record.revoked) return oauthError('invalid_grant', 'The refresh token was revoked');
    if (record.expiresAt <= this.#now())
      return oauthError('invalid_grant', 'The refresh token expired');
    const asked = scopesOf(form.get('scope'));
    if (!asked.every((scope) => record.scopes.includes(scope)))
      return oauthError('invalid_scope', 'A refresh cannot widen the scope');
    // RFC 9449 §5.2: a public client's bound refresh token needs a proof with the same key.
    if (record.jkt !== undefined && client.clientSecret === undefined && record.jkt !== jkt)
      return oauthError('invalid_grant', 'The refresh token is bound to another DPoP key');
    // Rotation: the used refresh token dies; the grant lives on in the new one.
    record.revoked = true;
    const scopes = asked.length > 0 ? asked : record.scopes;
    return this.#tokenResponse(
      this.#issue({
        clientId: client.clientId,
        scopes,
        resource: resource ?? record.resource,
        grantId: record.grantId,
        refresh: true,
        jkt: jkt ?? record.jkt,
      }),
    );
  }

  /** RFC 7523: an assertion from a trusted issuer is the grant. */
  #jwtBearer(
    client: MockOAuthClient | undefined,
    form: URLSearchParams,
    jkt: string | undefined,
  ): Response {
    const accepted = acceptAssertion({
      assertion: form.get('assertion'),
      trusted: this.#trusted ?? [],
      audiences: [this.issuer, `${this.issuer}/token`],
      clientId: client?.clientId,
      now: this.#now(),
    });
    if (accepted instanceof Response) return accepted;
    const resource = validResource(form.get('resource'));
    if (resource === false)
      return oauthError(
        'invalid_target',
        'The resource must be an absolute URI without a fragment',
      );
    if (accepted.resource !== undefined && resource !== undefined && accepted.resource !== resource)
      return oauthError('invalid_target', 'The resource differs from the one the ID-JAG names');
    const scopes = scopesOf(form.get('scope'));
    const supported = this.#options.scopesSupported;
    if (supported !== undefined && !scopes.every((scope) => supported.includes(scope)))
      return oauthError('invalid_scope', 'A requested scope is not available');
    return this.#tokenResponse(
      this.#issue({
        clientId: accepted.clientId,
        scopes: scopes.length > 0 ? scopes : (this.#options.defaultScopes ?? []),
        resource: resource ?? accepted.resource,
        refresh: false,
        jkt,
      }),
    );
  }

  /** The DPoP key a token request proves (its thumbprint), none, or the refusal. */
  #dpopBinding(request: Request): string | undefined | Response {
    const dpop = this.#options.dpop;
    const proof = request.headers.get('dpop');
    if (!dpop || (proof === null && !dpop.required)) return undefined;
    const check = this.#dpopProofs.check(proof, {
      method: 'POST',
      url: `${this.issuer}/token`,
      ...(dpop.nonce ? { nonce: this.#dpopProofs.nonce } : {}),
    });
    if (check.ok) return check.jkt;
    return oauthError(
      check.error,
      check.description,
      400,
      check.error === 'use_dpop_nonce' ? { 'dpop-nonce': this.#dpopProofs.nonce } : {},
    );
  }

  #revokeEndpoint(request: Request, form: URLSearchParams): Response {
    const client = this.#authenticate(request, form);
    if (client instanceof Response) return client;
    const value = form.get('token');
    if (value === null) return oauthError('invalid_request', 'token is required');
    const record = this.#tokens.get(value);
    // RFC 7009 §2.2: unknown tokens, and tokens of other clients, are answered 200 all the same.
    if (record && record.clientId === client.clientId) this.revoke(value);
    return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
  }

  #introspectEndpoint(request: Request, form: URLSearchParams): Response {
    const client = this.#authenticate(request, form);
    if (client instanceof Response) return client;
    const value = form.get('token');
    if (value === null) return oauthError('invalid_request', 'token is required');
    const record = this.#tokens.get(value);
    if (!record || record.revoked || record.expiresAt <= this.#now())
      return oauthJson({ active: false });
    return oauthJson({
      active: true,
      scope: record.scopes.join(' '),
      client_id: record.clientId,
      token_type:
        record.kind === 'refresh' ? 'refresh_token' : record.jkt === undefined ? 'Bearer' : 'DPoP',
      ...(record.jkt === undefined ? {} : { cnf: { jkt: record.jkt } }),
      exp: Math.floor(record.expiresAt / 1000),
      iat: Math.floor(record.issuedAt / 1000),
      iss: this.issuer,
      ...(record.resource === undefined ? {} : { aud: record.resource }),
    });
  }

  #tokenResponse(issued: MockIssuedToken): Response {
    return oauthJson({
      access_token: issued.accessToken,
      token_type: issued.jkt === undefined ? 'Bearer' : 'DPoP',
      expires_in: Math.max(0, Math.round((issued.expiresAt - this.#now()) / 1000)),
      scope: issued.scopes.join(' '),
      ...(issued.refreshToken === undefined ? {} : { refresh_token: issued.refreshToken }),
    });
  }

  #issue(grant: {
    clientId: string;
    scopes: string[];
    resource: string | undefined;
    /** Tokens of one grant are revoked together (default: a new grant). */
    grantId?: string;
    refresh: boolean;
    ttlMs?: number | undefined;
    /** Thumbprint of the DPoP key the tokens are bound to. */
    jkt?: string | undefined;
  }): MockIssuedToken {
    const { clientId, scopes, resource, refresh, jkt } = grant;
    const grantId = grant.grantId ?? token('grant');
    const now = this.#now();
    const accessToken = token('mat');
    const expiresAt = now + (grant.ttlMs ?? this.#options.accessTokenTtlMs ?? 3_600_000);
    const record = { clientId, scopes, issuedAt: now, resource, grantId, revoked: false, jkt };
    this.#tokens.set(accessToken, { ...record, kind: 'access', expiresAt });
    let refreshToken: string | undefined;
    if (refresh) {
      refreshToken = token('mrt');
      this.#tokens.set(refreshToken, {
        ...record,
        kind: 'refresh',
        expiresAt: now + (this.#options.refreshTokenTtlMs ?? 86_400_000),
      });
    }
    return {
      accessToken,
      refreshToken,
      scopes: [...scopes],
      expiresAt,
      ...(jkt === undefined ? {} : { jkt }),
    };
  }

  #revokeGrant(grantId: string): void {
    for (const record of this.#tokens.values())
      if (record.grantId === grantId) record.revoked = true;
  }

  #grantsOf(client: MockOAuthClient): OAuthGrantType[] {
    return (
      client.grantTypes ??
      (client.clientSecret === undefined ? ['authorization_code', 'refresh_token'] : ALL_GRANTS)
    );
  }

  /** The scopes to grant for a request, or `undefined` when one of them may not be granted. */
  #grantable(client: MockOAuthClient, requested: string | null): string[] | undefined {
    const asked = scopesOf(requested);
    const scopes = asked.length > 0 ? asked : (this.#options.defaultScopes ?? []);
    const supported = this.#options.scopesSupported;
    const ok = scopes.every(
      (scope) =>
        (supported === undefined || supported.includes(scope)) &&
        (client.scopes === undefined || client.scopes.includes(scope)),
    );
    return ok ? scopes : undefined;
  }
}
