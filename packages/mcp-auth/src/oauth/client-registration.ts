// Which client identity to use with an authorization server, in the MCP order: a client
// registered in advance, else a client ID metadata document (SEP-991) where the server
// supports it, else dynamic client registration (RFC 7591).
import {
  registerClient,
  resolveClientMetadata,
  type FetchLike,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
} from '@modelcontextprotocol/client';
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { McpAuthError } from '@tframex/mcp-api';
import type { AuthContext } from './auth-context.js';
import type { OAuth2Config } from './oauth2-auth-options.js';
import { toAuthError } from './to-auth-error.js';

/** The client identity configured in advance, if any. */
export function configuredClient(config: OAuth2Config): OAuthClientInformationMixed | undefined {
  if (config.clientId === undefined) return undefined;
  const info: OAuthClientInformationMixed = { client_id: config.clientId };
  if (config.clientSecret !== undefined) info.client_secret = config.clientSecret;
  const method = config.clientAuthMethod;
  if (method !== undefined && method !== 'private_key_jwt') {
    (info as { token_endpoint_auth_method?: string }).token_endpoint_auth_method = method;
  }
  return info;
}

function registrationMetadata(
  config: OAuth2Config,
  scope: string | undefined,
): OAuthClientMetadata {
  const interactive = config.grantType !== 'client_credentials';
  const metadata: OAuthClientMetadata = {
    client_name: config.clientName,
    redirect_uris: interactive && config.redirectUrl ? [config.redirectUrl] : [],
    grant_types: interactive ? ['authorization_code', 'refresh_token'] : ['client_credentials'],
    response_types: interactive ? ['code'] : [],
    // A CLI or agent cannot keep a secret from its user: register as a public client when a
    // user is involved; machine clients get a secret.
    token_endpoint_auth_method: interactive ? 'none' : 'client_secret_basic',
  };
  if (scope !== undefined) metadata.scope = scope;
  return resolveClientMetadata({
    clientMetadata: metadata,
    redirectUrl: interactive ? config.redirectUrl : undefined,
  });
}

/** Obtains a client identity for `context` when none is configured or remembered. */
export async function obtainClient(
  config: OAuth2Config,
  context: AuthContext,
  scope: string | undefined,
  fetchFn: FetchFunction,
): Promise<OAuthClientInformationMixed> {
  const metadata = context.metadata;
  if (
    config.clientMetadataUrl !== undefined &&
    metadata?.client_id_metadata_document_supported === true
  ) {
    return { client_id: config.clientMetadataUrl };
  }
  // Without metadata (a 2025-03-26 server), registration lives at the default /register.
  if (metadata === undefined || metadata.registration_endpoint !== undefined) {
    try {
      return await registerClient(context.authorizationServerUrl, {
        metadata,
        clientMetadata: registrationMetadata(config, scope),
        ...(scope !== undefined ? { scope } : {}),
        fetchFn: fetchFn as FetchLike,
      });
    } catch (cause) {
      throw toAuthError('registration', `registering with ${context.issuer}`, cause);
    }
  }
  throw new McpAuthError(
    `no client ID for ${context.issuer}: configure clientId, or a clientMetadataUrl for a server that supports client ID metadata documents; it offers no dynamic registration`,
    { reason: 'registration-failed' },
  );
}
