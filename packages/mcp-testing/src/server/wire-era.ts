// Tells the eras apart on a stdio or memory connection, where no URL or header says which:
// every 2026-07-28 message carries the protocol-version claim in its `_meta` envelope.
import type { McpProtocolEra } from '@tframex/mcp-api';
import { PROTOCOL_VERSION_META_KEY, type JSONRPCMessage } from '@modelcontextprotocol/server';

export function wireEraOf(message: JSONRPCMessage): McpProtocolEra {
  const params =
    'params' in message ? (message.params as Record<string, unknown> | undefined) : undefined;
  const meta = params?.['_meta'];
  return typeof meta === 'object' && meta !== null && PROTOCOL_VERSION_META_KEY in meta
    ? 'modern'
    : 'legacy';
}

/** A legacy-only server answers a modern probe as a 2025 server does: method not found. */
export function refuseModern(message: JSONRPCMessage): JSONRPCMessage | undefined {
  if (!('method' in message) || !('id' in message) || message.id === undefined) return undefined;
  if (wireEraOf(message) !== 'modern') return undefined;
  return { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } };
}
