// Zod building blocks for option values with units, shared by every options schema here, so
// the same kind of value is checked and described the same way everywhere.
import { z } from 'zod';

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
