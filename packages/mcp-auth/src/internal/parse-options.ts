// Validates public options once, at the edge, and reports the first problem as an
// McpConfigError that names the field and what was expected. Secret fields are never echoed.
import { McpConfigError } from '@tframex/mcp-api';
import type { z } from 'zod';
import { REDACTED } from './secret-holder.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function summarize(value: unknown): unknown {
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 80)}...` : value;
  if (typeof value === 'object' && value !== null)
    return Array.isArray(value) ? '[array]' : '[object]';
  return value;
}

/**
 * Parses `input` with `schema`. `where` names the API (`APIKeyAuth options`); fields listed in
 * `secretFields` (top-level names) are shown as `[redacted]` in the error.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: string,
  secretFields: readonly string[] = [],
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    throw new McpConfigError(`${where}: unknown option ${keys}`, {
      field: issue.keys[0],
      expected: issue.message,
      received: keys,
    });
  }
  const field = issue.path.map(String).join('.') || '(options)';
  const top = String(issue.path[0] ?? '');
  const received = secretFields.includes(top) ? REDACTED : summarize(valueAt(input, issue.path));
  throw new McpConfigError(`${where}: ${field} must be ${issue.message}`, {
    field,
    expected: issue.message,
    received,
  });
}
