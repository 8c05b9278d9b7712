// The tframex-mock-mcp command: serves the MockMCPServer a module defines over stdio until
// the client closes the pipe. stdout carries JSON-RPC only; diagnostics go to stderr.
import { McpConfigError } from '@tframex/mcp-api';
import { loadServerModule } from './load-server-module.js';

const USAGE = 'usage: tframex-mock-mcp <module> [--era legacy|modern|both]';

export interface RunIo {
  stderr: { write(text: string): unknown };
  cwd: string;
}

/** Runs the command; resolves with the exit code once the connection has ended. */
export async function runMockServer(
  argv: readonly string[],
  io: RunIo = { stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  const args = [...argv];
  let era: 'legacy' | 'modern' | 'both' = 'both';
  const eraAt = args.indexOf('--era');
  if (eraAt >= 0) {
    const value = args[eraAt + 1];
    if (value !== 'legacy' && value !== 'modern' && value !== 'both') {
      io.stderr.write(`tframex-mock-mcp: --era must be legacy, modern or both\n${USAGE}\n`);
      return 2;
    }
    era = value;
    args.splice(eraAt, 2);
  }
  const [modulePath, ...rest] = args;
  if (modulePath === undefined || modulePath === '--help' || rest.length > 0) {
    io.stderr.write(`${USAGE}\n`);
    return modulePath === '--help' ? 0 : 2;
  }
  try {
    const server = await loadServerModule(modulePath, io.cwd);
    await server.start({ transport: 'stdio', era });
    await server.stopped;
    return 0;
  } catch (error) {
    const message =
      McpConfigError.isInstance(error) || error instanceof Error ? error.message : String(error);
    io.stderr.write(`tframex-mock-mcp: ${message}\n`);
    return 1;
  }
}
