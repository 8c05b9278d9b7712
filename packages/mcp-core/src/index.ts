// @tframex/mcp-core: MCPClient for TFrameX: both MCP protocol eras, retries, pooling, rate limits, circuit breaker, middleware, security, tool discovery and a multi-server registry, on the official MCP SDK.
export const VERSION = '0.1.0';
