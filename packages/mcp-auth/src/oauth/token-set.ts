// Converting between the token endpoint's answer (SDK OAuthTokens) and the TokenStore's
// StoredTokens, and deciding when a token is due for refresh.
import type { OAuthTokens } from '@modelcontextprotocol/client';
import type { StoredTokens } from '@tframex/mcp-auth-api';

/** Tokens in use, with when they should be refreshed. */
export interface ActiveTokens {
  key: string;
  tokens: StoredTokens;
  /** Epoch ms after which a refresh is due (Infinity when the expiry is unknown). */
  refreshAt: number;
}

export function toStoredTokens(
  tokens: OAuthTokens,
  requestedScope: string | undefined,
  previous: StoredTokens | undefined,
  now: number,
): StoredTokens {
  const stored: StoredTokens = {
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
  };
  if (tokens.expires_in !== undefined) stored.expiresAt = now + tokens.expires_in * 1000;
  // A refresh response may omit the refresh token: the old one stays valid (RFC 6749 §6).
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  if (refreshToken !== undefined) stored.refreshToken = refreshToken;
  // No `scope` in the answer means the requested one was granted (RFC 6749 §5.1).
  const scope = tokens.scope ?? requestedScope ?? previous?.scope;
  if (scope !== undefined) stored.scope = scope;
  if (tokens.id_token !== undefined) stored.idToken = tokens.id_token;
  if (previous?.client !== undefined) stored.client = previous.client;
  return stored;
}

export function activate(
  key: string,
  tokens: StoredTokens,
  refreshBeforeExpiryMs: number,
  now: number,
): ActiveTokens {
  if (tokens.expiresAt === undefined) return { key, tokens, refreshAt: Number.POSITIVE_INFINITY };
  const remaining = tokens.expiresAt - now;
  // Never spend more than half of a short-lived token's life refreshing it.
  const lead = Math.min(refreshBeforeExpiryMs, Math.max(0, remaining) / 2);
  return { key, tokens, refreshAt: tokens.expiresAt - lead };
}

export function isExpired(tokens: StoredTokens, now: number): boolean {
  return tokens.expiresAt !== undefined && now >= tokens.expiresAt;
}
