// The faults a MockMCPServer can inject, as plain data, and `fault`, a set of builders for them.

/** Delay the request by `ms` before the server handles it. */
export interface LatencyFault {
  type: 'latency';
  ms: number;
}
/** Answer with a JSON-RPC error instead of handling the request. */
export interface JsonRpcErrorFault {
  type: 'jsonrpc-error';
  /** Default -32603 (internal error). */
  code?: number;
  message?: string;
  data?: unknown;
}
/** Answer `tools/call` with a tool error result (`isError: true`) instead of running the tool. */
export interface ToolErrorFault {
  type: 'tool-error';
  message?: string;
}
/**
 * Answer with an HTTP status before MCP sees the request (HTTP only). Sensible defaults per
 * status: 401 and 403 carry a `WWW-Authenticate: Bearer` challenge (403 with
 * `error="insufficient_scope"` and `scope`), 404 is the SDK's "Session not found", 429 and
 * 503 carry `Retry-After` when `retryAfterSeconds` is set.
 */
export interface HttpStatusFault {
  type: 'http';
  status: number;
  retryAfterSeconds?: number;
  /** Scope named in a 403 `insufficient_scope` challenge. */
  scope?: string;
  headers?: Record<string, string>;
  /** Response body; a JSON-RPC error naming the request is sent when absent. */
  body?: string;
}
/** End the legacy HTTP session, so this and every later request of it get 404 (HTTP only). */
export interface KillSessionFault {
  type: 'kill-session';
}
/**
 * Drop the connection. `mid-response` (default): the server handles the request, starts the
 * answer, and the connection breaks after part of it. `before-response`: it breaks at once.
 * On stdio and memory the connection closes instead of answering.
 */
export interface DropFault {
  type: 'drop';
  phase?: 'mid-response' | 'before-response';
}
/** Open the answer (an SSE stream over HTTP) and never send anything on it. */
export interface StallFault {
  type: 'stall';
}
/** Answer with a frame that is not valid JSON-RPC. */
export interface MalformedFault {
  type: 'malformed';
}
/** Answer normally, padded to at least `bytes` bytes. */
export interface OversizedFault {
  type: 'oversized';
  bytes: number;
}
/**
 * Let at most `limit` matching requests run at once; the rest queue in arrival order.
 * `limit: 1` models servers that work one request at a time.
 */
export interface ConcurrencyFault {
  type: 'concurrency';
  limit: number;
}

export type FaultSpec =
  | LatencyFault
  | JsonRpcErrorFault
  | ToolErrorFault
  | HttpStatusFault
  | KillSessionFault
  | DropFault
  | StallFault
  | MalformedFault
  | OversizedFault
  | ConcurrencyFault;

export type FaultType = FaultSpec['type'];

/** Builders for every fault, for readable tests: `server.faults.inject({ tool, fault: fault.latency(200) })`. */
export const fault = {
  latency: (ms: number): LatencyFault => ({ type: 'latency', ms }),
  jsonRpcError: (code = -32603, message = 'Injected error', data?: unknown): JsonRpcErrorFault =>
    data === undefined
      ? { type: 'jsonrpc-error', code, message }
      : { type: 'jsonrpc-error', code, message, data },
  toolError: (message = 'Injected tool failure'): ToolErrorFault => ({
    type: 'tool-error',
    message,
  }),
  httpStatus: (
    status: number,
    options: Omit<HttpStatusFault, 'type' | 'status'> = {},
  ): HttpStatusFault => ({
    type: 'http',
    status,
    ...options,
  }),
  unauthorized: (): HttpStatusFault => ({ type: 'http', status: 401 }),
  insufficientScope: (scope: string): HttpStatusFault => ({ type: 'http', status: 403, scope }),
  /** A one-off 404 "Session not found"; `killSession()` also ends the session. */
  sessionExpired: (): HttpStatusFault => ({ type: 'http', status: 404 }),
  rateLimited: (retryAfterSeconds = 1): HttpStatusFault => ({
    type: 'http',
    status: 429,
    retryAfterSeconds,
  }),
  serverError: (status = 500, retryAfterSeconds?: number): HttpStatusFault =>
    retryAfterSeconds === undefined
      ? { type: 'http', status }
      : { type: 'http', status, retryAfterSeconds },
  unavailable: (retryAfterSeconds?: number): HttpStatusFault =>
    retryAfterSeconds === undefined
      ? { type: 'http', status: 503 }
      : { type: 'http', status: 503, retryAfterSeconds },
  killSession: (): KillSessionFault => ({ type: 'kill-session' }),
  dropConnection: (phase: DropFault['phase'] = 'mid-response'): DropFault => ({
    type: 'drop',
    phase,
  }),
  stall: (): StallFault => ({ type: 'stall' }),
  malformed: (): MalformedFault => ({ type: 'malformed' }),
  oversized: (bytes: number): OversizedFault => ({ type: 'oversized', bytes }),
  concurrency: (limit: number): ConcurrencyFault => ({ type: 'concurrency', limit }),
} as const;
