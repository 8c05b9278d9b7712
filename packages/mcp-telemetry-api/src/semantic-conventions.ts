// Metric and attribute names from the OpenTelemetry semantic conventions for MCP
// (semantic-conventions-genai, docs/gen-ai/mcp.md; status: development). Only names a client
// can fill from McpClientEvents are exported (the event field is named beside each).

/** Histogram, seconds: a request as seen by the client, until its response (`request:end`.durationMs). */
export const METRIC_MCP_CLIENT_OPERATION_DURATION = 'mcp.client.operation.duration';
/** Histogram, seconds: how long a client session lasted (`connection:state`.sessionDurationMs). */
export const METRIC_MCP_CLIENT_SESSION_DURATION = 'mcp.client.session.duration';

/** `method` */
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
/** `protocolVersion` */
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
/** `resourceUri` (high cardinality: opt in) */
export const ATTR_MCP_RESOURCE_URI = 'mcp.resource.uri';
/** `sessionId` */
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
/** `tool` */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** `prompt` */
export const ATTR_GEN_AI_PROMPT_NAME = 'gen_ai.prompt.name';
/** `execute_tool` when `method` is `tools/call` */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** `tool_error` for outcome `tool-error`; else the error kind (`timeout`, `connection`, ...) */
export const ATTR_ERROR_TYPE = 'error.type';
/** `pipe` for stdio, `tcp` for HTTP transports (`transport`) */
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
/** `http` for the HTTP transports (`transport`) */
export const ATTR_NETWORK_PROTOCOL_NAME = 'network.protocol.name';
/** `serverAddress` */
export const ATTR_SERVER_ADDRESS = 'server.address';
/** `serverPort` */
export const ATTR_SERVER_PORT = 'server.port';
/** `errorCode` (the JSON-RPC error code) */
export const ATTR_RPC_RESPONSE_STATUS_CODE = 'rpc.response.status_code';

/** The `error.type` value for a tool result with `isError: true`. */
export const ERROR_TYPE_TOOL_ERROR = 'tool_error';

/** Bucket boundaries (seconds) the conventions advise for MCP operation histograms. */
export const MCP_DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
]);
