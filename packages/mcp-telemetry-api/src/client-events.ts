// The events an MCP client emits. mcp-core emits them; mcp-monitor and user code listen.

/** How a request ended. */
export type McpRequestOutcome = 'ok' | 'error' | 'cancelled' | 'timeout';

/** Connection lifecycle states. */
export type McpConnectionState =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'closed'
  | 'failed';

export type McpCircuitState = 'closed' | 'open' | 'half-open';

export interface McpRequestStartEvent {
  /** Unique per request within the process; joins start and end. */
  requestId: number;
  /** Alias of the server. */
  server: string;
  /** MCP method, e.g. `tools/call`. */
  method: string;
  /** Tool name, prompt name or resource URI, when the method has one. */
  target?: string;
  /** 1 for the first attempt, 2+ for retries. */
  attempt: number;
  /** `performance.now()` when the request started. */
  startTime: number;
}

export interface McpRequestEndEvent extends McpRequestStartEvent {
  durationMs: number;
  outcome: McpRequestOutcome;
  /** The McpError `kind` when the request failed (`timeout`, `connection`, ...). */
  errorKind?: string;
  error?: unknown;
  /** The result came from a cache, not the server. */
  cached?: boolean;
}

export interface McpConnectionStateEvent {
  server: string;
  state: McpConnectionState;
  /** `stdio`, `streamable-http`, `sse`, `memory`. */
  transport?: string;
  protocolVersion?: string;
  error?: unknown;
}

export interface McpRetryEvent {
  server: string;
  method: string;
  target?: string;
  /** The attempt that is about to start (2 for the first retry). */
  attempt: number;
  delayMs: number;
  errorKind?: string;
  error?: unknown;
}

export interface McpCircuitStateEvent {
  server: string;
  from: McpCircuitState;
  to: McpCircuitState;
}

export interface McpRateLimitedEvent {
  server: string;
  method: string;
  /** How long the request waits (or was told to wait). */
  waitMs: number;
  /** `local`: the client's own limiter; `server`: a 429. */
  source: 'local' | 'server';
}

export interface McpNotificationEvent {
  server: string;
  method: string;
  params?: Record<string, unknown>;
}

export interface McpListChangedEvent {
  server: string;
  list: 'tools' | 'resources' | 'prompts';
  /** Number of entries after the refresh, when the client refreshed the list. */
  count?: number;
}

/** Event name → payload. */
export interface McpClientEvents {
  'request:start': McpRequestStartEvent;
  'request:end': McpRequestEndEvent;
  'connection:state': McpConnectionStateEvent;
  retry: McpRetryEvent;
  'circuit:state': McpCircuitStateEvent;
  'rate-limited': McpRateLimitedEvent;
  notification: McpNotificationEvent;
  'list:changed': McpListChangedEvent;
}

export type McpClientEventName = keyof McpClientEvents;
