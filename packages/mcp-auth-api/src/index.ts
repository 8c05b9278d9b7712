// @tframex/mcp-auth-api: the auth seam. mcp-core sees only these types; mcp-auth and
// custom code implement them.

export type {
  Awaitable,
  McpAuthChallenge,
  McpAuthDecision,
  McpAuthPlugin,
  McpAuthRequest,
} from './auth-plugin.js';
export { NO_AUTH } from './auth-plugin.js';
export type { McpAuthResponse } from './auth-response.js';
export type { StoredTokens, TokenStore } from './token-store.js';
export { InMemoryTokenStore } from './token-store.js';
export type { TokenStoreLock, TokenStoreLockOptions } from './token-store-lock.js';
export type { AuthFetchOptions, FetchFunction } from './auth-fetch.js';
export { createAuthFetch } from './auth-fetch.js';
export type { McpTlsMaterial, PemData } from './tls-material.js';
export type { WwwAuthenticateChallenge } from './www-authenticate.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
