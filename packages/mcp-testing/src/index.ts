// @tframex/mcp-testing: Test MCP code for real: MockMCPServer (a real MCP server over HTTP, stdio or memory), fault injection, OAuth simulation, msw handlers, MCPTestClient and vitest helpers.
export const VERSION = '0.1.0';
