// Turns McpTlsMaterial into the `connect` options of an undici Agent (Node's TLS options).
import type { McpTlsMaterial, PemData } from '@tframex/mcp-auth-api';
import type { ConnectionOptions } from 'node:tls';

const toBuffer = (value: PemData): string | Buffer =>
  typeof value === 'string' ? value : Buffer.from(value);

/** Only the fields the material sets: an undefined field must not override a default. */
export function tlsConnectOptions(material: McpTlsMaterial): ConnectionOptions {
  const connect: ConnectionOptions = {};
  if (material.cert !== undefined) connect.cert = toBuffer(material.cert);
  if (material.key !== undefined) connect.key = toBuffer(material.key);
  if (material.passphrase !== undefined) connect.passphrase = material.passphrase;
  if (material.pfx !== undefined) connect.pfx = toBuffer(material.pfx);
  if (material.ca !== undefined) {
    connect.ca = Array.isArray(material.ca) ? material.ca.map(toBuffer) : toBuffer(material.ca);
  }
  if (material.servername !== undefined) connect.servername = material.servername;
  if (material.rejectUnauthorized === false) connect.rejectUnauthorized = false;
  return connect;
}
