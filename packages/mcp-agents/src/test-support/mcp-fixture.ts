// Real MCP servers for agent tests: MockMCPServers over HTTP on 127.0.0.1, MCPTestClients
// connected to them, and an MCPTestToolSource over those sessions. Stops everything it started.
import { MCPTestClient, MCPTestToolSource, MockMCPServer } from '@tframex/mcp-testing';

export interface McpFixture extends AsyncDisposable {
  readonly servers: Record<string, MockMCPServer>;
  readonly clients: Record<string, MCPTestClient>;
  readonly source: MCPTestToolSource;
  close(): Promise<void>;
}

/** Starts one MockMCPServer per alias, set up by `setup`, and a tool source over them. */
export async function startMcpFixture(
  setup: Record<string, (server: MockMCPServer) => void>,
  options: { era?: 'legacy' | 'modern' | 'auto' } = {},
): Promise<McpFixture> {
  const servers: Record<string, MockMCPServer> = {};
  const clients: Record<string, MCPTestClient> = {};
  for (const [alias, configure] of Object.entries(setup)) {
    const server = new MockMCPServer({ name: alias });
    configure(server);
    await server.start();
    servers[alias] = server;
    clients[alias] = new MCPTestClient(server.url, {
      name: alias,
      ...(options.era ? { era: options.era } : {}),
    });
  }
  const source = new MCPTestToolSource({ servers: clients });
  const close = async () => {
    await source.close();
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  };
  return { servers, clients, source, close, [Symbol.asyncDispose]: close };
}
