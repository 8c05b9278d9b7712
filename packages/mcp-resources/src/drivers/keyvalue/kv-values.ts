// Values in a key-value store: written as JSON, so an object comes back as the same object and a
// string as the same string; values another writer stored as plain text come back as strings.
import { McpConfigError } from '@tframex/mcp-api';

/** `value` as the text stored. */
export function encodeValue(value: unknown, key: string): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw new McpConfigError(`Cannot store ${typeof value} under ${JSON.stringify(key)}`, {
      field: 'value',
      expected: 'a JSON value (object, array, string, number, boolean or null)',
      received: typeof value,
    });
  }
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch (error) {
    throw new McpConfigError(
      `Cannot store the value under ${JSON.stringify(key)}: ${String(error)}`,
      {
        field: 'value',
        expected: 'a JSON value without cycles',
        received: typeof value,
      },
    );
  }
}

/** The stored text as the value it encodes (plain text stays a string). */
export function decodeValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `key` under the resource's prefix (`mcp://cache/redis/sessions` → `sessions:<key>`). */
export function prefixedKey(prefix: string, key: string): string {
  if (typeof key !== 'string' || key === '') {
    throw new McpConfigError('A key must be a non-empty string', {
      field: 'key',
      expected: 'a non-empty string',
      received: key,
    });
  }
  return prefix === '' ? key : `${prefix.replace(/\//g, ':')}:${key}`;
}

/** A key without the resource's prefix. */
export function unprefixedKey(prefix: string, key: string): string {
  const head = prefix === '' ? '' : `${prefix.replace(/\//g, ':')}:`;
  return key.startsWith(head) ? key.slice(head.length) : key;
}

/** Glob characters of Redis patterns escaped, so a prefix matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
