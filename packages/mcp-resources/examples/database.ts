// TFrameX's database resource: SQL with `?` parameters against PostgreSQL, through the
// mcp-postgres-server MCP server (values travel as parameters, never inside the SQL text).
import { MCPTestClient } from '@tframex/mcp-testing';
import { startPostgres } from '../../../tools/test-services/index.mjs';
import { MCPResource } from '../src/index.js';
import { npmServer } from '../src/test-support/servers.js';

export async function main(): Promise<Array<Record<string, unknown>>> {
  const postgres = await startPostgres({ database: 'production' });
  const mcpClient = new MCPTestClient(
    npmServer('mcp-postgres-server/build/index.js', [], {
      DATABASE_URL: postgres.url,
      PG_ALLOW_WRITE: 'true',
    }),
    { name: 'database' },
  );
  try {
    const db = new MCPResource({
      client: mcpClient,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    await db.execute('CREATE TABLE users (id serial PRIMARY KEY, name text, created_at date)');
    await db.execute('INSERT INTO users (name, created_at) VALUES (?, ?), (?, ?)', {
      params: ['Alice', '2024-03-01', 'Bob', '2023-05-01'],
    });

    const rows = await db.execute('SELECT * FROM users WHERE created_at > ?', {
      params: ['2024-01-01'],
    });
    if (rows.length !== 1 || rows[0]?.['name'] !== 'Alice') {
      throw new Error(`expected Alice alone, got ${JSON.stringify(rows)}`);
    }
    return rows;
  } finally {
    await mcpClient.close();
    await postgres.stop();
  }
}
