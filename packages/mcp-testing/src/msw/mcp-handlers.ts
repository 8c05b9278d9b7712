// msw request handlers that hand intercepted requests to an in-process MockMCPServer, so
// fetch-based code under test talks MCP to any URL without a port being opened.
import { http, type HttpHandler } from 'msw';
import type { MockMCPServer } from '../server/mock-mcp-server.js';

export interface McpHandlersOptions {
  /** The MCP endpoint the code under test uses, e.g. `https://mcp.example.com/mcp`. */
  url: string | URL;
}

/** Handlers for the MCP endpoint and its protected resource metadata (RFC 9728). */
export function mcpHandlers(server: MockMCPServer, options: McpHandlersOptions): HttpHandler[] {
  const url = new URL(options.url);
  const path = url.pathname === '/' ? '' : url.pathname;
  const forward = ({ request }: { request: Request }) => server.fetch(request);
  return [
    http.all(`${url.origin}${url.pathname}`, forward),
    http.all(`${url.origin}/.well-known/oauth-protected-resource${path}`, forward),
    http.all(`${url.origin}/.well-known/oauth-protected-resource`, forward),
  ];
}
