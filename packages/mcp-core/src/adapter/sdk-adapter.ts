// The adapter over the official MCP SDK: the files of this folder are the only ones of
// mcp-core that import it. Everything else speaks @tframex/mcp-api shapes and McpErrors, so
// an SDK upgrade touches this folder alone. This module gathers what the rest imports.
export type { JSONRPCMessage } from '@modelcontextprotocol/client';
export { createLinkedMemoryTransports } from './build-transport.js';
export { SdkConnection } from './sdk-connection.js';
export {
  MODERN_PROTOCOL_VERSION,
  type FetchLike,
  type SdkConnectionOptions,
  type SdkCacheHints,
  type SdkRequestOptions,
  type SdkRequestReport,
  type SdkSubscriptionHandle,
  type ServerRequestHandlers,
  type TransportKind,
  type TransportSpec,
} from './sdk-types.js';
export { toMcpError } from './to-mcp-error.js';
