// parseMCPConfig: validates MCPConfigOptions in one pass (each field, then how fields relate)
// and fills every default. Every problem lands in one McpConfigError; secrets are never shown.
import { isValidServerAlias } from '@tframex/mcp-api';
import { isLoopbackHost } from '../security/is-loopback-host.js';
import { MCPSecurity, type MCPSecurityOptions } from '../security/mcp-security.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { RateLimiter } from '../resilience/rate-limiter.js';
import { compileServerAllowList } from '../security/server-allow-list.js';
import { clientKeyDecrypts } from './client-key-decrypts.js';
import { type ConfigProblem, configError } from './config-problem.js';
import { defaultServerName } from './default-server-name.js';
import { withRedactedConfigViews } from './redacted-config-views.js';
import type { MCPConfig, MCPConfigOptions, MCPTransportType } from './mcp-config.js';
import { MCP_CONFIG_ALIASES, MCPConfigOptionsSchema } from './mcp-config-schema.js';
import { joinField, problemsFromIssues } from './parse-options.js';

export interface ParseMCPConfigSettings {
  /** Prefix of field paths in messages, e.g. `mcpServers.github` (default none). */
  prefix?: string;
  /** What is being validated, for the message (default `MCPConfig`). */
  subject?: string;
}

const HTTP_ONLY_DEFAULTS: ReadonlyArray<[keyof MCPConfigOptions, unknown]> = [
  ['verifySsl', true],
  ['enableCompression', true],
];
const HTTP_ONLY = [
  'apiKey',
  'apiKeyHeader',
  'auth',
  'authMethod',
  'clientCert',
  'clientKey',
  'clientKeyPassphrase',
  'ca',
  'maxConnections',
  'sseFallback',
] as const;
const STDIO_ONLY = ['args', 'env', 'cwd'] as const;
const AUTH_FIELDS: Readonly<
  Record<'bearer' | 'basic' | 'oauth2', ReadonlyArray<keyof MCPConfigOptions>>
> = {
  bearer: ['token'],
  basic: ['username', 'password'],
  oauth2: ['clientId', 'clientSecret', 'refreshToken', 'tokenUrl', 'scopes'],
};
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'mcp-session-id',
  'mcp-protocol-version',
]);

const isPlainSecurity = (value: unknown): value is MCPSecurityOptions =>
  value !== undefined && !MCPSecurity.isInstance(value);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A URL as it may appear in a message: credentials and query masked. */
function safeUrlText(value: unknown): string {
  const text = value instanceof URL ? value.href : String(value);
  return text
    .replace(/\/\/[^/@?#]*@/, '//***@')
    .replace(/\?.*$/, '?…')
    .slice(0, 200);
}

/** Cross-field rules, over the fields that passed their own checks. */
function crossCheck(
  options: MCPConfigOptions,
  add: (problem: ConfigProblem) => void,
  invalid: ReadonlySet<string> = new Set(),
): void {
  const has = (key: keyof MCPConfigOptions) => options[key] !== undefined;
  // A transport given but invalid is reported on its own; it still counts as given here.
  const transports = (['serverUrl', 'command', 'transport'] as const).filter(
    (key) => has(key) || invalid.has(key),
  );
  if (transports.length === 0) {
    add({
      field: 'serverUrl',
      expected:
        'one way to reach the server: serverUrl (HTTP), command (stdio) or transport (in-memory)',
      missing: true,
    });
  } else if (transports.length > 1) {
    add({
      field: transports[1] as string,
      expected: `only one of serverUrl, command and transport (${transports.join(' and ')} were given)`,
      received:
        transports[1] === 'serverUrl'
          ? safeUrlText(options.serverUrl)
          : options[transports[1] as 'command'],
    });
  } else if (has(transports[0] as keyof MCPConfigOptions)) {
    checkTransport(options, transports[0] as 'serverUrl' | 'command' | 'transport', add);
  }
  checkOthers(options, add, invalid);
}

/** Rules that depend on how the server is reached. */
function checkTransport(
  options: MCPConfigOptions,
  kind: 'serverUrl' | 'command' | 'transport',
  add: (problem: ConfigProblem) => void,
): void {
  const has = (key: keyof MCPConfigOptions) => options[key] !== undefined;
  const http = kind === 'serverUrl';

  if (http) {
    let url: URL | undefined;
    try {
      url = new URL(options.serverUrl as string | URL);
    } catch {
      add({
        field: 'serverUrl',
        expected: 'an http:// or https:// URL',
        received: safeUrlText(options.serverUrl),
      });
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
      add({
        field: 'serverUrl',
        expected: 'an http:// or https:// URL',
        received: safeUrlText(options.serverUrl),
        hint: 'for a local process, give command instead',
      });
    }
    if (url && (url.username || url.password)) {
      add({
        field: 'serverUrl',
        expected: 'a URL without user:password@ (it would end up in logs)',
        received: safeUrlText(options.serverUrl),
        hint: "use authMethod 'basic' with username and password",
      });
    }
    if (options.transportType === 'stdio' || options.transportType === 'memory') {
      add({
        field: 'transportType',
        expected: '"streamable-http" or "sse" for a serverUrl',
        received: options.transportType,
      });
    }
    if (options.sseFallback !== undefined && options.transportType === 'sse') {
      add({
        field: 'sseFallback',
        expected: 'sseFallback only with transportType "streamable-http"',
        received: options.sseFallback,
      });
    }
  } else {
    const implied = kind === 'command' ? 'stdio' : 'memory';
    if (options.transportType !== undefined && options.transportType !== implied) {
      add({
        field: 'transportType',
        expected: `"${implied}" (or nothing) with ${kind}`,
        received: options.transportType,
      });
    }
    for (const key of HTTP_ONLY) {
      if (has(key))
        add({
          field: key,
          expected: `${key} only for HTTP servers (serverUrl)`,
          received: options[key],
        });
    }
    for (const [key, fallback] of HTTP_ONLY_DEFAULTS) {
      if (has(key) && options[key] !== fallback) {
        add({
          field: key,
          expected: `${key} only for HTTP servers (serverUrl)`,
          received: options[key],
        });
      }
    }
    if (options.headers !== undefined && Object.keys(options.headers).length > 0) {
      add({
        field: 'headers',
        expected: 'headers only for HTTP servers (serverUrl)',
        received: options.headers,
        hint: kind === 'command' ? 'pass credentials to a stdio server in env' : undefined,
      });
    }
  }
  if (kind !== 'command') {
    for (const key of STDIO_ONLY) {
      if (has(key))
        add({
          field: key,
          expected: `${key} only for stdio servers (command)`,
          received: options[key],
        });
    }
  }
}

/** Rules on naming, authentication, TLS, retries, headers and the security policy. */
function checkOthers(
  options: MCPConfigOptions,
  add: (problem: ConfigProblem) => void,
  invalid: ReadonlySet<string> = new Set(),
): void {
  const has = (key: keyof MCPConfigOptions) => options[key] !== undefined;
  if (options.name !== undefined && !isValidServerAlias(options.name)) {
    add({
      field: 'name',
      expected:
        'a server alias: a letter or digit, then letters, digits, "_", "." or "-", at most 64 in all',
      received: options.name,
    });
  }

  // Authentication: one way at most, and the shorthand's fields with their method only.
  const ways = (['auth', 'authMethod', 'apiKey'] as const).filter(has);
  if (ways.length > 1) {
    add({
      field: ways[1] as string,
      expected: `one way to authenticate (${ways.join(' and ')} were given)`,
      received: ways[1] === 'authMethod' ? options.authMethod : '[given]',
      hint: 'an extra static header can go in headers',
    });
  }
  if (has('apiKeyHeader') && !has('apiKey')) {
    add({
      field: 'apiKeyHeader',
      expected: 'apiKeyHeader only together with apiKey',
      received: options.apiKeyHeader,
    });
  }
  for (const [method, fields] of Object.entries(AUTH_FIELDS)) {
    if (options.authMethod === method) continue;
    for (const field of fields) {
      if (has(field)) {
        add({
          field,
          expected: `${field} only with authMethod '${method}'`,
          received: options[field],
          hint: options.authMethod === undefined ? `set authMethod: '${method}'` : undefined,
        });
      }
    }
  }
  const requireField = (field: keyof MCPConfigOptions, why: string) => {
    if (!has(field)) add({ field, expected: why, missing: true });
  };
  if (options.authMethod === 'bearer') requireField('token', "a token for authMethod 'bearer'");
  if (options.authMethod === 'basic') {
    requireField('username', "a username for authMethod 'basic'");
    requireField('password', "a password for authMethod 'basic'");
  }
  if (options.authMethod === 'oauth2') {
    requireField('clientId', "a clientId for authMethod 'oauth2'");
    requireField('tokenUrl', "a tokenUrl for authMethod 'oauth2'");
    if (!has('clientSecret') && !has('refreshToken')) {
      add({
        field: 'clientSecret',
        expected: "a clientSecret or a refreshToken for authMethod 'oauth2'",
        missing: true,
      });
    }
    if (options.tokenUrl !== undefined) {
      let tokenUrl: URL | undefined;
      try {
        tokenUrl = new URL(options.tokenUrl);
      } catch {
        tokenUrl = undefined;
      }
      const secure =
        tokenUrl &&
        (tokenUrl.protocol === 'https:' ||
          (tokenUrl.protocol === 'http:' && isLoopbackHost(tokenUrl.hostname)));
      if (!secure) {
        add({
          field: 'tokenUrl',
          expected: 'an https:// URL (http:// only for loopback)',
          received: safeUrlText(options.tokenUrl),
        });
      }
    }
  }

  // A certificate or key given but invalid was reported already; it still counts as given.
  const given = (key: 'clientCert' | 'clientKey') => has(key) || invalid.has(key);
  if (given('clientCert') !== given('clientKey')) {
    add({
      field: given('clientCert') ? 'clientKey' : 'clientCert',
      expected: 'clientCert and clientKey together',
      missing: true,
    });
  }
  const passphrase = options.clientKeyPassphrase;
  if (passphrase !== undefined && !given('clientKey')) {
    add({ field: 'clientKeyPassphrase', expected: 'clientKeyPassphrase only with clientKey' });
  } else if (passphrase !== undefined && has('clientKey')) {
    if (!clientKeyDecrypts(options.clientKey!, passphrase))
      add({
        field: 'clientKeyPassphrase',
        expected: 'the passphrase that decrypts clientKey',
        received: passphrase,
        secret: true,
      });
  }
  if (
    options.retryDelayMs !== undefined &&
    options.retryMaxDelayMs !== undefined &&
    options.retryMaxDelayMs < options.retryDelayMs
  ) {
    add({
      field: 'retryMaxDelayMs',
      expected: `at least retryDelayMs (${options.retryDelayMs})`,
      received: options.retryMaxDelayMs,
    });
  }
  if (options.headers) {
    const seen = new Map<string, string>();
    for (const name of Object.keys(options.headers)) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) {
        add({
          field: `headers.${name}`,
          expected: 'a header the client does not manage itself',
          received: name,
        });
      }
      const previous = seen.get(lower);
      if (previous !== undefined) {
        add({
          field: `headers.${name}`,
          expected: `one entry per header name ("${previous}" is the same header)`,
          received: name,
        });
      }
      seen.set(lower, name);
    }
  }
  const allowed = isPlainSecurity(options.security) ? options.security.allowedServers : undefined;
  if (allowed) {
    for (const { index, reason } of compileServerAllowList(allowed).problems) {
      add({
        field: `security.allowedServers.${index}`,
        expected: `a host pattern, URL prefix or command (${reason})`,
        received: allowed[index],
      });
    }
  }
}

/** Fills defaults into options that passed every check. */
function resolve(options: MCPConfigOptions): MCPConfig {
  const transportType: MCPTransportType = options.transport
    ? 'memory'
    : options.command !== undefined
      ? 'stdio'
      : (options.transportType ?? 'streamable-http');
  const http = transportType === 'streamable-http' || transportType === 'sse';
  const securityMax = options.security?.maxResponseBytes;
  const maxResponseBytes =
    options.maxResponseBytes !== undefined && securityMax !== undefined
      ? Math.min(options.maxResponseBytes, securityMax)
      : (options.maxResponseBytes ?? securityMax);
  const rateLimit = RateLimiter.isInstance(options.rateLimit)
    ? options.rateLimit
    : options.rateLimit
      ? {
          maxRequestsPerMinute: options.rateLimit.maxRequestsPerMinute,
          burstSize:
            options.rateLimit.burstSize ??
            Math.max(1, Math.ceil(options.rateLimit.maxRequestsPerMinute / 60)),
        }
      : undefined;
  const scopes =
    typeof options.scopes === 'string'
      ? options.scopes.split(/\s+/).filter(Boolean)
      : options.scopes;
  const config: MCPConfig = {
    name: options.name ?? defaultServerName(options),
    transportType,
    ...(http ? { serverUrl: new URL(options.serverUrl as string | URL).href } : {}),
    ...(transportType === 'streamable-http'
      ? { sseFallback: options.sseFallback ?? options.transportType === undefined }
      : {}),
    ...(transportType === 'stdio'
      ? { command: options.command, args: [...(options.args ?? [])] }
      : {}),
    ...(options.env ? { env: { ...options.env } } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.apiKey !== undefined
      ? { apiKey: options.apiKey, apiKeyHeader: options.apiKeyHeader ?? 'X-API-Key' }
      : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.authMethod ? { authMethod: options.authMethod } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.refreshToken !== undefined ? { refreshToken: options.refreshToken } : {}),
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
    ...(options.tokenUrl !== undefined ? { tokenUrl: options.tokenUrl } : {}),
    ...(scopes !== undefined ? { scopes: [...scopes] } : {}),
    timeoutMs: options.timeoutMs ?? 60_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    retryAttempts: options.retryAttempts ?? 3,
    retryDelayMs: options.retryDelayMs ?? 250,
    retryMaxDelayMs: options.retryMaxDelayMs ?? Math.max(10_000, options.retryDelayMs ?? 0),
    retryJitter: options.retryJitter ?? true,
    retryNonIdempotent: options.retryNonIdempotent ?? false,
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    connectionPoolSize: options.connectionPoolSize ?? 1,
    maxQueuedRequests: options.maxQueuedRequests ?? 1_000,
    verifySsl: options.verifySsl ?? true,
    ...(options.clientCert !== undefined
      ? {
          clientCert: options.clientCert,
          clientKey: options.clientKey,
          ...(options.clientKeyPassphrase !== undefined
            ? { clientKeyPassphrase: options.clientKeyPassphrase }
            : {}),
        }
      : {}),
    ...(options.ca !== undefined
      ? { ca: Array.isArray(options.ca) ? [...options.ca] : options.ca }
      : {}),
    enableCompression: options.enableCompression ?? true,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 0,
    requestProgress: options.requestProgress ?? true,
    protocol: options.protocol ?? 'auto',
    headers: { ...(options.headers ?? {}) },
    ...(rateLimit ? { rateLimit } : {}),
    ...(CircuitBreaker.isInstance(options.circuitBreaker)
      ? { circuitBreaker: options.circuitBreaker }
      : options.circuitBreaker
        ? {
            circuitBreaker: {
              failureThreshold: options.circuitBreaker.failureThreshold ?? 5,
              recoveryTimeoutMs: options.circuitBreaker.recoveryTimeoutMs ?? 30_000,
            },
          }
        : {}),
    ...(options.security
      ? {
          security: MCPSecurity.isInstance(options.security)
            ? options.security
            : { ...options.security },
        }
      : {}),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
  };
  return withRedactedConfigViews(config);
}

/**
 * Every problem of `input` as MCPConfigOptions (field paths under `prefix`), and the options
 * when there are none. What parseMCPConfig throws, as data, so callers can gather the
 * problems of many configs into one error.
 */
export function checkMCPConfig(
  input: unknown,
  prefix?: string,
): { problems: ConfigProblem[]; config: MCPConfig | undefined } {
  if (!isPlainObject(input)) {
    return {
      problems: [
        { field: prefix ?? '', expected: 'an object of MCPConfig options', received: input },
      ],
      config: undefined,
    };
  }
  let parsed: ReturnType<typeof MCPConfigOptionsSchema.safeParse>;
  try {
    parsed = MCPConfigOptionsSchema.safeParse(input, { reportInput: true });
  } catch (error) {
    return {
      problems: [{ field: prefix ?? '', expected: 'plain data options', received: error }],
      config: undefined,
    };
  }
  const problems: ConfigProblem[] = parsed.success
    ? []
    : problemsFromIssues(MCPConfigOptionsSchema, parsed.error.issues, {
        prefix,
        aliases: MCP_CONFIG_ALIASES,
      });
  let valid: MCPConfigOptions;
  if (parsed.success) {
    valid = parsed.data;
  } else {
    // Fields that failed on their own are left out of the cross-field rules.
    const failed = new Set(
      parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys' ? undefined : String(issue.path[0]),
      ),
    );
    const known = new Set(Object.keys(MCPConfigOptionsSchema.shape));
    valid = Object.fromEntries(
      Object.entries(input).filter(([key]) => known.has(key) && !failed.has(key)),
    ) as MCPConfigOptions;
  }
  const invalid = new Set(
    parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[0])),
  );
  crossCheck(
    valid,
    (problem) => problems.push({ ...problem, field: joinField(prefix, [problem.field]) }),
    invalid,
  );
  return { problems, config: problems.length === 0 ? resolve(valid) : undefined };
}

/**
 * Validates `input` as MCPConfigOptions and returns the MCPConfig with every default filled.
 * Any problem (wrong types, unknown options with a "did you mean", fields that do not go
 * together, missing credentials) is reported, all at once, as one McpConfigError naming each
 * field and what was expected; secret values are never shown. Parsing the result again
 * gives it back unchanged.
 */
export function parseMCPConfig(input: unknown, settings: ParseMCPConfigSettings = {}): MCPConfig {
  const { problems, config } = checkMCPConfig(input, settings.prefix);
  if (!config) throw configError(settings.subject ?? 'MCPConfig', problems);
  return config;
}

/**
 * MCPConfig as a zod schema, for embedding in an application's own config schema: field
 * rules, then the cross-field rules, then defaults. `parseMCPConfig` gives friendlier errors
 * (one McpConfigError listing every problem); this gives zod's.
 */
export const MCPConfigSchema = MCPConfigOptionsSchema.superRefine((options, context) => {
  crossCheck(options, (problem) => {
    context.addIssue({
      code: 'custom',
      path: problem.field.split('.'),
      message: problem.expected,
    });
  });
}).transform((options) => resolve(options));
