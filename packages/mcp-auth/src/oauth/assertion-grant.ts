// The JWT bearer grant (RFC 7523 §2.1) with the assertion OAuth2Auth was given: a workload's
// platform-issued JWT (workload identity federation) or, for enterprise-managed authorization,
// an ID-JAG obtained from the identity provider just before.
import {
  fetchToken,
  type AuthorizationServerMetadata,
  type FetchLike,
  type OAuthClientProvider,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { McpAuthError, McpError } from '@tframex/mcp-api';
import type { AuthContext } from './auth-context.js';
import type { AssertionContext, AssertionSource } from './oauth2-extension-options.js';
import { toAuthError } from './to-auth-error.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** What the assertion is for: the authorization server, its token endpoint, resource and scope. */
export function assertionContext(
  context: AuthContext,
  scope: string | undefined,
): AssertionContext {
  const metadata: AuthorizationServerMetadata | undefined = context.metadata;
  return {
    issuer: context.issuer,
    tokenEndpoint:
      metadata?.token_endpoint ?? new URL('/token', context.authorizationServerUrl).href,
    resource: context.resource,
    scope,
  };
}

/** Calls the assertion source; a failure or a value that is no JWT is an McpAuthError. */
export async function readAssertion(
  source: AssertionSource,
  context: AssertionContext,
  what = 'the assertion source',
): Promise<string> {
  let assertion: unknown;
  try {
    assertion = await source(context);
  } catch (cause) {
    if (McpError.isInstance(cause)) throw cause;
    throw new McpAuthError(`${what} failed`, { reason: 'invalid_grant', cause });
  }
  const value = typeof assertion === 'string' ? assertion.trim() : '';
  if (!COMPACT_JWS.test(value)) {
    // Never echo the value: it is a credential even when malformed.
    throw new McpAuthError(`${what} did not return a signed JWT (compact JWS)`, {
      reason: 'invalid_grant',
    });
  }
  return value;
}

export interface AssertionGrantRequest {
  context: AuthContext;
  assertion: string;
  scope: string | undefined;
  /** A provider whose `prepareTokenRequest` is replaced here (client authentication, DPoP). */
  provider: (prepare: () => URLSearchParams) => OAuthClientProvider;
  fetch: FetchLike;
}

/** Presents the assertion at the token endpoint. Never retried: a refusal is final (RFC 7523 §3.1). */
export async function requestAssertionGrant(request: AssertionGrantRequest): Promise<OAuthTokens> {
  const { context, assertion, scope } = request;
  const provider = request.provider(() => {
    const params = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
    if (scope !== undefined) params.set('scope', scope);
    return params;
  });
  try {
    return await fetchToken(provider, context.authorizationServerUrl, {
      metadata: context.metadata,
      ...(context.resource !== undefined ? { resource: context.resource } : {}),
      ...(scope !== undefined ? { scope } : {}),
      fetchFn: request.fetch,
    });
  } catch (cause) {
    throw toAuthError('token', `the JWT bearer grant at ${context.issuer}`, cause);
  }
}
