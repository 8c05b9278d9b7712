// McpSession: what any connected MCP server offers, in MCP's own shapes.
import type { McpRequestOptions } from './request-options.js';
import type {
  McpNotificationHandler,
  McpSubscription,
  McpSubscriptionFilter,
  McpSubscriptionListener,
} from './notification.js';
import type { Completion, CompletionArgument, CompletionReference } from './protocol/completion.js';
import type { GetPromptResult, Prompt } from './protocol/prompt.js';
import type { ReadResourceResult, Resource, ResourceTemplate } from './protocol/resource.js';
import type {
  Implementation,
  LoggingLevel,
  McpProtocolEra,
  ServerCapabilities,
} from './protocol/server.js';
import type { CallToolResult, Tool } from './protocol/tool.js';
import type { McpListItems, McpListKind, McpPage, McpPageOptions } from './paging.js';
import type { McpServerRequestHandler, McpServerRequestMethod } from './server-requests.js';

/**
 * Where a session stands. `connected`: requests go through. `reconnecting`: the connection
 * was lost and is being restored (requests wait or fail by the session's policy). `closed`:
 * `close()` was called or the session gave up for good; it never leaves that state.
 */
export type McpSessionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A change of `McpSession.state`. */
export interface McpSessionStateChange {
  readonly state: McpSessionState;
  readonly previous: McpSessionState;
  /** Why, when the change was caused by a failure (a lost connection). */
  readonly error?: unknown;
}

/**
 * A connection to one MCP server. `MCPClient` (mcp-core) and `MCPTestClient` (mcp-testing)
 * implement it; resources, streams, monitor and agents depend on nothing else.
 *
 * Request methods reject with the McpError family: McpTimeoutError, McpCancelledError,
 * McpConnectionError, McpProtocolError, McpAuthError, ...
 */
export interface McpSession {
  /** The alias this session is known by (`mcp://<name>/...`). */
  readonly name: string;
  /** Set once connected. */
  readonly serverInfo: Implementation | undefined;
  /** Set once connected. */
  readonly capabilities: ServerCapabilities | undefined;
  /** Negotiated protocol version, once connected (`2025-11-25`, `2026-07-28`, ...). */
  readonly protocolVersion: string | undefined;
  /** Negotiated protocol era, once connected. */
  readonly protocolEra: McpProtocolEra | undefined;
  /** Server-supplied usage instructions, if any. */
  readonly instructions: string | undefined;

  /** Every tool the server offers (all pages). */
  listTools(options?: McpRequestOptions): Promise<Tool[]>;
  /** Calls a tool. A failing tool resolves with `isError: true`; it does not reject. */
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: McpRequestOptions,
  ): Promise<CallToolResult>;
  listResources(options?: McpRequestOptions): Promise<Resource[]>;
  listResourceTemplates(options?: McpRequestOptions): Promise<ResourceTemplate[]>;
  readResource(uri: string, options?: McpRequestOptions): Promise<ReadResourceResult>;
  listPrompts(options?: McpRequestOptions): Promise<Prompt[]>;
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: McpRequestOptions,
  ): Promise<GetPromptResult>;
  complete(
    ref: CompletionReference,
    argument: CompletionArgument,
    options?: McpRequestOptions & { context?: { arguments?: Record<string, string> } },
  ): Promise<Completion>;
  setLoggingLevel(level: LoggingLevel, options?: McpRequestOptions): Promise<void>;
  ping(options?: McpRequestOptions): Promise<void>;

  /**
   * Subscribes to resource updates and list changes; the session speaks whichever
   * mechanism the era has (`resources/subscribe` or `subscriptions/listen`).
   */
  subscribe(
    filter: McpSubscriptionFilter,
    listener: McpSubscriptionListener,
    options?: McpRequestOptions,
  ): Promise<McpSubscription>;
  /**
   * Observes notifications by method (`notifications/message`, ...), or all with `'*'`.
   * Returns a function that removes the handler.
   */
  onNotification(method: string, handler: McpNotificationHandler): () => void;

  /** Ends the session and releases everything it holds. Idempotent. */
  close(): Promise<void>;

  // --- Optional members: sessions that have them let consumers do more. ----------------
  // `MCPClient` and `MCPTestClient` implement them all; helpers such as `paginate` fall back
  // where a session lacks one.

  /** Where the session stands now. */
  readonly state?: McpSessionState;
  /** Tells `listener` about every change of `state`. Returns a function that removes it. */
  onStateChange?(listener: (change: McpSessionStateChange) => void): () => void;
  /** Settles (never rejects) once the session is closed for good: iterators over it can end. */
  readonly closed?: Promise<void>;

  /**
   * Sends any request, for methods the typed API lacks (tasks, extensions, skills). The
   * result is the JSON-RPC result as the server sent it. Runs through the same middleware,
   * retries (idempotent only when `idempotent` is set), limits and telemetry as typed requests.
   */
  request?(
    method: string,
    params?: Record<string, unknown>,
    options?: McpRequestOptions & { idempotent?: boolean },
  ): Promise<Record<string, unknown>>;
  /** Sends a notification to the server. */
  notify?(method: string, params?: Record<string, unknown>): Promise<void>;

  /** One page of a list; see `paginate` for walking all of them in constant memory. */
  listPage?<K extends McpListKind>(
    list: K,
    options?: McpPageOptions,
  ): Promise<McpPage<McpListItems[K]>>;

  /**
   * Installs the handler for a kind of server request (sampling, elicitation, roots),
   * replacing the one before; returns a function that removes it. A session announces the
   * matching client capability to the server (on its next connection, where the era fixes
   * capabilities at connect time). Requests that carry their own `serverRequestHandlers`
   * are answered by those first.
   */
  setServerRequestHandler?(
    method: McpServerRequestMethod,
    handler: McpServerRequestHandler,
  ): () => void;
}
