// RedisTokenStore's options, and the schema they are checked with once, at construction.
import { McpConfigError } from '@tframex/mcp-api';
import * as z from 'zod';
import type { RedisConnectionOptions } from '../connection/redis-connection.js';

export interface RedisTokenStoreOptions extends RedisConnectionOptions {
  /** Prepended to every key (default `tframex:oauth:`): `<prefix>token:<key>`, `<prefix>lock:<key>`. */
  keyPrefix?: string;
  /**
   * 32 random bytes: token sets are then stored encrypted (AES-256-GCM, bound to their Redis
   * key), and a value that is not encrypted under this key is refused (`McpSecurityError`).
   */
  encryptionKey?: Uint8Array;
  /**
   * How long an entry that must outlive its access token is kept after its last write: one with
   * a refresh token, a registered client, or no known expiry (default 30 days).
   */
  retainMs?: number;
  /** How long an entry with only an access token is kept past its expiry (default 5 minutes). */
  expiryGraceMs?: number;
  /** Polling step while waiting for a lock: starts here and doubles up to 250 ms (default 10). */
  lockPollMs?: number;
  /** Told about every Redis failure (default console.warn); the failing call also rejects. */
  onError?: (error: unknown) => void;
  /** The clock TTLs are computed by, epoch ms (default Date.now). */
  now?: () => number;
}

const positiveMs = z.number().int().positive();

const schema = z.object({
  url: z.string().optional(),
  client: z.unknown().optional(),
  connectTimeoutMs: z.number().positive().optional(),
  commandTimeoutMs: z.number().positive().optional(),
  keyPrefix: z.string().optional(),
  encryptionKey: z
    .instanceof(Uint8Array, { error: '32 bytes (a Uint8Array or Buffer)' })
    .refine((value) => value.byteLength === 32, { error: 'exactly 32 bytes (AES-256)' })
    .optional(),
  retainMs: positiveMs.optional(),
  expiryGraceMs: z.number().int().min(0).optional(),
  lockPollMs: positiveMs.optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
});

export type ParsedRedisTokenStoreOptions = z.output<typeof schema>;

export function parseRedisTokenStoreOptions(options: unknown): ParsedRedisTokenStoreOptions {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'options';
  // Never echo a value: the encryption key (or a URL with a password) could be in it.
  throw new McpConfigError(`Invalid RedisTokenStore options ${field}: ${issue.message}`, {
    field,
    expected: issue.message,
  });
}
