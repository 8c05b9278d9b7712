// Reads the redirect back from the authorization server. Order matters (RFC 9207 §2.4):
// the issuer is checked first, and in a mix-up the server's error texts are never shown.
import { validateAuthorizationResponseIssuer } from '@modelcontextprotocol/client';
import { McpAuthError } from '@tframex/mcp-api';
import type { AuthContext } from './auth-context.js';
import { reasonForOAuthCode } from './to-auth-error.js';

export interface AuthorizationResponse {
  code: string;
  iss: string | undefined;
}

function toParams(callback: unknown): URLSearchParams {
  if (callback instanceof URLSearchParams) return callback;
  if (callback instanceof URL) return callback.searchParams;
  if (typeof callback === 'string') {
    if (URL.canParse(callback)) return new URL(callback).searchParams;
    return new URLSearchParams(callback.startsWith('?') ? callback.slice(1) : callback);
  }
  throw new McpAuthError(
    'onAuthorizationUrl must resolve with the redirect URL (URL, string or URLSearchParams)',
  );
}

export function readAuthorizationResponse(
  callback: unknown,
  expectedState: string,
  context: AuthContext,
): AuthorizationResponse {
  const params = toParams(callback);
  const iss = params.get('iss') ?? undefined;
  try {
    validateAuthorizationResponseIssuer({
      iss,
      expectedIssuer: context.issuerVerified ? context.issuer : undefined,
      issParameterSupported:
        context.metadata?.authorization_response_iss_parameter_supported === true,
    });
  } catch (cause) {
    throw new McpAuthError(
      iss === undefined
        ? `the authorization response has no iss, but ${context.issuer} promises one (RFC 9207)`
        : `the authorization response came from another issuer than ${context.issuer} (RFC 9207)`,
      { reason: 'issuer-mismatch', cause },
    );
  }
  if (params.get('state') !== expectedState) {
    throw new McpAuthError('the authorization response does not carry the state that was sent', {
      reason: 'access_denied',
    });
  }
  const error = params.get('error');
  if (error !== null) {
    throw new McpAuthError(`authorization was refused: ${JSON.stringify(error.slice(0, 64))}`, {
      reason: reasonForOAuthCode(error) ?? 'access_denied',
    });
  }
  const code = params.get('code');
  if (!code) {
    throw new McpAuthError('the authorization response carries neither a code nor an error', {
      reason: 'access_denied',
    });
  }
  return { code, iss };
}
