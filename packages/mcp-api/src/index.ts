// @tframex/mcp-api: the seam between the @tframex/mcp-* packages. Types, errors and
// mcp:// helpers only; no runtime dependencies.

export type { McpSession, McpSessionState, McpSessionStateChange } from './session.js';
export type { McpListItems, McpListKind, McpPage, McpPageOptions } from './paging.js';
export { LIST_METHODS, paginate } from './paging.js';
export type {
  McpServerRequestContext,
  McpServerRequestHandler,
  McpServerRequestHandlers,
  McpServerRequestMethod,
} from './server-requests.js';
export type { McpProgress, McpRequestOptions } from './request-options.js';
export type {
  StreamBus,
  StreamBusConsumeOptions,
  StreamBusConsumer,
  StreamBusEntry,
  StreamBusHandler,
} from './stream-bus.js';
export type {
  McpNotification,
  McpNotificationHandler,
  McpSubscription,
  McpSubscriptionEnd,
  McpSubscriptionEvent,
  McpSubscriptionFilter,
  McpSubscriptionListener,
} from './notification.js';

export type { JsonObject, JsonPrimitive, JsonSchema, JsonValue, McpMeta } from './protocol/json.js';
export type {
  AudioContent,
  BlobResourceContents,
  ContentAnnotations,
  ContentBlock,
  EmbeddedResource,
  ImageContent,
  ResourceContents,
  ResourceLink,
  TextContent,
  TextResourceContents,
} from './protocol/content.js';
export type { CallToolResult, Tool, ToolAnnotations } from './protocol/tool.js';
export type { ReadResourceResult, Resource, ResourceTemplate } from './protocol/resource.js';
export type { GetPromptResult, Prompt, PromptArgument, PromptMessage } from './protocol/prompt.js';
export type { Completion, CompletionArgument, CompletionReference } from './protocol/completion.js';
export type {
  Icon,
  Implementation,
  LoggingLevel,
  McpProtocolEra,
  ServerCapabilities,
} from './protocol/server.js';

export type { DefineMcpToolOptions, McpTool, McpToolContext } from './mcp-tool.js';
export { defineMcpTool, toCallToolResult } from './mcp-tool.js';
export type { ListToolsAcrossOptions, McpToolSource, McpToolsChangedEvent } from './tool-source.js';
export { EMPTY_TOOL_SOURCE, findTool } from './tool-source.js';
export type {
  McpCacheEntry,
  McpCacheSetOptions,
  McpCacheStore,
  McpCircuitRecord,
  McpCircuitStateStore,
  McpRateLimitGrant,
  McpRateLimitStore,
  McpRateLimitTake,
  McpSharedCircuitState,
} from './shared-state-stores.js';
export type { ResolvedToolName, ToolNamerOptions } from './tools/tool-namer.js';
export { FLAT_TOOL_NAME_PATTERN, flattenToolName, ToolNamer } from './tools/tool-namer.js';
export type {
  Awaitable,
  McpMiddleware,
  McpRequest,
  McpResponse,
  McpResponseSource,
} from './middleware.js';
export { isMcpResponse } from './middleware.js';

export type { McpUri } from './mcp-uri.js';
export { formatMcpUri, isMcpUri, isValidServerAlias, parseMcpUri } from './mcp-uri.js';

export type { McpErrorKind, McpErrorOptions } from './errors/mcp-error.js';
export { brandError, hasErrorBrand, isMcpError, McpError } from './errors/mcp-error.js';
export type { McpConfigErrorOptions, McpConfigIssue } from './errors/mcp-config-error.js';
export { McpConfigError } from './errors/mcp-config-error.js';
export type { McpConnectionErrorOptions } from './errors/mcp-connection-error.js';
export { McpConnectionError } from './errors/mcp-connection-error.js';
export type { McpTimeoutErrorOptions } from './errors/mcp-timeout-error.js';
export { McpTimeoutError } from './errors/mcp-timeout-error.js';
export type { McpCancelledErrorOptions } from './errors/mcp-cancelled-error.js';
export { McpCancelledError } from './errors/mcp-cancelled-error.js';
export type { McpProtocolErrorOptions } from './errors/mcp-protocol-error.js';
export { McpProtocolError } from './errors/mcp-protocol-error.js';
export type { McpToolErrorOptions } from './errors/mcp-tool-error.js';
export { McpToolError } from './errors/mcp-tool-error.js';
export type { McpAuthErrorOptions, McpAuthErrorReason } from './errors/mcp-auth-error.js';
export { McpAuthError } from './errors/mcp-auth-error.js';
export type { McpSecurityErrorOptions, McpSecurityRule } from './errors/mcp-security-error.js';
export { McpSecurityError } from './errors/mcp-security-error.js';
export type { McpRateLimitedErrorOptions } from './errors/mcp-rate-limited-error.js';
export { McpRateLimitedError } from './errors/mcp-rate-limited-error.js';
export type { McpCircuitOpenErrorOptions } from './errors/mcp-circuit-open-error.js';
export { McpCircuitOpenError } from './errors/mcp-circuit-open-error.js';
export type { McpSessionExpiredErrorOptions } from './errors/mcp-session-expired-error.js';
export { McpSessionExpiredError } from './errors/mcp-session-expired-error.js';
