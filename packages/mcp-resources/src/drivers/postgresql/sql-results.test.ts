// The answer formats of SQL servers with no end-to-end test here (dbhub, Toolbox), as their
// tool results look on the wire.
import { McpToolError, type CallToolResult } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { McpSqlError } from '../../errors/mcp-sql-error.js';
import { toSqlError } from './sql-errors.js';
import { parseEnvelope, parseExecuteSql, parseProseRows } from './sql-results.js';

const text = (...texts: string[]): CallToolResult => ({
  content: texts.map((t) => ({ type: 'text' as const, text: t })),
});

describe('SQL answer formats', () => {
  it('dbhub 0.x: {success, data: {rows, count}}', () => {
    const result = text(
      '{"success":true,"data":{"rows":[{"id":2,"name":"bob"}],"count":1,"source_id":"production"}}',
    );
    expect(parseExecuteSql(result, 'execute_sql')).toEqual({
      rows: [{ id: 2, name: 'bob' }],
      rowCount: 1,
    });
  });

  it('dbhub 1.x: {success, data: {statements: [{rows, count}]}}', () => {
    const result = text(
      '{"success":true,"data":{"statements":[{"sql":"SELECT 1","rows":[{"a":1}],"count":1},{"sql":"SELECT 2","rows":[{"b":2}],"count":1}],"source_id":"x"}}',
    );
    expect(parseExecuteSql(result, 'execute_sql')).toEqual({
      rows: [{ a: 1 }, { b: 2 }],
      rowCount: 1,
    });
  });

  it('Toolbox: one JSON object per text block, none for no rows', () => {
    expect(
      parseExecuteSql(text('{"id":1,"name":"a"}', '{"id":2,"name":"b"}'), 'execute_sql'),
    ).toEqual({
      rows: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
      rowCount: 2,
    });
    expect(parseExecuteSql({ content: [] }, 'execute_sql')).toEqual({ rows: [], rowCount: 0 });
  });

  it('mcp-postgres-server and postgres-mcp-server answers', () => {
    expect(parseEnvelope(text('{"rowCount":1,"command":"INSERT"}'), 'execute')).toEqual({
      rows: [],
      rowCount: 1,
      command: 'INSERT',
    });
    expect(
      parseEnvelope(
        text('{"rows":[{"a":1}],"rowCount":5,"returnedRows":1,"truncated":true}'),
        'query',
      ),
    ).toEqual({
      rows: [{ a: 1 }],
      rowCount: 5,
      truncated: true,
    });
    expect(
      parseProseRows(text('SQL executed successfully. Retrieved 0 rows.'), 'pg_execute_sql'),
    ).toEqual({ rows: [] });
  });

  it("reads the SQLSTATE from each server's error text", () => {
    const failure = (body: string) =>
      new McpToolError('failed', {
        toolName: 't',
        result: { content: [{ type: 'text', text: body }], isError: true },
      });
    const toolbox = toSqlError(
      failure(
        'error processing request: unable to execute query: ERROR: relation "x" does not exist (SQLSTATE 42P01)',
      ),
      'execute_sql',
      'db',
    ) as McpSqlError;
    expect(toolbox.sqlState).toBe('42P01');
    const pgServer = toSqlError(
      failure(
        '{"message":"duplicate key value violates unique constraint","code":"23505","hint":"h"}',
      ),
      'execute',
      'db',
    ) as McpSqlError;
    expect([pgServer.sqlState, pgServer.hint]).toEqual(['23505', 'h']);
    expect(pgServer.message).toMatch(/duplicate key/);
    const dbhub = toSqlError(
      failure(
        '{"success":false,"error":"relation \\"x\\" does not exist","code":"EXECUTION_ERROR"}',
      ),
      'execute_sql',
      'db',
    ) as McpSqlError;
    expect(McpSqlError.isInstance(dbhub)).toBe(true);
    expect(dbhub.sqlState).toBeUndefined();
    expect(dbhub.message).toMatch(/relation "x" does not exist/);
  });
});
