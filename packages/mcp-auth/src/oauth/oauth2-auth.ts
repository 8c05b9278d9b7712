// OAuth2Auth: OAuth 2.1 for MCP servers, done through the plugin interface. `headers()` adds
// the access token (refreshing it ahead of expiry); `onUnauthorized()` turns a 401 into
// discovery, client registration and a token grant, and a `403 insufficient_scope` into a
// step-up. One renewal runs at a time; concurrent refusals wait for it and retry.
import {
  createPrivateKeyJwtAuth,
  exchangeAuthorization,
  fetchToken,
  refreshAuthorization,
  startAuthorization,
  computeScopeUnion,
  OAuthError,
  type AddClientAuthentication,
  type AuthorizationServerMetadata,
  type DpopSession,
  type FetchLike,
  type OAuthClientInformationMixed,
  type OAuthClientProvider,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import {
  InMemoryTokenStore,
  type FetchFunction,
  type McpAuthChallenge,
  type McpAuthDecision,
  type McpAuthPlugin,
  type McpAuthRequest,
  type McpAuthResponse,
  type StoredTokens,
  type TokenStore,
} from '@tframex/mcp-auth-api';
import { McpAuthError, McpCancelledError, McpConfigError, McpError } from '@tframex/mcp-api';
import { guardedFetch } from '../internal/guarded-fetch.js';
import { REDACTED, SecretHolder } from '../internal/secret-holder.js';
import { assertionContext, readAssertion, requestAssertionGrant } from './assertion-grant.js';
import type { AuthContext } from './auth-context.js';
import { readAuthorizationResponse } from './authorization-response.js';
import { configuredClient, obtainClient } from './client-registration.js';
import { discoverAuthContext } from './discover-auth-context.js';
import { DpopBinding } from './dpop-binding.js';
import { identityAssertionSource } from './identity-assertion-grant.js';
import {
  resolveOAuth2Config,
  type OAuth2AuthOptions,
  type OAuth2Config,
} from './oauth2-auth-options.js';
import { type AssertionSource } from './oauth2-extension-options.js';
import { underRenewalLock, untilAborted } from './renewal-lock.js';
import { revokeToken } from './revoke-token.js';
import { selectScope, withOfflineAccess } from './scope-selection.js';
import { toAuthError } from './to-auth-error.js';
import { activate, isExpired, toStoredTokens, type ActiveTokens } from './token-set.js';

type RenewalKind = 'initial' | 'refused' | 'refresh' | 'step-up';

interface RenewalInput {
  challengeScope?: string | undefined;
  resourceMetadataUrl?: string | undefined;
  /** The exact scope to ask for (step-up). */
  scope?: string | undefined;
}

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

// RFC 8414 issuers compared as the SDK does: exact, tolerating one trailing slash.
function sameIssuer(a: string, b: string): boolean {
  return a === b || a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

function toStoredClient(client: OAuthClientInformationMixed): NonNullable<StoredTokens['client']> {
  const { client_id, client_secret, ...rest } = client as OAuthClientInformationMixed &
    Record<string, unknown>;
  return {
    ...rest,
    clientId: client_id,
    ...(client_secret !== undefined ? { clientSecret: client_secret } : {}),
  };
}

function fromStoredClient(
  client: NonNullable<StoredTokens['client']>,
): OAuthClientInformationMixed {
  const { clientId, clientSecret, ...rest } = client;
  return {
    ...rest,
    client_id: clientId,
    ...(clientSecret !== undefined ? { client_secret: clientSecret } : {}),
  } as OAuthClientInformationMixed;
}

export class OAuth2Auth extends SecretHolder implements McpAuthPlugin {
  readonly name = 'oauth2';
  readonly #config: OAuth2Config;
  readonly #store: TokenStore;
  readonly #fetch: FetchFunction;
  readonly #addClientAuthentication: AddClientAuthentication | undefined;
  /** The MCP server this instance serves (the first request's URL). */
  #serverUrl: string | undefined;
  #context: AuthContext | undefined;
  #active: ActiveTokens | undefined;
  #renewal: Promise<void> | undefined;
  /** Clients obtained by registration or metadata document, by issuer. */
  readonly #clients = new Map<string, OAuthClientInformationMixed>();
  /** Issuer that configured client credentials were first used with (SEP-2352 binding). */
  #boundIssuer: string | undefined;
  #requestedScope: string | undefined;
  readonly #stepUps = new Map<string, number>();
  #configuredRefreshTokenUsed = false;
  readonly #assertion: AssertionSource | undefined;
  readonly #dpop: DpopBinding | undefined;
  /** The DPoP session used with the current authorization server, when DPoP is on there. */
  #session: DpopSession | undefined;

  constructor(options: OAuth2AuthOptions) {
    super();
    const config = resolveOAuth2Config(options);
    this.#config = config;
    this.#store = config.tokenStore ?? new InMemoryTokenStore();
    this.#fetch = guardedFetch(config.fetch ?? ((input, init) => fetch(input, init)), {
      timeoutMs: config.requestTimeoutMs,
      maxResponseBytes: 1024 * 1024,
    });
    this.#dpop = config.dpop ? new DpopBinding(config.dpop) : undefined;
    this.#assertion = config.enterprise
      ? identityAssertionSource(config.enterprise, this.#fetch)
      : config.assertion;
    if (config.clientAuthMethod === 'private_key_jwt' && config.privateKey !== undefined) {
      this.#addClientAuthentication = createPrivateKeyJwtAuth({
        issuer: config.clientId!,
        subject: config.clientId!,
        privateKey: config.privateKey,
        alg: config.privateKeyAlgorithm,
      });
    }
  }

  async headers(request: McpAuthRequest): Promise<Record<string, string> | undefined> {
    this.#checkServer(request.url);
    // Requests made while credentials are being renewed wait for the outcome.
    const { signal } = request;
    if (this.#renewal)
      await untilAborted(
        this.#renewal.catch(() => undefined),
        signal,
      );
    const now = this.#config.now();
    let active = this.#active;
    if (!active) {
      if (this.#canObtainUnprompted()) {
        await untilAborted(this.#renew('initial', {}), signal);
        active = this.#active;
      }
    } else if (now >= active.refreshAt && this.#canRefreshUnprompted(active)) {
      try {
        await untilAborted(this.#renew('refresh', {}), signal);
      } catch (error) {
        if (McpCancelledError.isInstance(error)) throw error;
        // A token that is still valid keeps working while the refresh is failing; the next
        // attempt waits a little, so an unreachable server does not slow every request.
        if (isExpired(active.tokens, now)) throw error;
        if (this.#active === active) {
          const remaining = (active.tokens.expiresAt ?? now) - now;
          active.refreshAt = now + Math.min(30_000, remaining / 2);
        }
      }
      active = this.#active ?? active;
    }
    if (!active) return undefined;
    if (active.tokens.tokenType.toLowerCase() === 'dpop' && this.#dpop) {
      return this.#dpop.headers(active.tokens.accessToken, request);
    }
    return { Authorization: `Bearer ${active.tokens.accessToken}` };
  }

  /** Keeps the DPoP nonces servers hand out on their answers. */
  async onResponse(response: McpAuthResponse): Promise<void> {
    if (this.#dpop) await this.#dpop.observe(response.url, response.headers);
  }

  async onUnauthorized(challenge: McpAuthChallenge): Promise<McpAuthDecision> {
    const oauthChallenges = challenge.challenges.filter(
      (c) => c.scheme === 'bearer' || c.scheme === 'dpop',
    );
    // A server that asks only for another scheme (Basic, ...) cannot be satisfied here.
    if (challenge.challenges.length > 0 && oauthChallenges.length === 0) return 'fail';
    const params = oauthChallenges[0]?.params ?? {};
    const input: RenewalInput = {
      challengeScope: params.scope || undefined,
      resourceMetadataUrl: params.resource_metadata || undefined,
    };

    // A DPoP nonce to echo (RFC 9449 §9) needs no new token: the retry signs it into its proof.
    const nonce = await this.#dpop?.nonceChallenge(challenge);
    if (nonce !== undefined) return nonce;

    if (challenge.status === 403) {
      if (params.error !== 'insufficient_scope') return 'fail';
      await this.#stepUp(input);
      return 'retry';
    }
    if (this.#renewal) {
      await this.#renewal;
      return 'retry';
    }
    if (!challenge.hadCredentials) {
      // Credentials may have arrived since this request left.
      if (this.#active) return 'retry';
      await this.#renew('initial', input);
      return 'retry';
    }
    // A refusal of a token that has since been replaced (a request that left before the
    // last renewal finished) needs no renewal of its own: retry with the current token.
    const refusedToken = challenge.credentials.Authorization ?? challenge.credentials.authorization;
    const current = this.#active
      ? `${this.#active.tokens.tokenType.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer'} ${this.#active.tokens.accessToken}`
      : undefined;
    if (refusedToken !== undefined && current !== undefined && refusedToken !== current)
      return 'retry';
    if (challenge.attempt > 1) {
      throw new McpAuthError('the MCP server refused an access token that was just issued', {
        reason: 'invalid_token',
        status: 401,
        ...(challenge.server !== undefined ? { server: challenge.server } : {}),
      });
    }
    await this.#renew('refused', input);
    return 'retry';
  }

  /** Forgets the tokens and revokes them at the authorization server (RFC 7009) where it can. */
  async signOut(): Promise<void> {
    await this.#renewal?.catch(() => undefined);
    const context = this.#context;
    // Tokens in use, else those a persistent store kept for this server.
    const key = this.#active?.key ?? (context ? this.#storeKey(context) : undefined);
    const tokens =
      this.#active?.tokens ?? (key !== undefined ? await this.#store.get(key) : undefined);
    this.#active = undefined;
    this.#requestedScope = undefined;
    this.#stepUps.clear();
    this.#configuredRefreshTokenUsed = true;
    if (key === undefined || tokens === undefined) return;
    await this.#store.delete(key);
    const active = { tokens };

    // OpenID metadata has no typed revocation_endpoint; both kinds may carry it (RFC 8414).
    const endpoint = (context?.metadata as { revocation_endpoint?: unknown } | undefined)
      ?.revocation_endpoint;
    if (typeof endpoint !== 'string' || context === undefined) return;
    const client =
      configuredClient(this.#config) ??
      this.#clients.get(context.issuer) ??
      (active.tokens.client ? fromStoredClient(active.tokens.client) : undefined);
    if (!client) return;
    const revoke = (token: string, tokenTypeHint: 'access_token' | 'refresh_token') =>
      revokeToken({
        endpoint,
        token,
        tokenTypeHint,
        client,
        metadata: context.metadata,
        addClientAuthentication: this.#addClientAuthentication,
        fetch: this.#fetch,
      });
    try {
      // The refresh token first: revoking it usually ends the access tokens minted from it.
      if (active.tokens.refreshToken !== undefined) {
        await revoke(active.tokens.refreshToken, 'refresh_token');
      }
      await revoke(active.tokens.accessToken, 'access_token');
    } catch (cause) {
      throw new McpAuthError(
        'signed out locally, but revoking the tokens at the authorization server failed',
        { cause, retryable: McpError.isInstance(cause) && cause.retryable },
      );
    }
  }

  // ---- renewal -------------------------------------------------------------------------

  #renew(kind: RenewalKind, input: RenewalInput): Promise<void> {
    if (this.#renewal) return this.#renewal;
    const run = this.#runRenewal(kind, input).finally(() => {
      if (this.#renewal === run) this.#renewal = undefined;
    });
    this.#renewal = run;
    return run;
  }

  async #runRenewal(kind: RenewalKind, input: RenewalInput): Promise<void> {
    const refused = kind === 'refused' ? this.#active : undefined;
    if (refused) {
      this.#active = undefined;
      // The server may have moved to another authorization server (SEP-2352): look again.
      if (this.#context?.discovered) this.#context = undefined;
    }
    const context = await this.#resolveContext(input.resourceMetadataUrl);
    const key = this.#storeKey(context);
    // Read the store only once the lock is held: whoever held it before may have just renewed.
    await underRenewalLock(this.#store, key, this.#config.renewalLockTtlMs, () =>
      this.#renewLocked(kind, input, context, key, refused),
    );
  }

  async #renewLocked(
    kind: RenewalKind,
    input: RenewalInput,
    context: AuthContext,
    key: string,
    refused: ActiveTokens | undefined,
  ): Promise<void> {
    let stored = await this.#store.get(key);
    const now = this.#config.now();

    if (kind === 'step-up') {
      await this.#obtain(context, key, stored, input.scope);
      return;
    }
    if (stored !== undefined && this.#usable(kind, stored, refused, now)) {
      // Tokens kept from an earlier run, or just renewed by another holder of the store.
      this.#requestedScope ??= stored.scope;
      this.#active = activate(key, stored, this.#config.refreshBeforeExpiryMs, now);
      return;
    }
    if (stored?.refreshToken !== undefined) {
      if (await this.#refresh(context, key, stored, stored.refreshToken)) return;
      stored = await this.#store.get(key);
    }
    // Never prompt the user ahead of time: the current token is used until it is refused.
    if (kind === 'refresh' && this.#config.grantType === 'authorization_code') return;
    if (this.#config.refreshToken !== undefined && !this.#configuredRefreshTokenUsed) {
      this.#configuredRefreshTokenUsed = true;
      if (await this.#refresh(context, key, stored, this.#config.refreshToken)) return;
    }
    const challenged = input.challengeScope ?? this.#requestedScope;
    await this.#obtain(context, key, stored, selectScope(this.#config.scope, challenged, context));
  }

  /** Whether stored tokens can be used instead of renewing (`kind`) the ones in hand. */
  #usable(
    kind: RenewalKind,
    stored: StoredTokens,
    refused: ActiveTokens | undefined,
    now: number,
  ): boolean {
    if (stored.accessToken === '' || isExpired(stored, now)) return false;
    if (kind === 'initial') return true;
    if (kind === 'refused') {
      return refused !== undefined && stored.accessToken !== refused.tokens.accessToken;
    }
    // 'refresh': another holder refreshed when this one meant to, and it is not due yet.
    const fresh = activate('', stored, this.#config.refreshBeforeExpiryMs, now);
    return stored.accessToken !== this.#active?.tokens.accessToken && now < fresh.refreshAt;
  }

  /** Refreshes with `refreshToken`; false when the grant is gone (invalid_grant) and another way is needed. */
  async #refresh(
    context: AuthContext,
    key: string,
    stored: StoredTokens | undefined,
    refreshToken: string,
  ): Promise<boolean> {
    const client = await this.#client(context, stored, stored?.scope);
    let tokens: OAuthTokens;
    try {
      tokens = await refreshAuthorization(context.authorizationServerUrl, {
        metadata: context.metadata,
        clientInformation: client,
        refreshToken,
        ...(context.resource !== undefined ? { resource: context.resource } : {}),
        addClientAuthentication: this.#addClientAuthentication,
        ...(this.#session ? { dpop: this.#session } : {}),
        fetchFn: this.#fetch as FetchLike,
      });
    } catch (cause) {
      if (OAuthError.isInstance(cause) && cause.code === 'invalid_grant') {
        // The refresh token is dead: forget it, but keep an access token that still works.
        if (stored?.refreshToken === refreshToken) {
          const { refreshToken: _dead, ...rest } = stored;
          await this.#store.set(key, rest);
        }
        const active = this.#active;
        if (active?.key === key && active.tokens.refreshToken === refreshToken) {
          const { refreshToken: _dead, ...tokens } = active.tokens;
          this.#active = { key, tokens, refreshAt: active.refreshAt };
        }
        return false;
      }
      if (
        OAuthError.isInstance(cause) &&
        cause.code === 'invalid_client' &&
        configuredClient(this.#config) === undefined
      ) {
        // The server forgot a client it registered: register again on the next attempt.
        this.#clients.delete(context.issuer);
        await this.#store.delete(key);
        if (this.#active?.key === key) this.#active = undefined;
        return false;
      }
      throw toAuthError('refresh', `refreshing the access token at ${context.issuer}`, cause);
    }
    await this.#save(
      key,
      toStoredTokens(tokens, stored?.scope, stored, this.#config.now()),
      client,
    );
    return true;
  }

  /** Runs the configured grant for `scope`. */
  async #obtain(
    context: AuthContext,
    key: string,
    stored: StoredTokens | undefined,
    scope: string | undefined,
  ): Promise<void> {
    const config = this.#config;
    if (config.grantType === 'refresh_token') {
      throw new McpAuthError(
        `the configured refresh token no longer works at ${context.issuer} and no other grant is configured`,
        { reason: 'invalid_grant' },
      );
    }
    const requested =
      config.grantType === 'authorization_code' ? withOfflineAccess(scope, context) : scope;
    // The JWT bearer grant may come without any client (RFC 7523 §3.1): never register one.
    const client =
      config.grantType === 'jwt_bearer' && config.clientId === undefined
        ? undefined
        : await this.#client(context, stored, requested);
    let tokens: OAuthTokens;
    try {
      tokens =
        config.grantType === 'jwt_bearer'
          ? await this.#jwtBearer(context, client, requested)
          : config.grantType === 'client_credentials'
            ? await this.#clientCredentials(context, client!, requested)
            : await this.#authorizationCode(context, client!, requested);
    } catch (error) {
      if (
        McpAuthError.isInstance(error) &&
        error.reason === 'invalid_client' &&
        configuredClient(config) === undefined
      ) {
        // A registered client the server no longer knows: the next attempt registers again.
        this.#clients.delete(context.issuer);
        if (stored?.client !== undefined) {
          const { client: _forgotten, ...rest } = stored;
          await this.#store.set(key, rest);
        }
      }
      throw error;
    }
    this.#requestedScope = requested;
    await this.#save(key, toStoredTokens(tokens, requested, undefined, config.now()), client);
  }

  /** RFC 7523: the configured assertion (workload identity) or an ID-JAG (enterprise). */
  async #jwtBearer(
    context: AuthContext,
    client: OAuthClientInformationMixed | undefined,
    scope: string | undefined,
  ): Promise<OAuthTokens> {
    const assertion = await readAssertion(this.#assertion!, assertionContext(context, scope));
    return requestAssertionGrant({
      context,
      assertion,
      scope,
      provider: (prepare) => this.#grantProvider(client, prepare),
      fetch: this.#fetch as FetchLike,
    });
  }

  async #clientCredentials(
    context: AuthContext,
    client: OAuthClientInformationMixed,
    scope: string | undefined,
  ): Promise<OAuthTokens> {
    const provider = this.#grantProvider(client, () => {
      const params = new URLSearchParams({ grant_type: 'client_credentials' });
      if (scope !== undefined) params.set('scope', scope);
      return params;
    });
    try {
      return await fetchToken(provider, context.authorizationServerUrl, {
        metadata: context.metadata,
        ...(context.resource !== undefined ? { resource: context.resource } : {}),
        ...(scope !== undefined ? { scope } : {}),
        fetchFn: this.#fetch as FetchLike,
      });
    } catch (cause) {
      throw toAuthError('token', `requesting a token from ${context.issuer}`, cause);
    }
  }

  async #authorizationCode(
    context: AuthContext,
    client: OAuthClientInformationMixed,
    scope: string | undefined,
  ): Promise<OAuthTokens> {
    const config = this.#config;
    const redirectUrl = config.redirectUrl!;
    const metadata = context.metadata;
    if (metadata) {
      if (!metadata.response_types_supported.includes('code')) {
        throw new McpAuthError(`${context.issuer} does not offer the authorization code flow`, {
          reason: 'discovery-failed',
        });
      }
      // MCP requires PKCE: a server that does not list S256 cannot be used safely.
      if (!metadata.code_challenge_methods_supported?.includes('S256')) {
        throw new McpAuthError(`${context.issuer} does not support PKCE with S256`, {
          reason: 'discovery-failed',
        });
      }
    }
    const state = randomState();
    let authorizationUrl: URL;
    let codeVerifier: string;
    try {
      ({ authorizationUrl, codeVerifier } = await startAuthorization(
        context.authorizationServerUrl,
        {
          metadata,
          clientInformation: client,
          redirectUrl,
          ...(scope !== undefined ? { scope } : {}),
          state,
          ...(context.resource !== undefined ? { resource: context.resource } : {}),
        },
      ));
    } catch (cause) {
      throw toAuthError('authorization', `starting authorization at ${context.issuer}`, cause);
    }
    let callback: unknown;
    try {
      callback = await config.onAuthorizationUrl!(authorizationUrl, { redirectUrl, state });
    } catch (cause) {
      if (McpError.isInstance(cause)) throw cause;
      throw new McpAuthError('onAuthorizationUrl failed', { reason: 'access_denied', cause });
    }
    const response = readAuthorizationResponse(callback, state, context);
    // Without a verified issuer there is nothing to hold `iss` against (checked above).
    const exchangeMetadata: AuthorizationServerMetadata | undefined =
      metadata && !context.issuerVerified
        ? { ...metadata, issuer: response.iss ?? metadata.issuer }
        : metadata;
    try {
      return await exchangeAuthorization(context.authorizationServerUrl, {
        metadata: exchangeMetadata,
        clientInformation: client,
        authorizationCode: response.code,
        ...(response.iss !== undefined ? { iss: response.iss } : {}),
        codeVerifier,
        redirectUri: redirectUrl,
        ...(context.resource !== undefined ? { resource: context.resource } : {}),
        addClientAuthentication: this.#addClientAuthentication,
        ...(this.#session ? { dpop: this.#session } : {}),
        fetchFn: this.#fetch as FetchLike,
      });
    } catch (cause) {
      throw toAuthError('token', `exchanging the authorization code at ${context.issuer}`, cause);
    }
  }

  async #stepUp(input: RenewalInput): Promise<void> {
    if (this.#renewal) {
      await this.#renewal;
      return;
    }
    if (input.challengeScope === undefined) {
      throw new McpAuthError('the MCP server wants more scope but does not say which', {
        reason: 'insufficient_scope',
        status: 403,
      });
    }
    if (this.#config.grantType === 'refresh_token') {
      throw new McpAuthError(
        `the MCP server needs scope "${input.challengeScope}", and a refresh token cannot widen a grant`,
        { reason: 'insufficient_scope', status: 403 },
      );
    }
    // Ask for what was asked before plus what is missing, so nothing granted is lost (SEP-2350).
    const scope = computeScopeUnion(
      this.#requestedScope ?? this.#active?.tokens.scope,
      this.#config.scope,
      input.challengeScope,
    );
    const attempts = this.#stepUps.get(scope ?? '') ?? 0;
    if (attempts >= this.#config.maxStepUpAttempts) {
      throw new McpAuthError(
        `the MCP server still refuses with insufficient_scope after ${attempts} re-authorization(s) for "${scope}"`,
        { reason: 'retry-limit', status: 403 },
      );
    }
    this.#stepUps.set(scope ?? '', attempts + 1);
    await this.#renew('step-up', { ...input, scope });
  }

  // ---- state ---------------------------------------------------------------------------

  #checkServer(url: string): void {
    const origin = new URL(url).origin;
    if (this.#serverUrl === undefined) {
      this.#serverUrl = url;
      return;
    }
    if (new URL(this.#serverUrl).origin !== origin) {
      // Tokens are minted for one resource; sending them elsewhere would leak them.
      throw new McpConfigError(
        `this OAuth2Auth serves ${new URL(this.#serverUrl).origin} and will not send its tokens to ${origin}; use one OAuth2Auth per MCP server`,
        { field: 'auth', expected: 'one OAuth2Auth instance per MCP server' },
      );
    }
  }

  #canObtainUnprompted(): boolean {
    const config = this.#config;
    if (config.grantType === 'authorization_code') return false;
    // Discovery needs the server's first answer unless a token endpoint is configured.
    return config.tokenUrl !== undefined || this.#context !== undefined;
  }

  #canRefreshUnprompted(active: ActiveTokens): boolean {
    return (
      active.tokens.refreshToken !== undefined ||
      this.#config.grantType === 'client_credentials' ||
      this.#config.grantType === 'jwt_bearer'
    );
  }

  async #resolveContext(resourceMetadataUrl: string | undefined): Promise<AuthContext> {
    if (this.#context) return this.#context;
    const config = this.#config;
    if (config.tokenUrl !== undefined) {
      this.#context = this.#staticContext(config.tokenUrl);
      this.#session = await this.#dpop?.sessionFor(this.#context.metadata);
      return this.#context;
    }
    if (this.#serverUrl === undefined) {
      throw new McpAuthError('OAuth2Auth has not seen a request to an MCP server yet', {
        reason: 'discovery-failed',
      });
    }
    this.#context = await discoverAuthContext(this.#serverUrl, {
      resourceMetadataUrl,
      resource: config.resource,
      fetch: this.#fetch,
    });
    this.#session = await this.#dpop?.sessionFor(this.#context.metadata);
    return this.#context;
  }

  #staticContext(tokenUrl: string): AuthContext {
    const config = this.#config;
    const issuer = config.issuer ?? new URL(tokenUrl).origin;
    const metadata = {
      issuer,
      token_endpoint: tokenUrl,
      authorization_endpoint: config.authorizationUrl ?? new URL('/authorize', tokenUrl).href,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      ...(config.revocationUrl !== undefined ? { revocation_endpoint: config.revocationUrl } : {}),
    } as AuthorizationServerMetadata;
    return {
      serverUrl: this.#serverUrl ?? '',
      authorizationServerUrl: new URL(tokenUrl).origin,
      metadata,
      issuer,
      issuerVerified: config.issuer !== undefined,
      resource: config.resource,
      resourceMetadata: undefined,
      discovered: false,
    };
  }

  #storeKey(context: AuthContext): string {
    const parts = ['oauth2', context.issuer, context.resource ?? '', this.#config.clientId ?? ''];
    // Tokens bound to a DPoP key are kept apart per key: another key could not present them.
    if (this.#session) parts.push(`dpop:${this.#session.thumbprint}`);
    return parts.join('|');
  }

  async #client(
    context: AuthContext,
    stored: StoredTokens | undefined,
    scope: string | undefined,
  ): Promise<OAuthClientInformationMixed> {
    const configured = configuredClient(this.#config);
    if (configured) {
      // Credentials registered with one authorization server are never shown to another.
      const expected = this.#config.issuer ?? this.#boundIssuer;
      if (expected !== undefined && !sameIssuer(expected, context.issuer)) {
        throw new McpAuthError(
          `client ${configured.client_id} is registered with ${expected}, but the MCP server now uses ${context.issuer}`,
          { reason: 'issuer-mismatch' },
        );
      }
      if (context.issuerVerified) this.#boundIssuer ??= context.issuer;
      return configured;
    }
    const known =
      this.#clients.get(context.issuer) ??
      (stored?.client !== undefined ? fromStoredClient(stored.client) : undefined);
    if (known) return known;
    const obtained = await obtainClient(this.#config, context, scope, this.#fetch);
    this.#clients.set(context.issuer, obtained);
    return obtained;
  }

  async #save(
    key: string,
    tokens: StoredTokens,
    client: OAuthClientInformationMixed | undefined,
  ): Promise<void> {
    const type = tokens.tokenType.toLowerCase();
    if (this.#dpop && (type === 'dpop' || this.#session)) {
      this.#dpop.checkIssued(
        { access_token: tokens.accessToken, token_type: tokens.tokenType },
        this.#session,
      );
    } else if (type !== 'bearer') {
      // Only bearer tokens (and DPoP ones, with DPoP on) can be presented.
      throw new McpAuthError(
        `the authorization server issued a ${JSON.stringify(tokens.tokenType)} token; only Bearer is supported`,
        { reason: 'invalid_token' },
      );
    }
    if (configuredClient(this.#config) === undefined && client !== undefined)
      tokens.client = toStoredClient(client);
    else delete tokens.client;
    await this.#store.set(key, tokens);
    this.#active = activate(key, tokens, this.#config.refreshBeforeExpiryMs, this.#config.now());
  }

  /** The minimal provider the SDK's `fetchToken` needs for a grant built by hand. */
  #grantProvider(
    client: OAuthClientInformationMixed | undefined,
    prepareTokenRequest: () => URLSearchParams,
  ): OAuthClientProvider {
    const session = this.#session;
    const provider: OAuthClientProvider = {
      get redirectUrl() {
        return undefined;
      },
      get clientMetadata() {
        return { redirect_uris: [] };
      },
      clientInformation: () => client,
      tokens: () => undefined,
      saveTokens: () => undefined,
      redirectToAuthorization: () => undefined,
      saveCodeVerifier: () => undefined,
      codeVerifier: () => '',
      prepareTokenRequest,
    };
    if (this.#addClientAuthentication)
      provider.addClientAuthentication = this.#addClientAuthentication;
    if (session) provider.dpop = () => session;
    return provider;
  }

  protected describe(): Record<string, unknown> {
    const config = this.#config;
    return {
      name: this.name,
      grantType: config.grantType,
      ...(config.clientId !== undefined ? { clientId: config.clientId } : {}),
      ...(config.clientSecret !== undefined ? { clientSecret: REDACTED } : {}),
      ...(config.privateKey !== undefined ? { privateKey: REDACTED } : {}),
      ...(config.refreshToken !== undefined ? { refreshToken: REDACTED } : {}),
      ...(config.assertion !== undefined ? { assertion: REDACTED } : {}),
      ...(config.enterprise !== undefined
        ? { enterprise: { idpClientId: config.enterprise.idpClientId, idToken: REDACTED } }
        : {}),
      ...(config.dpop !== undefined ? { dpop: config.dpop.use } : {}),
      ...(config.tokenUrl !== undefined ? { tokenUrl: config.tokenUrl } : {}),
      ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
      ...(config.scope !== undefined ? { scopes: config.scope.split(' ') } : {}),
      authorized: this.#active !== undefined,
    };
  }
}
