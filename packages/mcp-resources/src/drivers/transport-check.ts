// encryptTransport: plain http:/ws: only to loopback hosts.
import { McpSecurityError } from '@tframex/mcp-api';

const PLAIN = new Set(['http:', 'ws:']);

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Throws McpSecurityError (rule `encrypt-transport`) for a plain-text URL to a non-loopback host. */
export function assertEncryptedTransport(url: string, server?: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // not a URL a transport reaches (file:, custom schemes)
  }
  if (PLAIN.has(parsed.protocol) && !isLoopback(parsed.hostname)) {
    throw new McpSecurityError(
      `Refused ${parsed.protocol}//${parsed.host}${parsed.pathname}: encryptTransport allows plain ${parsed.protocol.slice(0, -1)} only to loopback hosts; use ${parsed.protocol === 'ws:' ? 'wss' : 'https'}:`,
      { rule: 'encrypt-transport', ...(server !== undefined ? { server } : {}) },
    );
  }
}
