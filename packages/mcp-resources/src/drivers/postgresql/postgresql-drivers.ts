// type 'postgresql': the SQL MCP servers on npm, each mapped onto `execute(sql, {params})`.
// Values travel as parameters where the server binds them (`?` becomes `$n`); where it takes
// only text, they are rendered as PostgreSQL literals, never pasted.
import { McpConfigError, type JsonSchema } from '@tframex/mcp-api';
import { inlineParams, numberPlaceholders, statementCount } from '../../sql/bind-params.js';
import { wireParam } from '../../sql/postgres-literal.js';
import type { ExecuteOptions, SqlResult } from '../operation-options.js';
import {
  defineResourceDriver,
  type DriverContext,
  type DriverServerView,
} from '../resource-driver.js';
import { toSqlError } from './sql-errors.js';
import { parseEnvelope, parseExecuteSql, parseProseRows, parseRowArray } from './sql-results.js';

const READS = /^\s*(\(\s*)*(select|with|show|values|table|explain)\b/i;

async function run(
  context: DriverContext,
  tool: string,
  args: Record<string, unknown>,
  options: ExecuteOptions,
  parse: (result: Awaited<ReturnType<DriverContext['call']>>, tool: string) => SqlResult,
): Promise<SqlResult> {
  try {
    return parse(await context.call(tool, args, options), tool);
  } catch (error) {
    throw toSqlError(error, tool, context.session.name);
  }
}

function requestOptions(options: ExecuteOptions) {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}

function hasProperty(server: DriverServerView, tool: string, property: string): boolean {
  const schema = server.tools.get(tool)?.inputSchema as JsonSchema | undefined;
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties !== undefined && property in properties;
}

/** mcp-postgres-server: `query`/`execute {sql, params}` with `$n` parameters. */
export const mcpPostgresServerDriver = defineResourceDriver({
  name: 'mcp-postgres-server',
  type: 'postgresql',
  requires: ['query', 'execute'],
  matches: (server) => hasProperty(server, 'query', 'params'),
  async execute(context, sql, options) {
    const params = options.params ?? [];
    const text = numberPlaceholders(sql, params);
    const wire = params.map((value, index) => wireParam(value, `params.${index}`));
    // `query` runs in a read-only transaction and returns rows; `execute` writes but returns
    // only the count (RETURNING rows are not passed on by this server).
    const tool = READS.test(text) ? 'query' : 'execute';
    return run(context, tool, { sql: text, params: wire }, requestOptions(options), parseEnvelope);
  },
});

/** @bytebase/dbhub and Google MCP Toolbox: `execute_sql {sql}` (text only). */
export const executeSqlDriver = defineResourceDriver({
  name: 'execute_sql',
  type: 'postgresql',
  requires: ['execute_sql'],
  async execute(context, sql, options) {
    const text = inlineParams(sql, options.params ?? []);
    return run(context, 'execute_sql', { sql: text }, requestOptions(options), parseExecuteSql);
  },
});

/** @henkey/postgres-mcp-server: `pg_execute_sql {sql, parameters}`. */
export const henkeyDriver = defineResourceDriver({
  name: 'postgres-mcp-server',
  type: 'postgresql',
  requires: ['pg_execute_sql'],
  async execute(context, sql, options) {
    const params = options.params ?? [];
    const text = numberPlaceholders(sql, params);
    const parameters = params.map((value, index) => wireParam(value, `params.${index}`));
    return run(
      context,
      'pg_execute_sql',
      { sql: text, parameters, expectRows: true },
      requestOptions(options),
      parseProseRows,
    );
  },
});

/**
 * @modelcontextprotocol/server-postgres: `query {sql}` only, read-only. Its read-only guard
 * can be escaped with `COMMIT; ...`, so text with more than one statement is refused.
 */
export const serverPostgresDriver = defineResourceDriver({
  name: 'server-postgres',
  type: 'postgresql',
  requires: ['query'],
  matches: (server) => !hasProperty(server, 'query', 'params'),
  async execute(context, sql, options) {
    if (statementCount(sql) > 1) {
      throw new McpConfigError(
        'server-postgres takes one statement at a time (several could escape its read-only transaction)',
        { field: 'sql', expected: 'a single SQL statement', received: sql.slice(0, 200) },
      );
    }
    const text = inlineParams(sql, options.params ?? []);
    return run(context, 'query', { sql: text }, requestOptions(options), parseRowArray);
  },
});

export const POSTGRESQL_DRIVERS = [
  mcpPostgresServerDriver,
  executeSqlDriver,
  henkeyDriver,
  serverPostgresDriver,
];
