// The `error.type` of a finished request, from a small closed set so it stays a low-cardinality
// label: `tool_error` for a tool result with `isError` (as the conventions name it), else the
// McpError kind (`timeout`, `connection`, ...), else `_OTHER`.
import type { McpRequestEndEvent } from '@tframex/mcp-telemetry-api';
import { ERROR_TYPE_TOOL_ERROR } from '@tframex/mcp-telemetry-api';

const KNOWN_KINDS: ReadonlySet<string> = new Set([
  'config',
  'connection',
  'timeout',
  'cancelled',
  'protocol',
  'auth',
  'security',
  'rate-limited',
  'circuit-open',
  'session-expired',
]);

/** The error type the conventions fall back to. */
export const ERROR_TYPE_OTHER = '_OTHER';

/** `undefined` when the request succeeded. */
export function errorTypeOf(event: McpRequestEndEvent): string | undefined {
  switch (event.outcome) {
    case 'ok':
      return undefined;
    case 'tool-error':
      return ERROR_TYPE_TOOL_ERROR;
    case 'timeout':
      return 'timeout';
    case 'cancelled':
      return 'cancelled';
    default: {
      const kind = event.errorKind;
      return kind !== undefined && KNOWN_KINDS.has(kind) ? kind : ERROR_TYPE_OTHER;
    }
  }
}

/** Whether an error type counts against the error rate (a cancellation by the caller does not). */
export function countsAsError(errorType: string): boolean {
  return errorType !== 'cancelled';
}
