// RFC 7009 token revocation, with the same client authentication as the token endpoint.
import {
  selectClientAuthMethod,
  type AddClientAuthentication,
  type AuthorizationServerMetadata,
  type OAuthClientInformationMixed,
} from '@modelcontextprotocol/client';
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { discardBody } from '../internal/http-body.js';
import { McpAuthError } from '@tframex/mcp-api';

export interface RevokeTokenOptions {
  endpoint: string;
  token: string;
  tokenTypeHint: 'access_token' | 'refresh_token';
  client: OAuthClientInformationMixed;
  metadata: AuthorizationServerMetadata | undefined;
  addClientAuthentication: AddClientAuthentication | undefined;
  fetch: FetchFunction;
}

// RFC 6749 §2.3.1: credentials in Basic auth are form-urlencoded first.
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

export async function revokeToken(options: RevokeTokenOptions): Promise<void> {
  const headers = new Headers({
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  });
  const params = new URLSearchParams({
    token: options.token,
    token_type_hint: options.tokenTypeHint,
  });
  const { client, metadata } = options;
  if (options.addClientAuthentication) {
    await options.addClientAuthentication(headers, params, options.endpoint, metadata);
  } else {
    const revocationMethods = (metadata as { revocation_endpoint_auth_methods_supported?: unknown })
      ?.revocation_endpoint_auth_methods_supported;
    const supported = Array.isArray(revocationMethods)
      ? (revocationMethods as string[])
      : (metadata?.token_endpoint_auth_methods_supported ?? []);
    const method = selectClientAuthMethod(client, supported);
    if (method === 'client_secret_basic' && client.client_secret !== undefined) {
      const credentials = `${formEncode(client.client_id)}:${formEncode(client.client_secret)}`;
      headers.set('authorization', `Basic ${btoa(credentials)}`);
    } else {
      params.set('client_id', client.client_id);
      if (method === 'client_secret_post' && client.client_secret !== undefined) {
        params.set('client_secret', client.client_secret);
      }
    }
  }
  let response: Response;
  try {
    // Never follow a redirect: the request carries client credentials.
    response = await options.fetch(options.endpoint, {
      method: 'POST',
      headers,
      body: params.toString(),
      redirect: 'manual',
    });
  } catch (cause) {
    throw new McpAuthError(`cannot reach the revocation endpoint ${options.endpoint}`, {
      retryable: true,
      cause,
    });
  }
  discardBody(response);
  // RFC 7009 §2.2: 200 whether or not the token was still valid.
  if (response.status !== 200) {
    throw new McpAuthError(`the revocation endpoint answered HTTP ${response.status}`, {
      status: response.status,
      retryable: response.status >= 500,
    });
  }
}
