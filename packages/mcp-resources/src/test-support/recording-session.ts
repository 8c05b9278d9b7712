// A session wrapper that records the tool calls and resource reads passing through it: a second
// McpSession implementation, and a way to see what a driver sent to a real server.
import type { McpSession } from '@tframex/mcp-api';

export interface RecordedCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

export function recordingSession(session: McpSession): {
  session: McpSession;
  calls: RecordedCall[];
  reads: string[];
} {
  const calls: RecordedCall[] = [];
  const reads: string[] = [];
  const wrapped = new Proxy(session, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === 'callTool') {
        return (tool: string, args: Record<string, unknown> = {}, options?: object) => {
          calls.push({ tool, args });
          return target.callTool(tool, args, options);
        };
      }
      if (property === 'readResource') {
        return (uri: string, options?: object) => {
          reads.push(uri);
          return target.readResource(uri, options);
        };
      }
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { session: wrapped, calls, reads };
}
