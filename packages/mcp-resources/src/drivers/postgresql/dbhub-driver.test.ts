// The execute_sql driver end to end: @bytebase/dbhub 0.21.2 (the newest release whose engines
// allow Node 20) over stdio against a real PostgreSQL. dbhub takes SQL text only, so values
// travel as PostgreSQL literals rendered by the driver.
import { MCPTestClient } from '@tframex/mcp-testing';
import { startPostgres, type RunningPostgres } from '../../../../../tools/test-services/index.mjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpSqlError } from '../../errors/mcp-sql-error.js';
import { MCPResource } from '../../mcp-resource.js';
import { recordingSession } from '../../test-support/recording-session.js';
import { npmServer } from '../../test-support/servers.js';

let postgres: RunningPostgres;
let dbhub: MCPTestClient;

// Strings that break naive quoting or naive statement splitting (dbhub splits on `;`).
const HOSTILE = [
  "'; DROP TABLE notes; --",
  "O'Brien",
  "''",
  '\\',
  "\\'",
  "\\'; SELECT 1; --",
  'back\\slash\\n',
  '$$ dollar $$',
  '$tag$ x; $tag$',
  '? and $1',
  'line one\nline two\r\n\ttab',
  '😀 ünïcødé 中文 \u202e rtl',
  '"quoted"',
  '/* comment; */ -- comment',
  ' ',
  '',
];

function database(client: MCPTestClient | ReturnType<typeof recordingSession>['session']) {
  return new MCPResource({ client, uri: 'mcp://database/production', type: 'postgresql' });
}

beforeAll(async () => {
  postgres = await startPostgres({ database: 'production' });
  dbhub = new MCPTestClient(
    npmServer('@bytebase/dbhub/dist/index.js', ['--transport=stdio', `--dsn=${postgres.url}`]),
    { name: 'database', era: 'legacy' },
  );
  await dbhub.connect();
  await database(dbhub).execute(
    'CREATE TABLE notes (id serial PRIMARY KEY, title text UNIQUE NOT NULL, created_at timestamptz NOT NULL, score numeric)',
  );
}, 60_000);

afterAll(async () => {
  await dbhub?.close();
  await postgres?.stop();
});

describe('postgresql driver: execute_sql (@bytebase/dbhub, text only)', () => {
  it('is picked for dbhub; rows come back as objects; values are sent as literals', async () => {
    const db = database(dbhub);
    expect(await db.driverName()).toBe('execute_sql');
    const inserted = await db.execute(
      'INSERT INTO notes (title, created_at, score) VALUES (?, ?, ?), (?, ?, ?)',
      {
        params: [
          'first',
          new Date('2024-03-01T00:00:00Z'),
          1.5,
          "second's",
          new Date('2023-06-01T00:00:00Z'),
          2,
        ],
      },
    );
    expect(inserted.rowCount).toBe(2);
    const rows = await db.execute(
      'SELECT title, score, created_at FROM notes WHERE created_at > ? ORDER BY id',
      { params: ['2024-01-01'] },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: 'first', score: '1.5' });
    expect(new Date(String(rows[0]!['created_at'])).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(await db.execute('SELECT 1 WHERE false')).toEqual([]);
    // What dbhub got: the value rendered as an escape-string literal, not pasted.
    const { session, calls } = recordingSession(dbhub);
    expect(
      await database(session).execute('SELECT title FROM notes WHERE title = ?', {
        params: ["second's"],
      }),
    ).toEqual([{ title: "second's" }]);
    expect(calls.at(-1)).toEqual({
      tool: 'execute_sql',
      args: { sql: "SELECT title FROM notes WHERE title = E'second''s'" },
    });
  });

  it('round-trips hostile strings through the real database; a NUL gets a clear error', async () => {
    const db = database(dbhub);
    for (const value of HOSTILE) {
      expect(await db.execute('SELECT ?::text AS v', { params: [value] })).toEqual([{ v: value }]);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')),
        async (value) => {
          expect(await db.execute('SELECT ?::text AS v', { params: [value] })).toEqual([
            { v: value },
          ]);
        },
      ),
      { numRuns: 40 },
    );
    await expect(db.execute('SELECT ?::text AS v', { params: ['a\0b'] })).rejects.toThrow(/NUL/);
    // The table the first hostile string names is still there, with its two rows.
    expect(await db.execute('SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 2 }]);
  });

  it('turns database errors into McpSqlError (dbhub passes on the message, not the SQLSTATE)', async () => {
    const db = database(dbhub);
    const missing = await db.execute('SELECT * FROM nosuchtable').catch((e: unknown) => e);
    expect(McpSqlError.isInstance(missing)).toBe(true);
    expect((missing as McpSqlError).toolName).toBe('execute_sql');
    expect((missing as Error).message).toMatch(/relation "nosuchtable" does not exist/);
    // dbhub reports every failure as code "EXECUTION_ERROR"; that is not a SQLSTATE.
    expect((missing as McpSqlError).sqlState).toBeUndefined();
    const duplicate = await db
      .execute('INSERT INTO notes (title, created_at) VALUES (?, now())', { params: ['first'] })
      .catch((e: unknown) => e);
    expect(McpSqlError.isInstance(duplicate)).toBe(true);
    expect((duplicate as Error).message).toMatch(/duplicate key value violates unique constraint/);
  });
});
