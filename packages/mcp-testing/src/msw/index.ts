// @tframex/mcp-testing/msw: msw handlers backed by a MockMCPServer and a MockAuthorizationServer.
export { mcpHandlers } from './mcp-handlers.js';
export type { McpHandlersOptions } from './mcp-handlers.js';
export { oauthHandlers } from './oauth-handlers.js';
