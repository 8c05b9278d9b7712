// Turns MCPConfig's auth shorthand (apiKey, authMethod bearer/basic) into an McpAuthPlugin.
// Core cannot depend on @tframex/mcp-auth, so OAuth2 comes from a factory the application
// passes in (`oauth2: (options) => new OAuth2Auth(options)`), or is refused with a hint.
import { McpConfigError } from '@tframex/mcp-api';
import type { McpAuthPlugin } from '@tframex/mcp-auth-api';
import type { MCPConfig } from './mcp-config.js';

/** The OAuth2 shorthand fields, for an OAuth2 plugin factory. */
export interface MCPConfigOAuth2Options {
  clientId: string;
  clientSecret?: string;
  refreshToken?: string;
  tokenUrl: string;
  scopes?: string[];
  /** Alias of the server. */
  server: string;
}

export interface CreateAuthPluginSettings {
  /** Builds the plugin for `authMethod: 'oauth2'` (e.g. `(options) => new OAuth2Auth(options)`). */
  oauth2?: (options: MCPConfigOAuth2Options) => McpAuthPlugin;
}

function staticHeaders(name: string, headers: Record<string, string>): McpAuthPlugin {
  const frozen = Object.freeze({ ...headers });
  return Object.freeze({ name, headers: () => frozen });
}

/**
 * The auth plugin a config asks for: `auth` as given; `apiKey` → plugin `api-key` sending
 * `<apiKeyHeader>: <apiKey>`; `bearer` → `Authorization: Bearer <token>`; `basic` →
 * `Authorization: Basic base64(username:password)` (UTF-8); `oauth2` → `settings.oauth2(...)`.
 * Undefined when the config has no auth. Throws McpConfigError for `oauth2` without a factory.
 */
export function createAuthPluginFromConfig(
  config: Pick<
    MCPConfig,
    | 'name'
    | 'auth'
    | 'apiKey'
    | 'apiKeyHeader'
    | 'authMethod'
    | 'token'
    | 'username'
    | 'password'
    | 'clientId'
    | 'clientSecret'
    | 'refreshToken'
    | 'tokenUrl'
    | 'scopes'
  >,
  settings: CreateAuthPluginSettings = {},
): McpAuthPlugin | undefined {
  if (config.auth) return config.auth;
  if (config.apiKey !== undefined) {
    return staticHeaders('api-key', { [config.apiKeyHeader ?? 'X-API-Key']: config.apiKey });
  }
  switch (config.authMethod) {
    case undefined:
      return undefined;
    case 'bearer':
      return staticHeaders('bearer', { Authorization: `Bearer ${config.token ?? ''}` });
    case 'basic': {
      const credentials = Buffer.from(
        `${config.username ?? ''}:${config.password ?? ''}`,
        'utf8',
      ).toString('base64');
      return staticHeaders('basic', { Authorization: `Basic ${credentials}` });
    }
    case 'oauth2': {
      if (!settings.oauth2) {
        throw new McpConfigError(
          `Server "${config.name}": authMethod 'oauth2' needs an OAuth2 plugin. Pass auth: new OAuth2Auth({ clientId, clientSecret, tokenUrl, scopes }) from @tframex/mcp-auth instead, or give createAuthPluginFromConfig an oauth2 factory`,
          {
            field: 'authMethod',
            expected: "'bearer' or 'basic', or an auth plugin for OAuth2",
            received: 'oauth2',
            server: config.name,
          },
        );
      }
      return settings.oauth2({
        clientId: config.clientId ?? '',
        tokenUrl: config.tokenUrl ?? '',
        server: config.name,
        ...(config.clientSecret !== undefined ? { clientSecret: config.clientSecret } : {}),
        ...(config.refreshToken !== undefined ? { refreshToken: config.refreshToken } : {}),
        ...(config.scopes !== undefined ? { scopes: [...config.scopes] } : {}),
      });
    }
  }
}
