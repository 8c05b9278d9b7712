// What MCPServers does with one entry: turn options into an MCPClient or take any McpSession
// as it is, and connect it, reporting what happened as a ServerStatus.
import { McpConfigError, McpConnectionError, McpError, type McpSession } from '@tframex/mcp-api';
import type { McpClientEvents, McpEventSource } from '@tframex/mcp-telemetry-api';
import { MCPClient } from '../client/mcp-client.js';
import type { MCPClientOptions } from '../client/mcp-client-options.js';
import { isPlainObject } from '../config/option-schemas.js';
import type { ServerStatus } from './mcp-servers.js';

/** What MCPServers reads of a session beyond McpSession, where the session has it. */
export interface SessionExtras {
  connect?(options?: { signal?: AbortSignal }): Promise<void>;
  transportKind?: string;
  on?: McpEventSource<McpClientEvents>['on'];
}

export function toMcpError(error: unknown, server: string): McpError {
  return McpError.isInstance(error)
    ? error
    : new McpConnectionError(
        `"${server}" failed: ${error instanceof Error ? error.message : String(error)}`,
        { server, cause: error },
      );
}

/** A session rather than options: it lists and calls tools itself. */
export function isSession(entry: unknown): entry is McpSession {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    !isPlainObject(entry) &&
    typeof (entry as McpSession).listTools === 'function' &&
    typeof (entry as McpSession).callTool === 'function'
  );
}

/** The session for `entry`: a new MCPClient for options, the session itself otherwise. */
export function registeredSession(
  alias: string,
  entry: MCPClientOptions | McpSession,
  defaults: Partial<MCPClientOptions>,
): McpSession & SessionExtras {
  if (isSession(entry)) {
    if (entry instanceof MCPClient && entry.name !== alias) {
      // The alias is the address (mcp://alias/tool, alias__tool); a client named otherwise
      // would hand out names and URIs that resolve nowhere.
      throw new McpConfigError(
        `Server "${alias}" has name "${entry.name}": the name must be the alias (give the client name: "${alias}")`,
        { field: `servers.${alias}.name`, expected: alias, received: entry.name },
      );
    }
    return entry;
  }
  if (typeof entry === 'object' && entry !== null && !isPlainObject(entry)) {
    throw new McpConfigError(
      `Server "${alias}" is neither MCPClient options nor an McpSession (listTools and callTool)`,
      { field: `servers.${alias}`, expected: 'options or an McpSession', received: entry },
    );
  }
  const options = entry as MCPClientOptions;
  const client = new MCPClient({ ...defaults, ...options, name: options.name ?? alias });
  if (client.name !== alias) {
    throw new McpConfigError(
      `Server "${alias}" has name "${client.name}": the name must be the alias (give the client name: "${alias}")`,
      { field: `servers.${alias}.name`, expected: alias, received: client.name },
    );
  }
  return client;
}

/** Connects (where the session has `connect`) and lists tools; never rejects. */
export async function connectSession(
  alias: string,
  session: McpSession & SessionExtras,
  signal: AbortSignal | undefined,
): Promise<ServerStatus> {
  const transport = session.transportKind ? { transport: session.transportKind } : {};
  try {
    await session.connect?.(signal ? { signal } : {});
    const tools = await session.listTools().catch(() => undefined);
    return {
      server: alias,
      state: 'connected',
      ...(tools ? { toolCount: tools.length } : {}),
      ...(session.protocolEra ? { protocolEra: session.protocolEra } : {}),
      ...transport,
    };
  } catch (error) {
    return { server: alias, state: 'failed', error: toMcpError(error, alias), ...transport };
  }
}
