// @tframex/mcp-agents/langchain: MCP tools from any McpToolSource as LangChain structured tools.
export { createLangChainTools } from './langchain.js';
export type { McpAdapterOptions } from './adapter-tools.js';
