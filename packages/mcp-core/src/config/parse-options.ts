// Validates public options with a zod schema and turns every issue into a ConfigProblem, so
// each building block reports bad options the same way: one McpConfigError listing them all.
import { z } from 'zod';
import { type ConfigProblem, configError, looksSecret } from './config-problem.js';
import { suggestOptionName } from './did-you-mean.js';

export interface ParseOptionsSettings {
  /** What is being validated, for the message: `MCPConfig`, `RetryPolicy options`. */
  subject: string;
  /** Prefix of every field path, e.g. `security` when the options sit inside MCPConfig. */
  prefix?: string;
  /** Common wrong names (lower-case, no `_`/`-`) → the option meant, for "did you mean". */
  aliases?: Readonly<Record<string, string>>;
}

type Issue = z.core.$ZodIssue;
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** The option names an object schema knows at `path`, for "did you mean" hints. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  let index = 0;
  for (let guard = 0; current !== undefined && guard < 64; guard += 1) {
    const def = defOf(current);
    const optionKeys = z.globalRegistry.get(current)?.['optionKeys'];
    if (Array.isArray(optionKeys) && index >= path.length) return optionKeys as string[];
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (index >= path.length) return def.shape ? Object.keys(def.shape) : [];
    else if (def.shape) current = def.shape[String(path[index++])];
    else if (def.element ?? def.valueType) {
      current = def.element ?? def.valueType;
      index += 1;
    } else return [];
  }
  return [];
}

export function joinField(prefix: string | undefined, path: readonly PropertyKey[]): string {
  const parts = path.map(String);
  if (prefix) parts.unshift(prefix);
  return parts.join('.');
}

/** The problems zod found, with unknown keys reported one by one with a suggestion. */
export function problemsFromIssues(
  schema: z.ZodType,
  issues: readonly Issue[],
  settings: Omit<ParseOptionsSettings, 'subject'>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const suggestion = suggestOptionName(key, known, settings.aliases);
        problems.push({
          field: joinField(settings.prefix, [...issue.path, key]),
          expected: 'no such option',
          received: (issue.input as Record<string, unknown> | undefined)?.[key],
          hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
          secret: looksSecret(key),
        });
      }
      continue;
    }
    problems.push({
      field: joinField(settings.prefix, issue.path),
      expected: issue.message,
      received: issue.input,
      missing: issue.input === undefined,
    });
  }
  return problems;
}

/**
 * Parses `input` with `schema`. Any problem, including anything zod itself throws on hostile
 * input, becomes one McpConfigError.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  settings: ParseOptionsSettings,
): z.output<S> {
  let result: ReturnType<S['safeParse']>;
  try {
    result = schema.safeParse(input, { reportInput: true }) as ReturnType<S['safeParse']>;
  } catch (error) {
    throw configError(settings.subject, [
      { field: settings.prefix ?? '', expected: 'plain data options', received: error },
    ]);
  }
  if (result.success) return result.data as z.output<S>;
  throw configError(settings.subject, problemsFromIssues(schema, result.error.issues, settings));
}
