// TFrameX: several servers, `discover_tools(protocol=..., version=...)`, and
// `adapter.create_tool("mcp://database/query")` for an agent.
import { MockMCPServer } from '@tframex/mcp-testing';
import { MCPServers, MCPToolAdapter } from '../src/index.js';

export async function main(): Promise<void> {
  const database = new MockMCPServer({ name: 'database' });
  database.addTool('query', ({ sql }) => `1 row for ${String(sql)}`, {
    meta: { version: '1.2.0' },
  });
  const api = new MockMCPServer({ name: 'api' });
  api.addTool('weather', ({ city }) => `sunny in ${String(city)}`);
  const servers = new MCPServers({
    servers: {
      database: { serverUrl: await database.start() },
      api: { serverUrl: await api.start() },
    },
  });
  try {
    await servers.connect();
    const names = (await servers.listTools()).map((tool) => tool.name).sort();
    const v1 = await servers
      .getClient('database')!
      .discoverTools({ protocol: 'mcp', version: '1' });
    const adapter = new MCPToolAdapter(servers.getSession('database')!);
    const query = await adapter.createTool('mcp://database/query');
    const answer = await query.invoke({ sql: 'select 1' });
    const byFlatName = await servers.findTool('api__weather');
    if (names.join() !== 'api__weather,database__query' || v1.length !== 1 || !byFlatName)
      throw new Error('the multi-server example failed');
    console.log(names, answer.content);
  } finally {
    await servers.close();
    await database.stop();
    await api.stop();
  }
}
