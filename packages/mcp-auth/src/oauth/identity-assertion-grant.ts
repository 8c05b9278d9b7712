// Enterprise-managed authorization, step one: the user's ID token is exchanged at the
// company's identity provider (RFC 8693 token exchange) for an Identity Assertion JWT
// Authorization Grant (ID-JAG) naming the MCP server's authorization server as audience and
// the MCP server as resource. OAuth2Auth then presents it with the JWT bearer grant.
import {
  discoverAuthorizationServerMetadata,
  parseErrorResponse,
  type FetchLike,
} from '@modelcontextprotocol/client';
import { McpAuthError, McpError } from '@tframex/mcp-api';
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { readAssertion } from './assertion-grant.js';
import type {
  AssertionContext,
  EnterpriseAuthorizationOptions,
} from './oauth2-extension-options.js';
import { toAuthError } from './to-auth-error.js';

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';

/**
 * Returns the function that turns the user's ID token into an ID-JAG for a token request. The
 * identity provider's token endpoint is discovered once, from its issuer, when not configured.
 */
export function identityAssertionSource(
  options: EnterpriseAuthorizationOptions,
  fetch: FetchFunction,
): (context: AssertionContext) => Promise<string> {
  let tokenEndpoint: Promise<string> | undefined =
    options.idpTokenUrl === undefined ? undefined : Promise.resolve(options.idpTokenUrl);

  const endpoint = (): Promise<string> => {
    tokenEndpoint ??= discoverTokenEndpoint(options.idpIssuer!, fetch).catch((error: unknown) => {
      tokenEndpoint = undefined; // try discovery again next time
      throw error;
    });
    return tokenEndpoint;
  };

  return async (context) => {
    const idToken = await readAssertion(
      typeof options.idToken === 'string' ? () => options.idToken as string : options.idToken,
      context,
      'enterprise.idToken',
    );
    if (context.resource === undefined) {
      throw new McpAuthError(
        'enterprise authorization needs the MCP server resource identifier (protected resource metadata or the resource option)',
        { reason: 'discovery-failed' },
      );
    }
    const url = await endpoint();
    const params = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      requested_token_type: ID_JAG_TOKEN_TYPE,
      subject_token: idToken,
      subject_token_type: ID_TOKEN_TYPE,
      audience: context.issuer,
      resource: context.resource,
      client_id: options.idpClientId,
    });
    if (options.idpClientSecret !== undefined) params.set('client_secret', options.idpClientSecret);
    if (context.scope !== undefined) params.set('scope', context.scope);

    const what = `exchanging the ID token at the identity provider ${new URL(url).origin}`;
    let body: unknown;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: params.toString(),
      });
      if (!response.ok) throw await parseErrorResponse(response);
      body = await response.json();
    } catch (cause) {
      throw toAuthError('token', what, cause);
    }
    const answer = body as { issued_token_type?: unknown; access_token?: unknown };
    if (answer.issued_token_type !== ID_JAG_TOKEN_TYPE) {
      throw new McpAuthError(
        `${what}: the answer is not an ID-JAG (issued_token_type ${JSON.stringify(answer.issued_token_type ?? null)})`,
        { reason: 'invalid_grant' },
      );
    }
    return readAssertion(() => answer.access_token as string, context, 'the identity provider');
  };
}

async function discoverTokenEndpoint(issuer: string, fetch: FetchFunction): Promise<string> {
  let endpoint: unknown;
  try {
    const metadata = await discoverAuthorizationServerMetadata(issuer, {
      fetchFn: fetch as FetchLike,
    });
    endpoint = metadata?.token_endpoint;
  } catch (cause) {
    if (McpError.isInstance(cause)) throw cause;
    throw new McpAuthError(`discovering the identity provider ${issuer} failed`, {
      reason: 'discovery-failed',
      retryable: cause instanceof TypeError,
      cause,
    });
  }
  if (typeof endpoint !== 'string') {
    throw new McpAuthError(`the identity provider ${issuer} publishes no token endpoint`, {
      reason: 'discovery-failed',
    });
  }
  return endpoint;
}
