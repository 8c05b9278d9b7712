// @tframex/mcp-agents/ai-sdk: MCP tools from any McpToolSource as Vercel AI SDK tools.
export { createAiSdkTools } from './ai-sdk.js';
export type { AiSdkToolsOptions } from './ai-sdk.js';
export type { McpAdapterOptions } from './adapter-tools.js';
