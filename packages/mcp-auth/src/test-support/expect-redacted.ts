// Asserts that no way of printing `value` (or an error's fields) shows `secret`.
import { inspect } from 'node:util';
import { expect } from 'vitest';

export function expectRedacted(value: unknown, ...secrets: string[]): void {
  const views = [
    JSON.stringify(value),
    String(value),
    inspect(value, { depth: 10, showHidden: true }),
    inspect(value, { depth: 10, getters: true }),
    `${value as string}`,
  ];
  if (value instanceof Error) {
    views.push(value.message, value.stack ?? '', JSON.stringify({ ...value }));
  }
  for (const secret of secrets) {
    for (const view of views) expect(view).not.toContain(secret);
  }
}
