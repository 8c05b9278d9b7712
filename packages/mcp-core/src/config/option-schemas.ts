// Zod building blocks for option values with units, shared by every options schema here, so
// the same kind of value is checked and described the same way everywhere.
import { z } from 'zod';
import { prototypeBeneathViews } from '../security/redacted-view.js';

/** The longest delay a Node timer honours; longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A whole number of milliseconds in `[minMs, MAX_TIMER_MS]`. */
export function durationMs(minMs = 0) {
  return z
    .number({ error: `a whole number of milliseconds from ${minMs} to ${MAX_TIMER_MS}` })
    .int()
    .min(minMs)
    .max(MAX_TIMER_MS);
}

/** A whole number in `[min, max]`. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, unit = '') {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
  return z
    .number({ error: `a whole number${unit ? ` of ${unit}` : ''}, ${range}` })
    .int()
    .min(min)
    .max(max);
}

/** A function; zod checks only that it is callable. */
export function callable<F extends (...args: never[]) => unknown>(what: string) {
  return z.custom<F>((value) => typeof value === 'function', { error: what });
}

/** An object made by `{...}` or `Object.create(null)`: options, not an instance of a class. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = prototypeBeneathViews(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Options given as a plain object, or an instance that already carries them (`security:
 * new MCPSecurity({...})`). An instance passes through untouched; a plain object is checked
 * by `schema` (its problems keep their field paths); anything else, such as an instance of
 * another class whose public fields happen to look like options, is refused: its settings
 * would otherwise be dropped without a word.
 */
export function optionsOrInstance<I, S extends z.ZodType>(
  isInstance: (value: unknown) => value is I,
  schema: S,
  what: string,
) {
  return z
    .custom<I | z.output<S>>((value) => isInstance(value) || isPlainObject(value), {
      error: what,
    })
    .meta({ optionKeys: optionKeysOf(schema) })
    .transform((value, context): I | z.output<S> => {
      if (isInstance(value)) return value;
      const result = schema.safeParse(value, { reportInput: true });
      if (result.success) return result.data as z.output<S>;
      for (const issue of result.error.issues) context.addIssue(issue as never);
      return z.NEVER;
    });
}

/** Options given as a plain object only (see `optionsOrInstance`). */
export function plainOptions<S extends z.ZodType>(schema: S, what: string) {
  return optionsOrInstance((_value: unknown): _value is never => false, schema, what);
}

function optionKeysOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}
