// Validates public options once, at the edge, and reports the first problem as an
// McpConfigError that names the field and what was expected.
import { McpConfigError } from '@tframex/mcp-api';
import type * as z from 'zod';

/** Parses `value` with `schema`; `where` prefixes the field path (`MockMCPServer.options`). */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.map(String) : [];
  const field = [where, ...path].join('.');
  const expected = issue?.message ?? 'a valid value';
  throw new McpConfigError(`Invalid ${field}: ${expected}`, {
    field,
    expected,
    received: path.reduce<unknown>(
      (at, key) =>
        typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined,
      value,
    ),
  });
}

/** An McpConfigError for a misuse that is not a malformed option (wrong state, unknown name). */
export function usageError(field: string, expected: string, message: string): McpConfigError {
  return new McpConfigError(message, { field, expected });
}
