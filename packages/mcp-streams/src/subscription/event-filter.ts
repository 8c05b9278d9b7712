// Filters compiled once into one predicate: equality, any-of lists and nested paths on the
// event (falling back to its data), plus a predicate function. Gap markers always pass: a
// consumer is never left unaware that events may be missing.
import { McpConfigError } from '@tframex/mcp-api';
import type { McpStreamEvent } from '../stream-event.js';

/** A value to compare with (equality), or a list of acceptable values (any of them). */
export type McpFilterValue =
  | string
  | number
  | boolean
  | null
  | readonly (string | number | boolean | null)[];

/**
 * Conditions, all of which must hold. A key is a dotted path (`user.id`); it is read from the
 * event when its first segment is an event field (`type`, `level`, `uri`, `data`, ...) and
 * from `event.data` otherwise, so `{ level: 'error', service: 'api' }` reads `event.level`
 * and `event.data.service`.
 */
export type McpStreamFilters = Readonly<Record<string, McpFilterValue>>;

export type McpEventPredicate = (event: McpStreamEvent) => boolean;

const EVENT_FIELDS = new Set([
  'type',
  'data',
  'source',
  'seq',
  'receivedAt',
  'method',
  'uri',
  'level',
  'logger',
  'reason',
]);

function reader(path: string): (event: McpStreamEvent) => unknown {
  const segments = path.split('.');
  const fromEvent = EVENT_FIELDS.has(segments[0]!);
  if (segments.length === 1 && fromEvent) {
    const key = segments[0] as keyof McpStreamEvent;
    return (event) => event[key];
  }
  if (segments.length === 1) {
    const key = segments[0]!;
    return (event) => {
      const data = event.data;
      return typeof data === 'object' && data !== null
        ? (data as Record<string, unknown>)[key]
        : undefined;
    };
  }
  return (event) => {
    let at: unknown = fromEvent ? event : event.data;
    for (const segment of segments) {
      if (typeof at !== 'object' || at === null) return undefined;
      at = (at as Record<string, unknown>)[segment];
    }
    return at;
  };
}

function condition(path: string, expected: McpFilterValue): McpEventPredicate {
  const read = reader(path);
  if (Array.isArray(expected)) {
    const list = expected as readonly unknown[];
    if (list.length === 0) {
      throw new McpConfigError(`Filter "${path}" is an empty list: it can never match an event`, {
        field: `filters.${path}`,
        expected: 'a value or a non-empty list of values',
        received: expected,
      });
    }
    if (list.length <= 4) return (event) => list.includes(read(event));
    const set = new Set(list);
    return (event) => set.has(read(event));
  }
  return (event) => read(event) === expected;
}

/**
 * Compiles `filters` and `where` into one predicate (undefined when there is nothing to
 * check). `knownValues` names the only values a path can take on this stream (`level` on a
 * log stream, `type` on a stream whose sources fix it): a filter that allows none of them
 * can never match, and is refused with an McpConfigError saying so.
 */
export function compileFilter(
  filters: McpStreamFilters | undefined,
  where: McpEventPredicate | undefined,
  knownValues: ReadonlyMap<string, ReadonlySet<unknown>> = new Map(),
): McpEventPredicate | undefined {
  const checks: McpEventPredicate[] = [];
  for (const [path, expected] of Object.entries(filters ?? {})) {
    if (path === '') {
      throw new McpConfigError('A filter needs a non-empty path', {
        field: 'filters',
        expected: 'dotted paths such as "level" or "user.id"',
      });
    }
    const valid =
      expected === null ||
      ['string', 'number', 'boolean'].includes(typeof expected) ||
      (Array.isArray(expected) &&
        expected.every(
          (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value),
        ));
    if (!valid) {
      throw new McpConfigError(`Filter "${path}" must be a value or a list of values`, {
        field: `filters.${path}`,
        expected: 'a string, number, boolean, null, or a list of them',
        received: typeof expected,
      });
    }
    const known = knownValues.get(path);
    if (known) {
      const allowed = Array.isArray(expected) ? (expected as readonly unknown[]) : [expected];
      if (allowed.length > 0 && !allowed.some((value) => known.has(value))) {
        throw new McpConfigError(
          `Filter "${path}" can never match: events of this stream have ${path} ${[...known].map((v) => JSON.stringify(v)).join(', ')}`,
          {
            field: `filters.${path}`,
            expected: `one of ${[...known].map((v) => JSON.stringify(v)).join(', ')}`,
            received: expected,
          },
        );
      }
    }
    checks.push(condition(path, expected));
  }
  if (where !== undefined && typeof where !== 'function') {
    throw new McpConfigError('where must be a function of the event', {
      field: 'where',
      expected: 'a function (event) => boolean',
      received: typeof where,
    });
  }
  if (where) checks.push(where);
  if (checks.length === 0) return undefined;
  if (checks.length === 1) {
    const only = checks[0]!;
    return (event) => event.source === 'gap' || only(event);
  }
  return (event) => {
    if (event.source === 'gap') return true;
    for (const check of checks) if (!check(event)) return false;
    return true;
  };
}
