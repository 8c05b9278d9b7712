// What every store of this package does the same way: check its options (an McpConfigError
// naming the field), run a Lua script by its SHA (loading it once after Redis lost its
// scripts), and word the notice of an operation that went to the local fallback store.
import { McpConfigError } from '@tframex/mcp-api';
import type * as z from 'zod';
import type { RedisClient } from './redis-connection.js';

/** Parses `value` with `schema`, or throws an McpConfigError naming the first bad field. */
export function parseStoreOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || where;
  throw new McpConfigError(`Invalid ${where} ${field}: ${issue.message}`, {
    field,
    expected: issue.message,
  });
}

/** A Lua script and its SHA-1. */
export interface RedisScript {
  source: string;
  sha: string;
}

/** One EVALSHA; once after Redis lost its scripts (NOSCRIPT), one EVAL. `tail`: numkeys, keys, args. */
export async function evalScript(
  client: RedisClient,
  script: RedisScript,
  tail: string[],
): Promise<unknown> {
  try {
    return await client.sendCommand(['EVALSHA', script.sha, ...tail]);
  } catch (error) {
    if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
    return await client.sendCommand(['EVAL', script.source, ...tail]);
  }
}

/** The error `onError` is told of when `op` went to the fallback store. */
export function fallbackNotice(store: string, cause: unknown, op: string): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new Error(`${store}: ${op} went to the local fallback store (${message})`, { cause });
}
