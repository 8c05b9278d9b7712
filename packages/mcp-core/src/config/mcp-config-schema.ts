// Field-level rules of MCPConfigOptions. Rules that relate fields to each other, and the
// defaults, live in parseMCPConfig, so every problem is found in one pass.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { McpAuthPlugin } from '@tframex/mcp-auth-api';
import { MCPSecurity, MCPSecurityOptionsSchema } from '../security/mcp-security.js';
import type { McpTransportLike } from './mcp-config.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { RateLimiter } from '../resilience/rate-limiter.js';
import { durationMs, optionsOrInstance, wholeNumber } from './option-schemas.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const AUTH_METHODS = ['headers', 'onUnauthorized', 'tls', 'oauthProvider', 'signOut'] as const;
const isAuthPlugin = (value: unknown): value is McpAuthPlugin =>
  isObject(value) &&
  typeof value.name === 'string' &&
  AUTH_METHODS.every((name) => value[name] === undefined || typeof value[name] === 'function');

const noNul = (what: string) =>
  z
    .string({ error: what })
    .refine((text) => !text.includes('\0'), { error: `${what} without NUL characters` });
const nonEmpty = (what: string) =>
  z
    .string({ error: what })
    .min(1)
    .refine((text) => !text.includes('\0'), { error: what });

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
const PEM_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PEM_HINT = 'PEM text (-----BEGIN ...) or the path of a PEM file';

/**
 * PEM text, or the path of a file holding it (read once, here, so the config carries the
 * text and a missing or wrong file is a config error naming the field, not a TLS failure).
 */
const pem = (pattern: RegExp, what: string) =>
  z.string({ error: `${what} as ${PEM_HINT}` }).transform((value, context) => {
    if (pattern.test(value)) return value;
    const expected = `${what} as ${PEM_HINT}`;
    if (value.includes('\n') || value.includes('\0') || value.length > 4096) {
      context.addIssue({ code: 'custom', message: expected, input: value });
      return z.NEVER;
    }
    let text: string;
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      context.addIssue({
        code: 'custom',
        message: `${expected} (${code} reading the file)`,
        input: value,
      });
      return z.NEVER;
    }
    if (!pattern.test(text)) {
      context.addIssue({
        code: 'custom',
        message: `${expected} (the file holds no such PEM block)`,
        input: value,
      });
      return z.NEVER;
    }
    return text;
  });

/** The field-level zod schema of MCPConfigOptions (strict: unknown keys are problems). */
export const MCPConfigOptionsSchema = z.strictObject({
  name: z.string({ error: 'a server alias' }).optional(),

  serverUrl: z
    .union([z.string(), z.instanceof(URL)], { error: 'an http:// or https:// URL' })
    .optional(),
  transportType: z
    .enum(['streamable-http', 'sse', 'stdio', 'memory'], {
      error: '"streamable-http" or "sse" (stdio and memory follow from command and transport)',
    })
    .optional(),
  sseFallback: z.boolean({ error: 'true or false' }).optional(),

  command: nonEmpty('a non-empty command').optional(),
  args: z.array(noNul('a string'), { error: 'a list of strings' }).optional(),
  env: z
    .record(
      z.string().regex(/^[^=\0]+$/, { error: 'variable names without "=" or NUL' }),
      noNul('a string value'),
      { error: 'an object of string values' },
    )
    .optional(),
  cwd: nonEmpty('a directory path').optional(),

  transport: z
    .custom<McpTransportLike>(
      (value) =>
        isObject(value) &&
        ['start', 'send', 'close'].every((name) => typeof value[name] === 'function'),
      { error: 'a transport object with start, send and close methods' },
    )
    .optional(),

  apiKey: nonEmpty('a non-empty API key').optional(),
  apiKeyHeader: z
    .string({ error: 'an HTTP header name' })
    .regex(HEADER_NAME, { error: 'an HTTP header name' })
    .optional(),
  auth: z
    .custom<McpAuthPlugin>(isAuthPlugin, {
      error:
        'an McpAuthPlugin (an object with a string name; headers, onUnauthorized, tls and signOut, when present, are methods)',
    })
    .optional(),
  authMethod: z
    .enum(['bearer', 'basic', 'oauth2'], { error: '"bearer", "basic" or "oauth2"' })
    .optional(),
  token: nonEmpty('a non-empty token').optional(),
  username: z
    .string({ error: 'a user name without ":"' })
    .regex(/^[^:\0\r\n]*$/, { error: 'a user name without ":"' })
    .optional(),
  password: noNul('a password').optional(),
  refreshToken: nonEmpty('a non-empty refresh token').optional(),
  clientId: nonEmpty('a non-empty client id').optional(),
  clientSecret: nonEmpty('a non-empty client secret').optional(),
  tokenUrl: z.string({ error: 'an https:// URL' }).optional(),
  scopes: z
    .union([z.string(), z.array(z.string())], {
      error: 'a list of scopes or a space-separated string',
    })
    .optional(),

  timeoutMs: durationMs(1).optional(),
  connectTimeoutMs: durationMs(1).optional(),
  retryAttempts: wholeNumber(0, 100).optional(),
  retryDelayMs: durationMs(0).optional(),
  retryMaxDelayMs: durationMs(0).optional(),
  retryJitter: z.boolean({ error: 'true or false' }).optional(),
  retryNonIdempotent: z.boolean({ error: 'true or false' }).optional(),

  maxConnections: wholeNumber(1, 10_000, 'connections').optional(),
  connectionPoolSize: wholeNumber(1, 1_000, 'sessions').optional(),
  maxQueuedRequests: wholeNumber(0, 10_000_000, 'requests').optional(),

  verifySsl: z.boolean({ error: 'true or false' }).optional(),
  clientCert: pem(PEM, 'a certificate').optional(),
  clientKey: pem(PEM_KEY, 'a private key').optional(),
  clientKeyPassphrase: z
    .string({ error: 'the passphrase of clientKey, as text' })
    .min(1, { error: 'the passphrase of clientKey, as text' })
    .optional(),
  ca: z
    .union([pem(PEM, 'a certificate'), z.array(pem(PEM, 'a certificate'))], {
      error: `one or more certificates as ${PEM_HINT}`,
    })
    .optional(),
  enableCompression: z.boolean({ error: 'true or false' }).optional(),
  requestProgress: z.boolean({ error: 'true or false' }).optional(),
  keepaliveIntervalMs: durationMs(0)
    .refine((ms) => ms === 0 || ms >= 1_000, { error: '0 (off) or at least 1000 milliseconds' })
    .optional(),
  protocol: z
    .enum(['auto', 'legacy', 'modern'], { error: '"auto", "legacy" or "modern"' })
    .optional(),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, { error: 'HTTP header names' }),
      z.string({ error: 'a header value' }).regex(/^[^\r\n\0]*$/, {
        error: 'a header value without CR, LF or NUL',
      }),
      { error: 'an object of header names to string values' },
    )
    .optional(),

  rateLimit: optionsOrInstance(
    RateLimiter.isInstance,
    z.strictObject(
      {
        maxRequestsPerMinute: z
          .number({ error: 'a positive number of requests per minute' })
          .positive()
          .max(1e9),
        burstSize: wholeNumber(1, 1_000_000_000, 'requests').optional(),
      },
      { error: 'rate limit options: { maxRequestsPerMinute, burstSize? }' },
    ),
    'a RateLimitHandler (shared by the clients given it), or rate limit options: { maxRequestsPerMinute, burstSize? }',
  ).optional(),
  circuitBreaker: optionsOrInstance(
    CircuitBreaker.isInstance,
    z.strictObject(
      {
        failureThreshold: wholeNumber(1, 1_000_000).optional(),
        recoveryTimeoutMs: durationMs(0).optional(),
      },
      { error: 'circuit breaker options: { failureThreshold?, recoveryTimeoutMs? }' },
    ),
    'an MCPCircuitBreaker (shared by the clients given it), or circuit breaker options: { failureThreshold?, recoveryTimeoutMs? }',
  ).optional(),
  security: optionsOrInstance(
    MCPSecurity.isInstance,
    MCPSecurityOptionsSchema,
    'an MCPSecurity, or MCPSecurityOptions as a plain object',
  ).optional(),
  maxResponseBytes: wholeNumber(1, Number.MAX_SAFE_INTEGER, 'bytes').optional(),
});

/** Names people write for MCPConfig options, normalised (lower case, no `_`/`-`). */
export const MCP_CONFIG_ALIASES: Readonly<Record<string, string>> = {
  url: 'serverUrl',
  uri: 'serverUrl',
  endpoint: 'serverUrl',
  server: 'serverUrl',
  type: 'transportType',
  cmd: 'command',
  arguments: 'args',
  environment: 'env',
  workingdirectory: 'cwd',
  apikeyheadername: 'apiKeyHeader',
  bearertoken: 'token',
  accesstoken: 'token',
  user: 'username',
  retries: 'retryAttempts',
  maxretries: 'retryAttempts',
  jitter: 'retryJitter',
  poolsize: 'connectionPoolSize',
  sslverify: 'verifySsl',
  verifytls: 'verifySsl',
  rejectunauthorized: 'verifySsl',
  cert: 'clientCert',
  key: 'clientKey',
  passphrase: 'clientKeyPassphrase',
  keypassphrase: 'clientKeyPassphrase',
  compression: 'enableCompression',
  keepalive: 'keepaliveIntervalMs',
  protocolversion: 'protocol',
  ratelimiter: 'rateLimit',
  breaker: 'circuitBreaker',
  burst: 'burstSize',
  rpm: 'maxRequestsPerMinute',
};
