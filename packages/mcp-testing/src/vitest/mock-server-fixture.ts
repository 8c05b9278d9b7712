// Starts a MockMCPServer for a test (or a whole file) and stops it afterwards: as hooks
// (`useMockMCPServer`) or as a fixture for `test.extend` (`mockServerFixture`).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  MockMCPServer,
  type MockMCPServerOptions,
  type MockServerStartOptions,
} from '../server/mock-mcp-server.js';

export interface MockServerFixtureOptions {
  /** Adds tools, resources and prompts before the server starts. */
  setup?: (server: MockMCPServer) => unknown;
  /** Options of the MockMCPServer. */
  server?: MockMCPServerOptions;
  /** How to start it (HTTP by default); `false` leaves it unstarted (memory clients still work). */
  start?: MockServerStartOptions | false;
  /** A fresh server per test (default) or one per file. */
  scope?: 'test' | 'file';
}

/** The server of the running test (or file); read it inside tests and hooks. */
export interface MockServerHandle {
  readonly server: MockMCPServer;
  /** The HTTP URL, when it was started over HTTP. */
  readonly url: string;
}

async function launch(options: MockServerFixtureOptions): Promise<MockMCPServer> {
  const server = new MockMCPServer(options.server);
  await options.setup?.(server);
  if (options.start !== false) {
    const start = options.start ?? {};
    if (start.transport === 'memory') await server.start(start);
    else if (start.transport === 'stdio') await server.start(start);
    else await server.start(start);
  }
  return server;
}

/** Registers hooks in the current file or describe block that start and stop a server. */
export function useMockMCPServer(options: MockServerFixtureOptions = {}): MockServerHandle {
  let current: MockMCPServer | undefined;
  const up = async () => {
    current = await launch(options);
  };
  const down = async () => {
    await current?.stop();
    current = undefined;
  };
  if (options.scope === 'file') {
    beforeAll(up);
    afterAll(down);
  } else {
    beforeEach(up);
    afterEach(down);
  }
  const active = (): MockMCPServer => {
    if (!current) throw new Error('The mock server only exists while a test runs');
    return current;
  };
  return {
    get server() {
      return active();
    },
    get url() {
      return active().url;
    },
  };
}

type FixtureFunction = (
  context: object,
  use: (server: MockMCPServer) => Promise<void>,
) => Promise<void>;

/**
 * A fixture for `test.extend`: `const test = base.extend({ mcp: mockServerFixture({ setup }) })`,
 * then `test('...', async ({ mcp }) => ...)`.
 */
export function mockServerFixture(
  options: MockServerFixtureOptions = {},
): [FixtureFunction, { scope: 'test' | 'file' }] {
  // Vitest reads the fixture's first parameter to find its dependencies: it must be a pattern.
  // eslint-disable-next-line no-empty-pattern
  const fixture: FixtureFunction = async ({}, use) => {
    const server = await launch(options);
    try {
      await use(server);
    } finally {
      await server.stop();
    }
  };
  return [fixture, { scope: options.scope ?? 'test' }];
}
