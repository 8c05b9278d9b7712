// Maps failures of the SDK's OAuth helpers to McpAuthError, by class and OAuth error code
// (never by message text). `step` says what was being done, which gives the default reason.
import {
  AuthorizationServerMismatchError,
  InsecureTokenEndpointError,
  IssuerMismatchError,
  OAuthError,
  RegistrationRejectedError,
} from '@modelcontextprotocol/client';
import { McpAuthError, McpError, type McpAuthErrorReason } from '@tframex/mcp-api';

export type OAuthStep = 'registration' | 'authorization' | 'token' | 'refresh' | 'revocation';

const DEFAULT_REASON: Record<OAuthStep, McpAuthErrorReason> = {
  registration: 'registration-failed',
  authorization: 'access_denied',
  token: 'unauthorized',
  refresh: 'unauthorized',
  revocation: 'unauthorized',
};

const OAUTH_CODES = new Set<string>([
  'invalid_client',
  'invalid_grant',
  'invalid_token',
  'invalid_scope',
  'unauthorized_client',
  'access_denied',
  'insufficient_scope',
]);

// RFC 6749 §4.1.2.1: the server is overloaded or failing; the same request may work later.
const TRANSIENT_CODES = new Set<string>(['server_error', 'temporarily_unavailable']);

/** The McpAuthError reason an OAuth error code stands for, if it names one. */
export function reasonForOAuthCode(code: string | undefined): McpAuthErrorReason | undefined {
  return code !== undefined && OAUTH_CODES.has(code) ? (code as McpAuthErrorReason) : undefined;
}

export function toAuthError(step: OAuthStep, what: string, cause: unknown): McpError {
  if (McpError.isInstance(cause)) return cause;
  if (IssuerMismatchError.isInstance(cause) || AuthorizationServerMismatchError.isInstance(cause)) {
    return new McpAuthError(`${what}: the authorization server's issuer does not match`, {
      reason: 'issuer-mismatch',
      cause,
    });
  }
  if (OAuthError.isInstance(cause)) {
    const reason = reasonForOAuthCode(cause.code) ?? DEFAULT_REASON[step];
    // The code is a registered OAuth value; the description comes from the server and may
    // be long or odd, so it stays in `cause` rather than the message.
    return new McpAuthError(
      `${what}: the authorization server answered ${JSON.stringify(cause.code)}`,
      { reason, retryable: TRANSIENT_CODES.has(cause.code), cause },
    );
  }
  if (RegistrationRejectedError.isInstance(cause)) {
    return new McpAuthError(
      `${what}: dynamic client registration was refused (HTTP ${cause.status})`,
      {
        reason: 'registration-failed',
        status: cause.status,
        cause,
      },
    );
  }
  if (InsecureTokenEndpointError.isInstance(cause)) {
    return new McpAuthError(`${what}: the token endpoint ${cause.tokenEndpoint} is not https`, {
      reason: 'discovery-failed',
      cause,
    });
  }
  return new McpAuthError(`${what} failed`, {
    reason: DEFAULT_REASON[step],
    // fetch rejects with a TypeError when a server cannot be reached.
    retryable: cause instanceof TypeError,
    cause,
  });
}
