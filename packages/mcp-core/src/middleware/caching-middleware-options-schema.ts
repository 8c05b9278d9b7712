// The options of cachingMiddleware, checked once when the middleware is made: a store or
// cipher that cannot do its job is a config error then, not a failure on the first hit.
import { z } from 'zod';
import { callable, durationMs, plainOptions } from '../config/option-schemas.js';

const hasMethods = (value: unknown, names: readonly string[]) =>
  typeof value === 'object' &&
  value !== null &&
  names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/** An MCPSecurity without `encryptionKey` has the methods of a cipher but cannot encrypt. */
const canEncrypt = (value: unknown) => (value as { canEncrypt?: unknown }).canEncrypt !== false;

export const CachingMiddlewareOptionsSchema = plainOptions(
  z.strictObject({
    ttlMs: durationMs(0).optional(),
    methods: z.array(z.string(), { error: 'a list of MCP method names' }).optional(),
    tools: z.array(z.string(), { error: 'a list of tool names' }).optional(),
    honourServerHints: z.boolean({ error: 'true or false' }).optional(),
    store: z
      .custom((value) => hasMethods(value, ['get', 'set', 'delete', 'clear']), {
        error: 'a CacheStore (an object with get, set, delete and clear)',
      })
      .optional(),
    cipher: z
      .custom((value) => hasMethods(value, ['encrypt', 'decryptString']) && canEncrypt(value), {
        error:
          'a CacheCipher (encrypt and decryptString), e.g. an MCPSecurity with an encryptionKey',
      })
      .optional(),
    now: callable<() => number>('a function returning milliseconds').optional(),
    onError: callable<(error: unknown) => void>('a function taking an error').optional(),
  }),
  'cachingMiddleware options as a plain object',
);
