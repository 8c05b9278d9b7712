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
}
