// @tframex/mcp-telemetry-api: the telemetry seam. mcp-core emits these events; mcp-monitor
// and user code consume them.

export type {
  McpCircuitState,
  McpCircuitStateEvent,
  McpClientEventName,
  McpClientEvents,
  McpConnectionSnapshot,
  McpConnectionState,
  McpConnectionStateEvent,
  McpEndpointFields,
  McpListChangedEvent,
  McpListenerErrorEvent,
  McpNotificationEvent,
  McpRateLimitedEvent,
  McpRequestEndEvent,
  McpRequestOutcome,
  McpRequestStartEvent,
  McpRetryEvent,
  McpServerSnapshot,
  McpTelemetrySnapshot,
  McpTransportKind,
} from './client-events.js';
export type { McpEventListener, McpEventSource } from './event-source.js';
export { NOOP_EVENT_SOURCE } from './event-source.js';
export { McpEventHub } from './event-hub.js';
export {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROMPT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_MCP_RESOURCE_URI,
  ATTR_MCP_SESSION_ID,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_TRANSPORT,
  ATTR_RPC_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ERROR_TYPE_TOOL_ERROR,
  MCP_DURATION_BUCKETS_SECONDS,
  METRIC_MCP_CLIENT_OPERATION_DURATION,
  METRIC_MCP_CLIENT_SESSION_DURATION,
} from './semantic-conventions.js';
