// @tframex/mcp-auth: auth plugins for MCP clients (API key, bearer, basic, OAuth 2.1) and
// helpers for custom schemes. Runtime-neutral; Node-only pieces (client certificates,
// encrypted token files, the loopback redirect listener) are in `@tframex/mcp-auth/node`.

export type { APIKeyAuthOptions } from './schemes/api-key-auth.js';
export { APIKeyAuth } from './schemes/api-key-auth.js';
export type {
  BearerAuthOptions,
  BearerTokenContext,
  BearerTokenGetter,
} from './schemes/bearer-auth.js';
export { BearerAuth } from './schemes/bearer-auth.js';
export type { BasicAuthOptions } from './schemes/basic-auth.js';
export { BasicAuth } from './schemes/basic-auth.js';

export type {
  AuthorizationUrlContext,
  AuthorizationUrlHandler,
  OAuth2AuthOptions,
  OAuth2ClientAuthMethod,
  OAuth2GrantType,
} from './oauth/oauth2-auth-options.js';
export type {
  AssertionContext,
  AssertionSource,
  EnterpriseAuthorizationOptions,
  OAuth2DpopAlgorithm,
  OAuth2DpopMode,
  OAuth2DpopOptions,
  WebCryptoKey,
  WebCryptoKeyPair,
} from './oauth/oauth2-extension-options.js';
export { OAuth2Auth } from './oauth/oauth2-auth.js';
export type { HeadlessAuthorizationOptions } from './oauth/headless-authorization.js';
export { headlessAuthorization } from './oauth/headless-authorization.js';

export type { AuthPluginDefinition } from './custom/define-auth-plugin.js';
export { defineAuthPlugin } from './custom/define-auth-plugin.js';
export { composeAuthPlugins } from './custom/compose-auth-plugins.js';
