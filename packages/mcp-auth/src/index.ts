// @tframex/mcp-auth: Auth plugins for TFrameX MCP clients: API key, bearer, basic, OAuth 2.1 and client certificates, plus helpers for custom schemes.
export const VERSION = '0.1.0';
