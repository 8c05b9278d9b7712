// The official reference MCP servers (npm), run as stdio children through MCPTestClient.
import { createRequire } from 'node:module';
import { MCPTestClient } from '@tframex/mcp-testing';

const require = createRequire(import.meta.url);
export const EVERYTHING_BIN = require.resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
export const FILESYSTEM_BIN = require.resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);

export function everythingClient(name = 'everything'): MCPTestClient {
  return new MCPTestClient(
    { command: process.execPath, args: [EVERYTHING_BIN, 'stdio'] },
    { name, era: 'legacy' },
  );
}

export function filesystemClient(dir: string, name = 'fs'): MCPTestClient {
  return new MCPTestClient(
    { command: process.execPath, args: [FILESYSTEM_BIN, dir] },
    { name, era: 'legacy' },
  );
}
