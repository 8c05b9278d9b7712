// MCPConfig's TLS options in the shape Node's TLS (and McpAuthPlugin.tls) uses.
import type { McpTlsMaterial } from '@tframex/mcp-auth-api';
import type { MCPConfig } from './mcp-config.js';

/** TLS material for the config's HTTPS connections, or undefined when it sets none. */
export function tlsMaterialFromConfig(
  config: Pick<MCPConfig, 'clientCert' | 'clientKey' | 'clientKeyPassphrase' | 'ca' | 'verifySsl'>,
): McpTlsMaterial | undefined {
  const material: McpTlsMaterial = {
    ...(config.clientCert !== undefined ? { cert: config.clientCert } : {}),
    ...(config.clientKey !== undefined ? { key: config.clientKey } : {}),
    ...(config.clientKeyPassphrase !== undefined ? { passphrase: config.clientKeyPassphrase } : {}),
    ...(config.ca !== undefined ? { ca: config.ca } : {}),
    ...(config.verifySsl === false ? { rejectUnauthorized: false } : {}),
  };
  return Object.keys(material).length > 0 ? material : undefined;
}
