// What `client` may be: one session, or a tool source whose sessions are picked by the
// mcp:// URI's server alias.
import { McpConfigError, type McpSession, type McpToolSource } from '@tframex/mcp-api';

export type McpResourceClient = McpSession | McpToolSource;

/** Whether `value` looks like an McpToolSource (it has `getSession`). */
export function isToolSource(value: unknown): value is McpToolSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as McpToolSource).getSession === 'function' &&
    typeof (value as McpSession).callTool !== 'function'
  );
}

/** Whether `value` looks like an McpSession. */
export function isSession(value: unknown): value is McpSession {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as McpSession).callTool === 'function' &&
    typeof (value as McpSession).readResource === 'function'
  );
}

/** The session a resource on `server` talks to. */
export function resolveSession(client: McpResourceClient, server: string): McpSession {
  if (!isToolSource(client)) return client;
  const session = client.getSession(server);
  if (!session) {
    throw new McpConfigError(
      `No MCP server "${server}" in the client's tool source (it has: ${client.serverNames.join(', ') || 'none'})`,
      {
        field: 'uri',
        expected: `a server alias the tool source knows (${client.serverNames.join(', ') || 'none'})`,
        received: server,
      },
    );
  }
  return session;
}
