// PostgreSQL literals for servers that take only SQL text: values are rendered, never pasted.
// Strings are escape-string literals (E'...'), so the result holds whatever
// standard_conforming_strings is set to.
import { McpConfigError } from '@tframex/mcp-api';
import type { SqlParam } from '../drivers/operation-options.js';

function refuse(field: string, expected: string, received: unknown): never {
  throw new McpConfigError(`SQL parameter ${field} cannot be sent: expected ${expected}`, {
    field,
    expected,
    received: typeof received === 'string' ? received.slice(0, 80) : typeof received,
  });
}

/** A string as an escape-string literal; NUL, which PostgreSQL text cannot hold, is refused. */
export function stringLiteral(value: string, field = 'params'): string {
  if (value.includes('\0')) {
    refuse(field, 'text without NUL characters (PostgreSQL text cannot hold U+0000)', value);
  }
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** `value` as a PostgreSQL literal. */
export function postgresLiteral(value: SqlParam, field = 'params'): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      return value.toString();
    case 'number':
      if (Number.isFinite(value)) return Object.is(value, -0) ? '0' : String(value);
      return `'${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}'::float8`;
    case 'string':
      return stringLiteral(value, field);
    default:
      break;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse(field, 'a valid Date', 'Invalid Date');
    return `'${value.toISOString()}'::timestamptz`;
  }
  if (value instanceof Uint8Array) return `E'\\\\x${Buffer.from(value).toString('hex')}'::bytea`;
  if (Array.isArray(value)) {
    if (value.length === 0) return "'{}'";
    return `ARRAY[${value.map((item, index) => postgresLiteral(item, `${field}.${index}`)).join(', ')}]`;
  }
  return refuse(field, 'a string, number, bigint, boolean, null, Date, Uint8Array or array', value);
}

/** `value` as a wire parameter for servers that bind `$n` themselves (JSON scalars only). */
export function wireParam(value: SqlParam, field = 'params'): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      if (typeof value === 'string' && value.includes('\0')) {
        refuse(field, 'text without NUL characters (PostgreSQL text cannot hold U+0000)', value);
      }
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    default:
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) {
    // PostgreSQL array text: {"a","b\"c"}; the server binds it as text, PostgreSQL casts it.
    const items = value.map((item, index) => {
      const wire = wireParam(item, `${field}.${index}`);
      if (wire === null) return 'NULL';
      return `"${String(wire).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    });
    return `{${items.join(',')}}`;
  }
  return refuse(field, 'a string, number, bigint, boolean, null, Date, Uint8Array or array', value);
}
