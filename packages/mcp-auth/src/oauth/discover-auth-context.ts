// Discovery for one MCP server: protected resource metadata (RFC 9728) names the
// authorization server; its metadata comes from RFC 8414 or OpenID Connect discovery (the
// SDK's discoverAuthorizationServerMetadata, which also checks the `issuer` echo).
import {
  checkResourceAllowed,
  discoverAuthorizationServerMetadata,
  IssuerMismatchError,
  LATEST_PROTOCOL_VERSION,
  resourceUrlFromServerUrl,
  type FetchLike,
} from '@modelcontextprotocol/client';
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { McpAuthError, McpError } from '@tframex/mcp-api';
import type { AuthContext } from './auth-context.js';
import { fetchProtectedResourceMetadata } from './protected-resource-metadata.js';

export interface DiscoveryOptions {
  /** From a challenge's `resource_metadata` parameter. */
  resourceMetadataUrl?: string | undefined;
  /** Configured resource indicator, checked against the server. */
  resource?: string | undefined;
  fetch: FetchFunction;
}

export async function discoverAuthContext(
  serverUrl: string,
  options: DiscoveryOptions,
): Promise<AuthContext> {
  const resourceMetadata = await fetchProtectedResourceMetadata(
    serverUrl,
    options.resourceMetadataUrl,
    options.fetch,
    LATEST_PROTOCOL_VERSION,
  );

  // RFC 9728 §3.3 / RFC 8707: the metadata must describe this server, or tokens would be
  // minted for (and sent to) a resource the client never meant to talk to.
  const expected = resourceUrlFromServerUrl(serverUrl);
  let resource: string | undefined;
  if (resourceMetadata) {
    if (
      !checkResourceAllowed({
        requestedResource: expected,
        configuredResource: resourceMetadata.resource,
      })
    ) {
      throw new McpAuthError(
        `protected resource metadata is for ${resourceMetadata.resource}, not for ${expected.href}`,
        { reason: 'discovery-failed' },
      );
    }
    resource = resourceMetadata.resource;
  }
  if (options.resource !== undefined) {
    if (
      !checkResourceAllowed({ requestedResource: expected, configuredResource: options.resource })
    ) {
      throw new McpAuthError(
        `the configured resource ${options.resource} does not cover ${expected.href}`,
        {
          reason: 'discovery-failed',
        },
      );
    }
    resource = options.resource;
  }

  const authorizationServerUrl =
    resourceMetadata?.authorization_servers?.[0] ?? new URL('/', serverUrl).href;
  let metadata;
  try {
    metadata = await discoverAuthorizationServerMetadata(authorizationServerUrl, {
      fetchFn: options.fetch as FetchLike,
    });
  } catch (cause) {
    if (McpError.isInstance(cause)) throw cause;
    if (IssuerMismatchError.isInstance(cause)) {
      throw new McpAuthError(
        `authorization server metadata at ${authorizationServerUrl} names another issuer (RFC 8414 §3.3)`,
        { reason: 'issuer-mismatch', cause },
      );
    }
    throw new McpAuthError(
      `cannot read authorization server metadata from ${authorizationServerUrl}`,
      {
        reason: 'discovery-failed',
        // fetch rejects with a TypeError when the server cannot be reached: worth another try.
        retryable: cause instanceof TypeError,
        cause,
      },
    );
  }
  if (!metadata && resourceMetadata) {
    // A server that names its authorization server must be able to describe it.
    throw new McpAuthError(
      `authorization server ${authorizationServerUrl} publishes no OAuth or OpenID metadata`,
      { reason: 'discovery-failed' },
    );
  }
  return {
    serverUrl,
    authorizationServerUrl,
    metadata,
    issuer: metadata?.issuer ?? authorizationServerUrl,
    issuerVerified: metadata !== undefined,
    resource,
    resourceMetadata,
    discovered: true,
  };
}
