// The command line that spawns `tframex-mock-mcp` on a module, for stdio clients under test.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MockServerCommandOptions {
  /** Which protocol eras the server accepts (default both). */
  era?: 'legacy' | 'modern' | 'both';
  /** Extra Node options, e.g. `['--import', 'tsx']` to load a TypeScript module. */
  nodeArgs?: string[];
  /** Resolves a relative module path (default: the current directory). */
  cwd?: string;
}

export interface MockServerCommand {
  command: string;
  args: string[];
}

/**
 * `{ command, args }` for StdioClientTransport (or MCPTestClient) that serves `modulePath`
 * over stdio in a child process. Run from this package's TypeScript sources (its own tests),
 * the child loads them through tsx; from the built package it runs the compiled bin.
 */
export function mockServerCommand(
  modulePath: string,
  options: MockServerCommandOptions = {},
): MockServerCommand {
  const fromSources = import.meta.url.endsWith('.ts');
  const bin = fileURLToPath(
    new URL(`../bin/tframex-mock-mcp.${fromSources ? 'ts' : 'js'}`, import.meta.url),
  );
  const loader = fromSources
    ? ['--conditions=@tframex/source', '--import', createRequire(import.meta.url).resolve('tsx')]
    : [];
  return {
    command: process.execPath,
    args: [
      ...loader,
      ...(options.nodeArgs ?? []),
      bin,
      resolve(options.cwd ?? process.cwd(), modulePath),
      ...(options.era ? ['--era', options.era] : []),
    ],
  };
}
