// @tframex/mcp-core: MCPClient and everything that makes MCP connections production-grade.

// --- client, transports, middleware, registry (client area) ---

// --- building blocks: config, resilience, security, tools (primitives area) ---
