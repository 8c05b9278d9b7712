// How RedisTokenStore writes a token set into one Redis string: JSON, or with an encryption
// key, AES-256-GCM bound to the Redis key (the key is the additional authenticated data, so a
// value copied under another key does not open). Anything that does not open or parse is an
// McpSecurityError: a credential store never hands back garbage.
import type { StoredTokens } from '@tframex/mcp-auth-api';
import { McpSecurityError } from '@tframex/mcp-api';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as z from 'zod';

const SEALED_PREFIX = 'tfx-aes256gcm.v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const storedTokensSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.string(),
    expiresAt: z.number().optional(),
    refreshToken: z.string().optional(),
    scope: z.string().optional(),
    idToken: z.string().optional(),
    client: z.looseObject({ clientId: z.string(), clientSecret: z.string().optional() }).optional(),
  })
  .loose();

function unreadable(redisKey: string, why: string, cause?: unknown): McpSecurityError {
  return new McpSecurityError(`the tokens under Redis key ${redisKey} ${why}`, {
    rule: 'integrity',
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The Redis value of `tokens` under `redisKey`. */
export function sealTokens(
  tokens: StoredTokens,
  redisKey: string,
  key: Buffer | undefined,
): string {
  const json = JSON.stringify(tokens);
  if (!key) return json;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(redisKey));
  const data = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

/** The token set a Redis value holds; McpSecurityError when it cannot be trusted. */
export function openTokens(value: string, redisKey: string, key: Buffer | undefined): StoredTokens {
  let json: string;
  if (value.startsWith(SEALED_PREFIX)) {
    if (!key) throw unreadable(redisKey, 'are encrypted, and this store has no encryptionKey');
    const raw = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64');
    if (raw.length <= IV_BYTES + TAG_BYTES) throw unreadable(redisKey, 'are truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(redisKey));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      json = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (cause) {
      throw unreadable(
        redisKey,
        'cannot be decrypted: wrong encryptionKey, or the value was modified',
        cause,
      );
    }
  } else {
    // Plain values are refused when a key is set: someone with write access to Redis could
    // otherwise plant tokens of their own.
    if (key) throw unreadable(redisKey, 'are not encrypted, and this store requires encryption');
    json = value;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw unreadable(redisKey, 'are not a stored token set (not JSON)');
  }
  const checked = storedTokensSchema.safeParse(parsed);
  if (!checked.success) throw unreadable(redisKey, 'are not a stored token set');
  return checked.data as StoredTokens;
}
