import { McpConfigError } from '@tframex/mcp-api';
import { MCPTestClient } from '@tframex/mcp-testing';
import { startPostgres, type RunningPostgres } from '../../../../../tools/test-services/index.mjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpSqlError } from '../../errors/mcp-sql-error.js';
import { MCPResource } from '../../mcp-resource.js';
import { recordingSession } from '../../test-support/recording-session.js';
import { npmServer } from '../../test-support/servers.js';

let postgres: RunningPostgres;
let writer: MCPTestClient;
let reader: MCPTestClient;
let henkey: MCPTestClient;

// Strings that break naive quoting, plus arbitrary unicode from fast-check.
const HOSTILE = [
  "'; DROP TABLE users; --",
  "O'Brien",
  "''",
  '\\',
  "\\'",
  'back\\slash\\n',
  '$$ dollar $$',
  '$tag$ x $tag$',
  '? and $1',
  'line one\nline two\r\n\ttab',
  '😀 ünïcødé 中文 \u202e rtl',
  '"quoted"',
  '/* comment */ -- comment',
  ' ',
  '',
];

beforeAll(async () => {
  postgres = await startPostgres({ database: 'production' });
  writer = new MCPTestClient(
    npmServer('mcp-postgres-server/build/index.js', [], {
      DATABASE_URL: postgres.url,
      PG_ALLOW_WRITE: 'true',
    }),
    { name: 'database', era: 'legacy' },
  );
  reader = new MCPTestClient(
    npmServer('@modelcontextprotocol/server-postgres/dist/index.js', [postgres.url]),
    { name: 'database', era: 'legacy' },
  );
  henkey = new MCPTestClient(
    npmServer('@henkey/postgres-mcp-server/build/index.js', ['--connection-string', postgres.url]),
    { name: 'database', era: 'legacy' },
  );
  await Promise.all([writer.connect(), reader.connect(), henkey.connect()]);
  const db = new MCPResource({
    client: writer,
    uri: 'mcp://database/production',
    type: 'postgresql',
  });
  await db.execute(
    'CREATE TABLE users (id serial PRIMARY KEY, name text UNIQUE NOT NULL, email text, created_at timestamptz NOT NULL, score numeric)',
  );
}, 60_000);

afterAll(async () => {
  await writer?.close();
  await reader?.close();
  await henkey?.close();
  await postgres?.stop();
});

describe('postgresql driver: mcp-postgres-server (parameters bound by the server)', () => {
  it('executes with ? placeholders sent as $n parameters; rows come back as objects', async () => {
    const db = new MCPResource({
      client: writer,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    expect(await db.driverName()).toBe('mcp-postgres-server');
    const inserted = await db.execute(
      'INSERT INTO users (name, email, created_at, score) VALUES (?, ?, ?, ?), (?, ?, ?, ?)',
      {
        params: [
          'alice',
          'alice@example.com',
          new Date('2024-03-01T00:00:00Z'),
          1.5,
          'bob',
          null,
          '2023-06-01',
          2,
        ],
      },
    );
    expect(inserted.rowCount).toBe(2);
    expect(inserted.command).toBe('INSERT');
    const rows = await db.execute(
      'SELECT name, email, score FROM users WHERE created_at > ? ORDER BY id',
      {
        params: ['2024-01-01'],
      },
    );
    expect(rows).toEqual([{ name: 'alice', email: 'alice@example.com', score: '1.5' }]);
    // What the server got: $1 in the text, the value beside it.
    const { session, calls } = recordingSession(writer);
    const recorded = new MCPResource({
      client: session,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    await recorded.execute("SELECT name FROM users WHERE name = ? AND '?' = '?'", {
      params: ["x' OR '1'='1"],
    });
    expect(calls.at(-1)).toEqual({
      tool: 'query',
      args: {
        sql: "SELECT name FROM users WHERE name = $1 AND '?' = '?'",
        params: ["x' OR '1'='1"],
      },
    });
  });

  it('turns database errors into McpSqlError with the SQLSTATE', async () => {
    const db = new MCPResource({
      client: writer,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    const missing = await db.execute('SELECT * FROM nosuchtable').catch((e: unknown) => e);
    expect(McpSqlError.isInstance(missing)).toBe(true);
    expect((missing as McpSqlError).sqlState).toBe('42P01');
    expect((missing as Error).message).toMatch(/relation "nosuchtable" does not exist/);
    const duplicate = await db
      .execute('INSERT INTO users (name, created_at) VALUES (?, now()), (?, now())', {
        params: ['dup', 'dup'],
      })
      .catch((e: unknown) => e);
    expect((duplicate as McpSqlError).sqlState).toBe('23505');
  });

  it('round-trips hostile strings through the real database as parameters', async () => {
    const db = new MCPResource({
      client: writer,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    for (const value of HOSTILE) {
      expect(await db.execute('SELECT ?::text AS v', { params: [value] })).toEqual([{ v: value }]);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')),
        async (value) => {
          const rows = await db.execute('SELECT ?::text AS v', { params: [value] });
          expect(rows).toEqual([{ v: value }]);
        },
      ),
      { numRuns: 40 },
    );
    await expect(db.execute('SELECT ?::text AS v', { params: ['a\0b'] })).rejects.toThrow(/NUL/);
    expect(await db.execute('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 2 }]);
  });
});

describe('postgresql driver: server-postgres (text only: values rendered as literals)', () => {
  it('reads with values rendered as PostgreSQL literals', async () => {
    const db = new MCPResource({
      client: reader,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    expect(await db.driverName()).toBe('server-postgres');
    const rows = await db.execute('SELECT name FROM users WHERE created_at > ? AND name = ?', {
      params: [new Date('2024-01-01T00:00:00Z'), 'alice'],
    });
    expect(rows).toEqual([{ name: 'alice' }]);
  });

  it('round-trips hostile strings; a NUL gets a clear error', async () => {
    const db = new MCPResource({
      client: reader,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    for (const value of HOSTILE) {
      expect(await db.execute('SELECT ? AS v', { params: [value] })).toEqual([{ v: value }]);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\0')),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        async (values) => {
          const sql = `SELECT ${values.map((_, i) => `? AS v${i}`).join(', ')}`;
          const rows = await db.execute(sql, { params: values });
          expect(rows).toEqual([Object.fromEntries(values.map((v, i) => [`v${i}`, v]))]);
        },
      ),
      { numRuns: 40 },
    );
    const nul = await db.execute('SELECT ? AS v', { params: ['a\0b'] }).catch((e: unknown) => e);
    expect(McpConfigError.isInstance(nul)).toBe(true);
    expect((nul as McpConfigError).field).toBe('params.0');
  });

  it('refuses multi-statement text (its read-only guard can be escaped with COMMIT; ...)', async () => {
    const db = new MCPResource({
      client: reader,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    await expect(
      db.execute("COMMIT; INSERT INTO users (name, created_at) VALUES ('mallory', now())"),
    ).rejects.toSatisfy((e) => McpConfigError.isInstance(e) && e.field === 'sql');
    expect(await db.execute("SELECT count(*)::int AS n FROM users WHERE name = 'mallory'")).toEqual(
      [{ n: 0 }],
    );
    const error = await db.execute('SELECT * FROM nosuchtable').catch((e: unknown) => e);
    expect(McpSqlError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/nosuchtable/);
  });
});

describe('postgresql driver: postgres-mcp-server (pg_execute_sql with parameters)', () => {
  it('binds parameters, returns RETURNING rows, and reports failures as McpSqlError', async () => {
    const db = new MCPResource({
      client: henkey,
      uri: 'mcp://database/production',
      type: 'postgresql',
    });
    expect(await db.driverName()).toBe('postgres-mcp-server');
    const inserted = await db.execute(
      'INSERT INTO users (name, created_at) VALUES (?, ?) RETURNING name',
      { params: ["henkey's", new Date('2025-01-01T00:00:00Z')] },
    );
    expect(inserted).toEqual([{ name: "henkey's" }]);
    for (const value of HOSTILE) {
      expect(await db.execute('SELECT ?::text AS v', { params: [value] })).toEqual([{ v: value }]);
    }
    expect(await db.execute('SELECT 1 WHERE false')).toEqual([]);
    const error = await db.execute('SELECT * FROM nosuchtable').catch((e: unknown) => e);
    expect(McpSqlError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/relation "nosuchtable" does not exist/);
    await db.execute('DELETE FROM users WHERE name = ?', { params: ["henkey's"] });
  });
});
