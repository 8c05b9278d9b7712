// Validates public options once, at the edge, and reports every problem as an McpConfigError
// that names the field and what was expected. Secret fields are never echoed back.
import { McpConfigError, type McpConfigIssue } from '@tframex/mcp-api';
import type * as z from 'zod';

/** Parses `value` with `schema`; `where` prefixes field paths (`OpenAIChatLLM.model`). */
export function parseOptions<S extends z.ZodType>(
  where: string,
  schema: S,
  value: unknown,
  secretFields: readonly string[] = [],
): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues: McpConfigIssue[] = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const secret = path.some((part) => secretFields.includes(part));
    const received = secret
      ? '[redacted]'
      : path.reduce<unknown>(
          (at, key) =>
            typeof at === 'object' && at !== null
              ? (at as Record<string, unknown>)[key]
              : undefined,
          value,
        );
    return {
      field: [where, ...path].join('.'),
      expected: issue.message,
      ...(received !== undefined ? { received } : {}),
    };
  });
  const first = issues[0]!;
  throw new McpConfigError(
    `Invalid ${issues.map((issue) => `${issue.field}: ${issue.expected}`).join('; ')}`,
    { field: first.field, expected: first.expected, received: first.received, issues },
  );
}

/** An McpConfigError for a misuse that is not a malformed option (an unknown name, a wrong state). */
export function usageError(field: string, expected: string, message: string): McpConfigError {
  return new McpConfigError(message, { field, expected });
}
