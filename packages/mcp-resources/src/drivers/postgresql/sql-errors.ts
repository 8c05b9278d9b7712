// Server failures of SQL tools as McpSqlError: the database's message and its SQLSTATE, read
// from the result formats of the servers the drivers know.
import { McpProtocolError, McpToolError } from '@tframex/mcp-api';
import { McpSqlError } from '../../errors/mcp-sql-error.js';
import { textOf } from '../tool-result.js';

const SQLSTATE = /^[0-9A-Z]{5}$/;

function fromText(text: string): { message: string; sqlState?: string; hint?: string } {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object') {
      const message = parsed['message'] ?? parsed['error'];
      const code = parsed['code'] ?? parsed['sqlState'];
      const hint = parsed['hint'];
      if (typeof message === 'string') {
        return {
          message,
          ...(typeof code === 'string' && SQLSTATE.test(code) ? { sqlState: code } : {}),
          ...(typeof hint === 'string' ? { hint } : {}),
        };
      }
    }
  } catch {
    // prose, not JSON
  }
  const state = /\(SQLSTATE ([0-9A-Z]{5})\)/.exec(text);
  return { message: text.trim(), ...(state ? { sqlState: state[1]! } : {}) };
}

/** `error` as an McpSqlError when it is a tool or server failure; other errors pass through. */
export function toSqlError(error: unknown, tool: string, server: string): unknown {
  if (McpSqlError.isInstance(error)) return error;
  if (McpToolError.isInstance(error)) {
    const details = fromText(error.result ? textOf(error.result) : error.message);
    return new McpSqlError(`SQL failed on "${server}": ${details.message}`, {
      ...details,
      toolName: tool,
      server,
      method: 'tools/call',
      cause: error,
      ...(error.result ? { result: error.result } : {}),
    });
  }
  // server-postgres throws: the database's message arrives as a JSON-RPC internal error.
  if (McpProtocolError.isInstance(error) && error.code === -32603) {
    return new McpSqlError(`SQL failed on "${server}": ${error.message}`, {
      toolName: tool,
      server,
      method: 'tools/call',
      cause: error,
    });
  }
  return error;
}
