import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { McpConfigError } from '@tframex/mcp-api';
import type { MCPConfigOptions } from './mcp-config.js';
import { MCPConfigSchema, parseMCPConfig } from './parse-mcp-config.js';

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

function configErrorOf(input: unknown): McpConfigError {
  try {
    parseMCPConfig(input);
  } catch (error) {
    if (McpConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an McpConfigError');
}
/** The field of every problem the error lists. */
const fieldsOf = (error: McpConfigError): string[] => {
  const fields =
    error.cause instanceof AggregateError
      ? error.cause.errors.map((each: McpConfigError) => each.field as string)
      : [error.field as string];
  // `issues` lists the same problems, for tools that show them one by one.
  expect(error.issues.map((issue) => issue.field)).toEqual(fields);
  return fields;
};

describe('parseMCPConfig', () => {
  it('fills every default for an HTTP server', () => {
    expect(parseMCPConfig({ serverUrl: 'https://api.example.com/mcp' })).toEqual({
      name: 'api.example.com',
      transportType: 'streamable-http',
      serverUrl: 'https://api.example.com/mcp',
      sseFallback: true,
      timeoutMs: 60_000,
      connectTimeoutMs: 10_000,
      retryAttempts: 3,
      retryDelayMs: 250,
      retryMaxDelayMs: 10_000,
      retryJitter: true,
      retryNonIdempotent: false,
      connectionPoolSize: 1,
      maxQueuedRequests: 1_000,
      verifySsl: true,
      enableCompression: true,
      keepaliveIntervalMs: 0,
      requestProgress: true,
      protocol: 'auto',
      headers: {},
    });
  });

  it('takes an explicit transport type without SSE fallback, and SSE', () => {
    expect(
      parseMCPConfig({
        serverUrl: new URL('http://127.0.0.1:3000/mcp'),
        transportType: 'streamable-http',
      }),
    ).toMatchObject({
      serverUrl: 'http://127.0.0.1:3000/mcp',
      sseFallback: false,
      name: '127.0.0.1',
    });
    const sse = parseMCPConfig({ serverUrl: 'https://x.example/sse', transportType: 'sse' });
    expect(sse.transportType).toBe('sse');
    expect(sse.sseFallback).toBeUndefined();
  });

  it('names stdio servers after what they run', () => {
    const name = (command: string, args: string[] = []) => parseMCPConfig({ command, args }).name;
    expect(name('npx', ['-y', '@modelcontextprotocol/server-everything'])).toBe(
      'server-everything',
    );
    expect(name('uvx', ['mcp-server-fetch@1.2.0'])).toBe('mcp-server-fetch');
    expect(name('docker', ['run', '-i', '--rm', 'mcp/github:latest'])).toBe('github');
    expect(name('python', ['./servers/weather.py'])).toBe('weather');
    expect(name('/usr/local/bin/my-server')).toBe('my-server');
    expect(name('node', ['--inspect', 'dist/index.js'])).toBe('index');
    expect(parseMCPConfig({ serverUrl: 'http://[::1]:8080/' }).name).toBe('localhost');
  });

  it('fills stdio defaults and keeps the process settings', () => {
    const config = parseMCPConfig({
      command: 'mcp-server-memory',
      env: { MEMORY_FILE_PATH: '/tmp/m.json' },
      cwd: '/tmp',
    });
    expect(config).toMatchObject({
      transportType: 'stdio',
      command: 'mcp-server-memory',
      args: [],
      env: { MEMORY_FILE_PATH: '/tmp/m.json' },
      cwd: '/tmp',
    });
    expect(config.serverUrl).toBeUndefined();
  });

  it('accepts an in-memory transport structurally and keeps the same object', () => {
    const [clientSide] = InMemoryTransport.createLinkedPair();
    const config = parseMCPConfig({ transport: clientSide, name: 'mem' });
    expect(config.transport).toBe(clientSide);
    expect(config.transportType).toBe('memory');
    expect(fieldsOf(configErrorOf({ transport: { start: () => Promise.resolve() } }))).toEqual([
      'transport',
    ]);
  });

  it('round-trips: parsing a parsed config gives it back', () => {
    const config = parseMCPConfig({
      serverUrl: 'https://api.example.com/mcp',
      apiKey: 'k-123',
      rateLimit: { maxRequestsPerMinute: 120 },
      circuitBreaker: {},
      security: { allowedServers: ['*.example.com'], maxResponseBytes: 1_000 },
      maxResponseBytes: 5_000,
    });
    expect(config).toMatchObject({
      apiKeyHeader: 'X-API-Key',
      rateLimit: { maxRequestsPerMinute: 120, burstSize: 2 },
      circuitBreaker: { failureThreshold: 5, recoveryTimeoutMs: 30_000 },
      maxResponseBytes: 1_000,
    });
    expect(parseMCPConfig(config)).toEqual(config);
  });

  it('lists every problem in one error, each naming its field', () => {
    const error = configErrorOf({
      serverUrl: 'https://x.example',
      timeoutMs: -1,
      retryAttempts: 2.5,
      protocol: 'newest',
      keepaliveIntervalMs: 500,
    });
    expect(fieldsOf(error).sort()).toEqual([
      'keepaliveIntervalMs',
      'protocol',
      'retryAttempts',
      'timeoutMs',
    ]);
    expect(error.message).toMatch(/4 problems/);
    expect(error.message).toMatch(
      /timeoutMs: expected a whole number of milliseconds from 1 to 2147483647, received -1/,
    );
    expect(error.message).toMatch(
      /protocol: expected "auto", "legacy" or "modern", received "newest"/,
    );
  });

  it('rejects unknown options with a "did you mean"', () => {
    const error = configErrorOf({ url: 'https://x.example', timeout: 5_000, retry_delay_ms: 10 });
    expect(error.message).toMatch(
      /url: expected no such option, received "https:\/\/x.example" \(did you mean "serverUrl"\?\)/,
    );
    expect(error.message).toMatch(/timeout: .*did you mean "timeoutMs"/);
    expect(error.message).toMatch(/retry_delay_ms: .*did you mean "retryDelayMs"/);
  });

  it('never shows secrets, whatever the problem', () => {
    const secrets = {
      apiKey: 'sk-SECRET-1',
      api_key: 'SECRET-2',
      authMethod: 'basic',
      username: 'ann',
      password: 42,
      clientKey: 'SECRET-3 not pem',
      env: { GITHUB_TOKEN: 7 },
      serverUrl: 'https://ann:SECRET-4@x.example/mcp?token=SECRET-5',
      security: { signingKey: 'SECRET-6' },
    };
    const error = configErrorOf(secrets);
    expect(error.message).not.toMatch(/SECRET|\b42\b/);
    for (const each of error.cause instanceof AggregateError ? error.cause.errors : []) {
      expect(JSON.stringify((each as McpConfigError).received ?? null)).not.toMatch(/SECRET/);
    }
  });

  it('needs exactly one way to reach the server', () => {
    expect(fieldsOf(configErrorOf({}))).toEqual(['serverUrl']);
    expect(configErrorOf({ serverUrl: 'https://x.example', command: 'npx' }).message).toMatch(
      /only one of serverUrl, command and transport/,
    );
    expect(fieldsOf(configErrorOf({ serverUrl: 'file:///tmp/x' }))).toEqual(['serverUrl']);
    expect(fieldsOf(configErrorOf({ serverUrl: 'not a url' }))).toEqual(['serverUrl']);
    expect(fieldsOf(configErrorOf({ command: 'npx', transportType: 'sse' }))).toEqual([
      'transportType',
    ]);
  });

  it('keeps HTTP options away from stdio servers and process options away from HTTP ones', () => {
    expect(
      fieldsOf(
        configErrorOf({ command: 'npx', headers: { 'X-A': '1' }, apiKey: 'k', verifySsl: false }),
      ).sort(),
    ).toEqual(['apiKey', 'headers', 'verifySsl']);
    expect(
      fieldsOf(configErrorOf({ serverUrl: 'https://x.example', args: ['a'], cwd: '/tmp' })).sort(),
    ).toEqual(['args', 'cwd']);
  });

  it('checks the auth shorthand', () => {
    expect(
      fieldsOf(configErrorOf({ serverUrl: 'https://x.example', authMethod: 'bearer' })),
    ).toEqual(['token']);
    const orphan = configErrorOf({ serverUrl: 'https://x.example', token: 't' });
    expect(orphan.message).toMatch(
      /token: expected token only with authMethod 'bearer'.*set authMethod: 'bearer'/,
    );
    expect(
      fieldsOf(
        configErrorOf({
          serverUrl: 'https://x.example',
          apiKey: 'k',
          authMethod: 'bearer',
          token: 't',
        }),
      ),
    ).toEqual(['apiKey']);
    expect(
      fieldsOf(configErrorOf({ serverUrl: 'https://x.example', authMethod: 'oauth2' })).sort(),
    ).toEqual(['clientId', 'clientSecret', 'tokenUrl']);
    expect(
      fieldsOf(
        configErrorOf({
          serverUrl: 'https://x.example',
          authMethod: 'oauth2',
          clientId: 'c',
          clientSecret: 's',
          tokenUrl: 'http://auth.example/token',
        }),
      ),
    ).toEqual(['tokenUrl']);
    expect(
      fieldsOf(configErrorOf({ serverUrl: 'https://x.example', apiKeyHeader: 'X-Key' })),
    ).toEqual(['apiKeyHeader']);
    expect(
      parseMCPConfig({
        serverUrl: 'https://x.example',
        authMethod: 'oauth2',
        clientId: 'c',
        refreshToken: 'r',
        tokenUrl: 'http://127.0.0.1:9/token',
        scopes: ['a'],
      }).scopes,
    ).toEqual(['a']);
  });

  it('checks TLS material and headers', () => {
    expect(
      fieldsOf(configErrorOf({ serverUrl: 'https://x.example', clientCert: PEM_CERT })),
    ).toEqual(['clientKey']);
    expect(
      configErrorOf({ serverUrl: 'https://x.example', ca: '/etc/ssl/ca.pem' }).message,
    ).toMatch(/or the path of a PEM file/);
    expect(
      parseMCPConfig({
        serverUrl: 'https://x.example',
        clientCert: PEM_CERT,
        clientKey: PEM_KEY,
        ca: [PEM_CERT],
      }).ca,
    ).toEqual([PEM_CERT]);
    const headers = configErrorOf({
      serverUrl: 'https://x.example',
      headers: { 'X-Ok': 'a\r\nInjected: 1', 'bad name': 'v' },
    });
    expect(fieldsOf(headers).sort()).toEqual(['headers.X-Ok', 'headers.bad name']);
    const managed = configErrorOf({
      serverUrl: 'https://x.example',
      headers: { 'Mcp-Session-Id': 'x', 'x-a': '1', 'X-A': '2' },
    });
    expect(fieldsOf(managed).sort()).toEqual(['headers.Mcp-Session-Id', 'headers.X-A']);
  });

  it('validates nested options, including the security policy', () => {
    const error = configErrorOf({
      serverUrl: 'https://x.example',
      rateLimit: { maxRequestsPerMinute: 0, burst: 3 },
      circuitBreaker: { failureThreshold: 0 },
      security: { allowedServers: ['ok.example', 'not valid'], encryptTransprt: true },
    });
    expect(fieldsOf(error).sort()).toEqual([
      'circuitBreaker.failureThreshold',
      'rateLimit.burst',
      'rateLimit.maxRequestsPerMinute',
      'security.allowedServers.1',
      'security.encryptTransprt',
    ]);
    expect(error.message).toMatch(/rateLimit.burst: .*did you mean "burstSize"/);
    expect(error.message).toMatch(/security.encryptTransprt: .*did you mean "encryptTransport"/);
    expect(
      fieldsOf(
        configErrorOf({
          serverUrl: 'https://x.example',
          security: { allowedServers: ['not valid'] },
        }),
      ),
    ).toEqual(['security.allowedServers.0']);
  });

  it('refuses anything but an object, and invalid names', () => {
    for (const input of [null, 'https://x.example', 42, [], undefined]) {
      expect(configErrorOf(input).message).toMatch(/expected an object of MCPConfig options/);
    }
    expect(fieldsOf(configErrorOf({ serverUrl: 'https://x.example', name: 'has space' }))).toEqual([
      'name',
    ]);
  });

  it('also works as a zod schema', () => {
    expect(MCPConfigSchema.parse({ command: 'npx', args: ['-y', 'pkg'] }).name).toBe('pkg');
    expect(MCPConfigSchema.safeParse({ serverUrl: 'https://x.example', token: 't' }).success).toBe(
      false,
    );
  });
});

describe('parseMCPConfig properties', () => {
  const durations = fc.integer({ min: 1, max: 2_147_483_647 });
  const httpOptions = fc
    .record(
      {
        serverUrl: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }),
        transportType: fc.constantFrom<'streamable-http' | 'sse'>('streamable-http', 'sse'),
        timeoutMs: durations,
        connectTimeoutMs: durations,
        retryAttempts: fc.integer({ min: 0, max: 100 }),
        retryJitter: fc.boolean(),
        connectionPoolSize: fc.integer({ min: 1, max: 1_000 }),
        maxQueuedRequests: fc.nat(10_000_000),
        protocol: fc.constantFrom<'auto' | 'legacy' | 'modern'>('auto', 'legacy', 'modern'),
        keepaliveIntervalMs: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1_000, max: 2_147_483_647 }),
        ),
        headers: fc.dictionary(
          fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/),
          fc.stringMatching(/^[ -~]{0,20}$/),
          { maxKeys: 3 },
        ),
        apiKey: fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !key.includes('\0')),
        rateLimit: fc.record({ maxRequestsPerMinute: fc.integer({ min: 1, max: 10_000 }) }),
        maxResponseBytes: fc.integer({ min: 1, max: 2 ** 40 }),
      },
      { requiredKeys: ['serverUrl'] },
    )
    .filter((options) => {
      const names = Object.keys(options.headers ?? {}).map((name) => name.toLowerCase());
      return new Set(names).size === names.length;
    });
  const stdioOptions = fc.record(
    {
      command: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
      args: fc.array(
        fc.string({ maxLength: 10 }).filter((arg) => !arg.includes('\0')),
        { maxLength: 4 },
      ),
      env: fc.dictionary(
        fc.stringMatching(/^[A-Z_]{1,8}$/),
        fc.string({ maxLength: 10 }).filter((value) => !value.includes('\0')),
      ),
      retryDelayMs: fc.integer({ min: 0, max: 10_000 }),
    },
    { requiredKeys: ['command'] },
  );

  it('valid configs parse, keep what was given, and round-trip', () => {
    fc.assert(
      fc.property(fc.oneof(httpOptions, stdioOptions), (options: MCPConfigOptions) => {
        const config = parseMCPConfig(options);
        for (const [key, value] of Object.entries(options)) {
          if (key === 'serverUrl' || key === 'rateLimit') continue;
          expect(config[key as keyof typeof config]).toEqual(value);
        }
        expect(parseMCPConfig(config)).toEqual(config);
      }),
      { numRuns: 300 },
    );
  });

  const known = [
    'name',
    'serverUrl',
    'transportType',
    'command',
    'args',
    'env',
    'transport',
    'apiKey',
    'authMethod',
    'token',
    'timeoutMs',
    'retryAttempts',
    'headers',
    'rateLimit',
    'circuitBreaker',
    'security',
    'clientCert',
    'scopes',
  ];

  it('garbage never throws anything but McpConfigError, and never echoes a secret', () => {
    const secret = 'S3CRET-value';
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withNullPrototype: true, withObjectString: true, withBigInt: true }),
          fc.dictionary(fc.constantFrom(...known), fc.anything({ withBigInt: true }), {
            maxKeys: 6,
          }),
        ),
        fc.boolean(),
        (garbage, withSecret) => {
          const input =
            withSecret && typeof garbage === 'object' && garbage !== null && !Array.isArray(garbage)
              ? { ...garbage, apiKey: secret, token: { nested: secret } }
              : garbage;
          try {
            parseMCPConfig(input);
          } catch (error) {
            expect(McpConfigError.isInstance(error)).toBe(true);
            expect((error as Error).message).not.toContain(secret);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
