// Demo step of @tframex/mcp-resources: typed resources on real MCP servers from npm, with
// nothing else installed. PostgreSQL is PGlite (Postgres in WASM) behind a real Postgres wire
// socket, fronted by mcp-postgres-server; files go through server-filesystem.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { MCPClient } from '@tframex/mcp-core';
import { MCPResource } from '@tframex/mcp-resources';

const require = createRequire(import.meta.url);
const POSTGRES_BIN = require.resolve('mcp-postgres-server/build/index.js');
const FILESYSTEM_BIN = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

async function startPglite(demo) {
  const db = await PGlite.create();
  demo.onStop('pglite', () => db.close());
  const port = await demo.freePort();
  const socket = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 4 });
  await socket.start();
  demo.onStop('pglite socket', () => socket.stop());
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

function connect(demo, options) {
  const client = new MCPClient({ connectTimeoutMs: 20_000, ...options });
  demo.onStop('client', () => client.close());
  return client.connect().then(() => {
    for (const pid of client.pids) demo.trackPid(pid);
    return client;
  });
}

export default {
  name: 'mcp-resources',
  async run(demo) {
    const { print, ui } = demo;
    demo.section(
      'Resources',
      'MCPResource drivers on mcp-postgres-server (PGlite) and server-filesystem',
    );
    const dir = mkdtempSync(join(tmpdir(), 'tframex-demo-files-'));
    demo.onStop('files', () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'shared/documents/2026'), { recursive: true });
    writeFileSync(join(dir, 'shared/documents/report.pdf'), Buffer.from('%PDF-1.7\n%\xff\n'));
    writeFileSync(join(dir, 'shared/documents/2026/q1.json'), '{"revenue":42000}');

    const url = await startPglite(demo);
    const [database, filesystem] = await Promise.all([
      connect(demo, {
        name: 'database',
        command: process.execPath,
        args: [POSTGRES_BIN],
        env: { DATABASE_URL: url, PG_ALLOW_WRITE: 'true', PATH: process.env.PATH ?? '' },
      }),
      connect(demo, { name: 'filesystem', command: process.execPath, args: [FILESYSTEM_BIN, dir] }),
    ]);

    const db = new MCPResource({
      client: database,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    await db.execute('CREATE TABLE users (id serial PRIMARY KEY, name text, created_at date)');
    await db.execute('INSERT INTO users (name, created_at) VALUES (?, ?), (?, ?)', {
      params: ["O'Brien", '2024-03-01', 'Bob', '2023-05-01'],
    });
    let start = performance.now();
    const rows = await db.execute('SELECT name FROM users WHERE created_at > ?', {
      params: ['2024-01-01'],
    });
    if (rows.length !== 1 || rows[0].name !== "O'Brien")
      throw new Error(`unexpected rows ${JSON.stringify(rows)}`);
    print(
      `  ${ui.pad('execute', 10)}${ui.OK} ${ui.pad(`${await db.driverName()}: SELECT … WHERE created_at > ?`, 62)}→ ${ui.clip(JSON.stringify(rows), 30)}  ${ui.dim(ui.ms(ui.since(start)))}`,
    );

    const files = new MCPResource({
      client: filesystem,
      uri: 'mcp://filesystem/shared',
      type: 'filesystem',
    });
    start = performance.now();
    const report = await files.read('documents/report.pdf');
    const summary = await files.read('documents/2026/q1.json');
    const listing = await files.list('documents/', { recursive: true });
    if (!(report instanceof Uint8Array) || summary.revenue !== 42000)
      throw new Error('file contents differ');
    print(
      `  ${ui.pad('read', 10)}${ui.OK} ${ui.pad('documents/report.pdf, documents/2026/q1.json', 62)}→ ${report.byteLength} bytes, ${ui.clip(JSON.stringify(summary), 20)}  ${ui.dim(ui.ms(ui.since(start)))}`,
    );
    print(
      `  ${ui.pad('list', 10)}${ui.OK} ${ui.pad('documents/ { recursive: true }', 62)}→ ${ui.clip(listing.map((e) => e.path).join(', '), 50)}`,
    );
    await database.close();
    await filesystem.close();
  },
};
