// Real MCP servers from npm, spawned over stdio for the tests.
import { createRequire } from 'node:module';
import type { StdioCommand } from '@tframex/mcp-testing';

const require = createRequire(import.meta.url);

/** The stdio command of a server package's bin script, run with this Node. */
export function npmServer(
  specifier: string,
  args: string[] = [],
  env: Record<string, string> = {},
): StdioCommand {
  return {
    command: process.execPath,
    args: [require.resolve(specifier), ...args],
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
  };
}

/** @modelcontextprotocol/server-filesystem serving `directories`. */
export function filesystemServer(...directories: string[]): StdioCommand {
  return npmServer('@modelcontextprotocol/server-filesystem/dist/index.js', directories);
}
