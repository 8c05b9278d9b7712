// What a monitor can watch: an event source (MCPClient, MCPServers, MCPTestClient, any
// McpEventSource), a session or a tool source whose sessions emit events, or a list of them.
// Resolved once into the event sources to listen to and the sessions to probe.
import { McpConfigError, type McpSession, type McpToolSource } from '@tframex/mcp-api';
import type { McpClientEvents, McpEventSource } from '@tframex/mcp-telemetry-api';

/** One thing to monitor; MCPClient and MCPServers are both. */
export type MCPMonitorTarget =
  | McpEventSource<McpClientEvents>
  | (McpSession & McpEventSource<McpClientEvents>)
  | McpToolSource;

export interface ResolvedTarget {
  readonly sources: readonly McpEventSource<McpClientEvents>[];
  /** Server aliases known up front (status lists them before their first event). */
  serverNames(): string[];
  /** Sessions to probe with `ping`, by alias. */
  sessions(): Array<[string, McpSession]>;
}

function isEventSource(value: unknown): value is McpEventSource<McpClientEvents> {
  const source = value as McpEventSource<McpClientEvents> | null;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.on === 'function' &&
    typeof source.off === 'function'
  );
}

function isSession(value: unknown): value is McpSession {
  const session = value as McpSession | null;
  return (
    typeof session === 'object' &&
    session !== null &&
    typeof session.name === 'string' &&
    typeof session.ping === 'function' &&
    typeof session.callTool === 'function'
  );
}

function isToolSource(value: unknown): value is McpToolSource {
  const source = value as McpToolSource | null;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.getSession === 'function' &&
    typeof source.resolveTool === 'function' &&
    Array.isArray(source.serverNames)
  );
}

function unusable(field: string, received: unknown, why: string): McpConfigError {
  return new McpConfigError(`MCPMonitor cannot watch ${field}: ${why}`, {
    field,
    expected:
      'an McpEventSource (MCPClient, MCPServers, MCPTestClient), or a session or tool source whose sessions emit telemetry events',
    received: typeof received === 'object' && received !== null ? '[object]' : received,
  });
}

export function resolveTarget(target: unknown): ResolvedTarget {
  const targets = Array.isArray(target) ? (target as unknown[]) : [target];
  if (targets.length === 0) throw unusable('target', target, 'the list is empty');
  const sources: McpEventSource<McpClientEvents>[] = [];
  const sessionLists: Array<() => Array<[string, McpSession]>> = [];
  targets.forEach((one, index) => {
    const field = Array.isArray(target) ? `target[${index}]` : 'target';
    if (isToolSource(one)) {
      const sessionsOf = (): Array<[string, McpSession]> =>
        one.serverNames.flatMap((name) => {
          const session = one.getSession(name);
          return session ? [[name, session] as [string, McpSession]] : [];
        });
      sessionLists.push(sessionsOf);
      if (isEventSource(one)) sources.push(one);
      else {
        const silent = sessionsOf().filter(([, session]) => !isEventSource(session));
        if (silent.length > 0)
          throw unusable(
            field,
            one,
            `the sessions of ${silent.map(([name]) => `"${name}"`).join(', ')} emit no telemetry events`,
          );
        for (const [, session] of sessionsOf())
          sources.push(session as unknown as McpEventSource<McpClientEvents>);
      }
      return;
    }
    if (isEventSource(one)) {
      sources.push(one);
      if (isSession(one)) sessionLists.push(() => [[one.name, one]]);
      return;
    }
    throw unusable(
      field,
      one,
      isSession(one)
        ? 'the session emits no telemetry events'
        : 'it is neither an event source, a session nor a tool source',
    );
  });
  return {
    sources,
    serverNames: () => sessionLists.flatMap((list) => list().map(([name]) => name)),
    sessions: () => sessionLists.flatMap((list) => list()),
  };
}
