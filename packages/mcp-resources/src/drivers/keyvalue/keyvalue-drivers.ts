// type 'keyvalue': Redis MCP servers. `<name>` is `<store>[/<key prefix>]`: keys are written as
// `<prefix>:<key>` (slashes in the prefix become colons).
import { McpProtocolError } from '@tframex/mcp-api';
import type { ResourceEntry } from '../../listing/resource-entry.js';
import type { KeyValueSetOptions, ListOptions, OperationOptions } from '../operation-options.js';
import { defineResourceDriver, type DriverContext } from '../resource-driver.js';
import { parseJson, textOf } from '../tool-result.js';
import { decodeValue, encodeValue, escapeGlob, prefixedKey, unprefixedKey } from './kv-values.js';

function options(o: OperationOptions) {
  return {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
}

function keyEntry(context: DriverContext, key: string): ResourceEntry {
  const path = unprefixedKey(context.prefix, key);
  return { path, name: path, kind: 'key' };
}

function pattern(context: DriverContext, path: string): string {
  const head = context.prefix === '' ? '' : `${escapeGlob(context.prefix.replace(/\//g, ':'))}:`;
  return `${head}${escapeGlob(path)}*`;
}

function keysOf(value: unknown, tool: string): string[] {
  if (Array.isArray(value) && value.every((key) => typeof key === 'string')) return value;
  throw new McpProtocolError(`Tool "${tool}" answered without a list of keys`, {
    method: 'tools/call',
    code: -32603,
  });
}

/** mcp-redis: redis_get/redis_set/redis_del/redis_keys. A missing key reads as the text `null`. */
export const mcpRedisDriver = defineResourceDriver({
  name: 'mcp-redis',
  type: 'keyvalue',
  requires: ['redis_get', 'redis_set', 'redis_del'],
  async get(context, key, o) {
    const text = textOf(
      await context.call('redis_get', { key: prefixedKey(context.prefix, key) }, options(o)),
    );
    return text === 'null' ? undefined : decodeValue(text);
  },
  async set(context, key, value, o: KeyValueSetOptions) {
    await context.call(
      'redis_set',
      {
        key: prefixedKey(context.prefix, key),
        value: encodeValue(value, key),
        ...(o.ttlSeconds !== undefined ? { ttlSeconds: o.ttlSeconds } : {}),
      },
      options(o),
    );
  },
  async delete(context, key, o) {
    const text = textOf(
      await context.call('redis_del', { key: prefixedKey(context.prefix, key) }, options(o)),
    );
    return /\b[1-9]\d* key/.test(text);
  },
  async *list(context, path, o: ListOptions) {
    const match = pattern(context, path);
    if (context.tools.has('redis_command')) {
      // SCAN walks the keyspace a batch at a time (KEYS would answer with every key at once).
      // As in Redis itself, a key may come twice while the keyspace is being rehashed.
      let cursor = '0';
      do {
        const result = await context.call(
          'redis_command',
          { command: 'SCAN', args: [cursor, 'MATCH', match, 'COUNT', 500] },
          options(o),
        );
        const reply = parseJson(textOf(result), 'redis_command');
        if (!Array.isArray(reply) || typeof reply[0] !== 'string') {
          throw new McpProtocolError('SCAN answered without a cursor and keys', {
            method: 'tools/call',
            code: -32603,
          });
        }
        cursor = reply[0];
        for (const key of keysOf(reply[1], 'redis_command')) yield keyEntry(context, key);
      } while (cursor !== '0');
      return;
    }
    if (!context.tools.has('redis_keys')) return;
    const result = await context.call('redis_keys', { pattern: match }, options(o));
    for (const key of keysOf(parseJson(textOf(result), 'redis_keys'), 'redis_keys')) {
      yield keyEntry(context, key);
    }
  },
});

/**
 * @modelcontextprotocol/server-redis: get/set/delete/list. A missing key reads as the text
 * `Key not found: <key>` (not an error result), which stored JSON can never be.
 */
export const serverRedisDriver = defineResourceDriver({
  name: 'server-redis',
  type: 'keyvalue',
  requires: ['get', 'set', 'delete'],
  async get(context, key, o) {
    const full = prefixedKey(context.prefix, key);
    const text = textOf(await context.call('get', { key: full }, options(o)));
    return text === `Key not found: ${full}` ? undefined : decodeValue(text);
  },
  async set(context, key, value, o: KeyValueSetOptions) {
    await context.call(
      'set',
      {
        key: prefixedKey(context.prefix, key),
        value: encodeValue(value, key),
        ...(o.ttlSeconds !== undefined ? { expireSeconds: o.ttlSeconds } : {}),
      },
      options(o),
    );
  },
  async delete(context, key, o) {
    const text = textOf(
      await context.call('delete', { key: prefixedKey(context.prefix, key) }, options(o)),
    );
    return !/not found|0 key/i.test(text);
  },
  async *list(context, path, o: ListOptions) {
    if (!context.tools.has('list')) return;
    const text = textOf(
      await context.call('list', { pattern: pattern(context, path) }, options(o)),
    );
    for (const line of text.split('\n').slice(1)) {
      if (line.trim() !== '') yield keyEntry(context, line.trim());
    }
  },
});

export const KEYVALUE_DRIVERS = [mcpRedisDriver, serverRedisDriver];
