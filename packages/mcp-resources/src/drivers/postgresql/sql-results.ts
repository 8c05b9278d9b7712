// Rows out of the result formats of the SQL servers the drivers know.
import { McpProtocolError, type CallToolResult } from '@tframex/mcp-api';
import type { SqlResult } from '../operation-options.js';
import { parseJson, textOf, textsOf } from '../tool-result.js';

type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rowsOf(value: unknown, tool: string): Row[] {
  if (Array.isArray(value) && value.every(isRow)) return value;
  throw new McpProtocolError(`Tool "${tool}" answered without rows of objects`, {
    method: 'tools/call',
    code: -32603,
  });
}

/**
 * mcp-postgres-server: `{rows, rowCount, returnedRows, truncated}` from `query`,
 * `{rowCount, command}` from `execute`.
 */
export function parseEnvelope(result: CallToolResult, tool: string): SqlResult {
  const value = parseJson(textOf(result), tool);
  if (!isRow(value)) return { rows: rowsOf(value, tool) };
  const rows = value['rows'] === undefined ? [] : rowsOf(value['rows'], tool);
  const rowCount = value['rowCount'];
  const command = value['command'];
  return {
    rows,
    ...(typeof rowCount === 'number' ? { rowCount } : { rowCount: rows.length }),
    ...(typeof command === 'string' ? { command } : {}),
    ...(value['truncated'] === true ? { truncated: true } : {}),
  };
}

/**
 * `execute_sql`: dbhub's `{success, data: {rows, count}}` (0.x) or
 * `{success, data: {statements: [{rows, count}]}}` (1.x), or Toolbox's one JSON object per text
 * block (none for no rows).
 */
export function parseExecuteSql(result: CallToolResult, tool: string): SqlResult {
  const texts = textsOf(result);
  if (texts.length === 0) return { rows: [], rowCount: 0 };
  const values = texts.map((text) => parseJson(text, tool));
  const first = values[0];
  if (values.length === 1 && isRow(first) && 'success' in first && isRow(first['data'])) {
    const data = first['data'];
    if (Array.isArray(data['statements'])) {
      const statements = data['statements'].filter(isRow);
      const last = statements.at(-1);
      const rows = statements.flatMap((statement) =>
        statement['rows'] === undefined ? [] : rowsOf(statement['rows'], tool),
      );
      const count = last?.['count'];
      return { rows, ...(typeof count === 'number' ? { rowCount: count } : {}) };
    }
    const rows = data['rows'] === undefined ? [] : rowsOf(data['rows'], tool);
    const count = data['count'];
    return { rows, rowCount: typeof count === 'number' ? count : rows.length };
  }
  if (values.length === 1 && Array.isArray(first)) {
    const rows = rowsOf(first, tool);
    return { rows, rowCount: rows.length };
  }
  const rows = rowsOf(values, tool);
  return { rows, rowCount: rows.length };
}

/** server-postgres: the rows as one pretty-printed JSON array. */
export function parseRowArray(result: CallToolResult, tool: string): SqlResult {
  const rows = rowsOf(parseJson(textOf(result), tool), tool);
  return { rows, rowCount: rows.length };
}

/** henkey: `"SQL executed successfully. Retrieved 2 rows.\n\nResults:\n[...]"`. */
export function parseProseRows(result: CallToolResult, tool: string): SqlResult {
  const text = textOf(result);
  const marker = text.indexOf('Results:');
  if (marker < 0) return { rows: [] };
  const rows = rowsOf(parseJson(text.slice(marker + 'Results:'.length).trim(), tool), tool);
  return { rows, rowCount: rows.length };
}
