// The events an MCP client emits. mcp-core (MCPClient, MCPServers, BalancedSession) and
// mcp-testing (MCPTestClient) emit them; mcp-monitor and user code listen. Every field a
// monitor reports comes from here: nothing needs the emitter's internals.

/**
 * How a request ended. `tool-error`: the server ran the tool and it reported failure
 * (`isError: true`; OpenTelemetry's `error.type = tool_error`), as opposed to `error`, where
 * the request itself failed (transport, protocol, auth, ...).
 */
export type McpRequestOutcome = 'ok' | 'tool-error' | 'error' | 'cancelled' | 'timeout';

/** Connection lifecycle states. */
export type McpConnectionState =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'closed'
  | 'failed';

export type McpCircuitState = 'closed' | 'open' | 'half-open';

/** How the client reaches the server. */
export type McpTransportKind = 'stdio' | 'streamable-http' | 'sse' | 'memory';

/** Where a request went: filled where the emitter knows it. */
export interface McpEndpointFields {
  /** Index of the pooled connection (0 when there is no pool). */
  connection?: number;
  /** `Mcp-Session-Id` of a legacy-era HTTP session. */
  sessionId?: string;
  transport?: McpTransportKind;
  /** Negotiated protocol version (`2025-11-25`, `2026-07-28`). */
  protocolVersion?: string;
  /** Host of an HTTP server (OpenTelemetry `server.address`). */
  serverAddress?: string;
  /** Port of an HTTP server (OpenTelemetry `server.port`). */
  serverPort?: number;
}

export interface McpRequestStartEvent extends McpEndpointFields {
  /** Unique per attempt within the emitter; joins start and end. */
  requestId: number;
  /** Shared by every attempt of one call (and by a cache hit that answered it). */
  callId: number;
  /** Alias of the server. */
  server: string;
  /** MCP method, e.g. `tools/call`. */
  method: string;
  /** Tool name, prompt name or resource URI, when the method has one. */
  target?: string;
  /** Tool name of `tools/call` (OpenTelemetry `gen_ai.tool.name`). */
  tool?: string;
  /** Prompt name of `prompts/get` (OpenTelemetry `gen_ai.prompt.name`). */
  prompt?: string;
  /** Resource URI of `resources/read`, `resources/subscribe`, ... (`mcp.resource.uri`). */
  resourceUri?: string;
  /** 1 for the first attempt, 2+ for retries. */
  attempt: number;
  /** `performance.now()` when the attempt started. */
  startTime: number;
  /** Time this call waited before the attempt: in the client's queue and for its rate limiter. */
  queuedMs?: number;
}

export interface McpRequestEndEvent extends McpRequestStartEvent {
  durationMs: number;
  outcome: McpRequestOutcome;
  /** The McpError `kind` when the request failed (`timeout`, `connection`, ...); `tool` for a tool error. */
  errorKind?: string;
  /** The JSON-RPC error code, when the server answered with an error (`rpc.response.status_code`). */
  errorCode?: number;
  error?: unknown;
  /** The result came from a cache, not the server. */
  cached?: boolean;
  /** Bytes of the request body sent, where the transport can tell. */
  bytesSent?: number;
  /** Bytes of the response received, where the transport can tell. */
  bytesReceived?: number;
}

export interface McpConnectionStateEvent extends McpEndpointFields {
  server: string;
  state: McpConnectionState;
  /** The state before this one. */
  previous?: McpConnectionState;
  error?: unknown;
  /** When a session ends (leaves `connected`): how long it lasted, in ms. */
  sessionDurationMs?: number;
}

export interface McpRetryEvent {
  server: string;
  method: string;
  target?: string;
  /** The call the retry belongs to (`McpRequestStartEvent.callId`). */
  callId?: number;
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

/**
 * A listener or handler the user gave threw (an event listener, a notification handler, a
 * subscription listener). The emitter went on with the others; this says what failed.
 */
export interface McpListenerErrorEvent {
  server: string;
  /** What kind of callback threw. */
  source: 'event-listener' | 'notification-handler' | 'subscription-listener' | 'other';
  /** The event name or notification method it was called for. */
  event: string;
  error: unknown;
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
  'listener:error': McpListenerErrorEvent;
}

export type McpClientEventName = keyof McpClientEvents;

/** One pooled connection, as a snapshot sees it. */
export interface McpConnectionSnapshot extends McpEndpointFields {
  state: McpConnectionState;
  /** Requests in flight on this connection. */
  inFlight: number;
  /** `Date.now()` when the current session began, while connected. */
  connectedAt?: number;
}

/** Where one server stands now. */
export interface McpServerSnapshot extends McpEndpointFields {
  server: string;
  /** The best state over the server's connections (`connected` when any is). */
  state: McpConnectionState;
  connections: McpConnectionSnapshot[];
  /** Requests in flight, over all connections. */
  inFlight: number;
  /** Requests waiting for a place (in-flight cap or rate limiter). */
  queued: number;
  circuit?: McpCircuitState;
  /** `Date.now()` of the last request that succeeded. */
  lastSuccessAt?: number;
  /** The last request that failed (tool errors included), with when. */
  lastError?: { at: number; kind?: string; message: string };
}

/** Current state, for a monitor that attaches after things started. */
export interface McpTelemetrySnapshot {
  /** `Date.now()` when it was taken. */
  takenAt: number;
  servers: McpServerSnapshot[];
}
