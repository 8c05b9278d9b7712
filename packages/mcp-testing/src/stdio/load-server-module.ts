// Loads the module a stdio mock server is defined in: its default export is a MockMCPServer,
// or a function (possibly async) returning one.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { usageError } from '../config/parse-options.js';
import type { MockMCPServer } from '../server/mock-mcp-server.js';

function isServer(value: unknown): value is MockMCPServer {
  // Duck-typed: the module may hold another copy of this package than the runner.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MockMCPServer).start === 'function' &&
    typeof (value as MockMCPServer).addTool === 'function'
  );
}

export async function loadServerModule(
  modulePath: string,
  cwd = process.cwd(),
): Promise<MockMCPServer> {
  const url = pathToFileURL(resolve(cwd, modulePath)).href;
  const module = (await import(url)) as { default?: unknown };
  let exported = module.default;
  if (typeof exported === 'function') exported = await (exported as () => unknown)();
  if (!isServer(exported)) {
    throw usageError(
      'module',
      'a default export that is a MockMCPServer or a function returning one',
      `${modulePath} does not default-export a MockMCPServer (or a function returning one)`,
    );
  }
  return exported;
}
