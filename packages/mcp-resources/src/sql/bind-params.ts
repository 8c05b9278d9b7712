// Binding parameters to SQL: `?` placeholders renumbered as `$n` for servers that take
// parameters, or values rendered as literals for servers that take only text.
import { McpConfigError } from '@tframex/mcp-api';
import type { SqlParam } from '../drivers/operation-options.js';
import { postgresLiteral } from './postgres-literal.js';
import { scanSql, type ScannedSql } from './sql-scanner.js';

function checkCount(scanned: ScannedSql, params: readonly SqlParam[], sql: string): void {
  if (scanned.placeholders !== params.length) {
    const shown = sql.length > 120 ? `${sql.slice(0, 120)}…` : sql;
    throw new McpConfigError(
      `SQL has ${scanned.placeholders} placeholder(s) but ${params.length} parameter(s) were given: ${shown}`,
      { field: 'params', expected: `${scanned.placeholders} value(s)`, received: params.length },
    );
  }
}

/** `sql` with `?` rewritten to `$1`, `$2`, ...; `$n` text is kept as it is. */
export function numberPlaceholders(sql: string, params: readonly SqlParam[]): string {
  const scanned = scanSql(sql);
  checkCount(scanned, params, sql);
  return scanned.pieces.map((p) => (typeof p === 'string' ? p : `$${p.placeholder}`)).join('');
}

/** `sql` with every placeholder replaced by its value as a PostgreSQL literal. */
export function inlineParams(sql: string, params: readonly SqlParam[]): string {
  const scanned = scanSql(sql);
  checkCount(scanned, params, sql);
  return scanned.pieces
    .map((p) =>
      typeof p === 'string'
        ? p
        : postgresLiteral(params[p.placeholder - 1]!, `params.${p.placeholder - 1}`),
    )
    .join('');
}

/** How many statements `sql` holds. */
export function statementCount(sql: string): number {
  return scanSql(sql).statements;
}
