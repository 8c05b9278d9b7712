import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConfigError } from '@tframex/mcp-api';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { createAuthPluginFromConfig } from './create-auth-plugin-from-config.js';
import { parseMCPConfig } from './parse-mcp-config.js';
import { redactMCPConfig } from './redact-mcp-config.js';
import { tlsMaterialFromConfig } from './tls-material-from-config.js';

let server: Server;
let url: string;
beforeAll(async () => {
  // Echoes the credentials it receives.
  server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        authorization: request.headers.authorization,
        apiKey: request.headers['x-api-key'],
        custom: request.headers['x-token'],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function sentWith(options: Record<string, unknown>) {
  const plugin = createAuthPluginFromConfig(parseMCPConfig({ serverUrl: url, ...options }));
  if (!plugin) return undefined;
  const response = await createAuthFetch(plugin)(url);
  return { name: plugin.name, received: (await response.json()) as Record<string, string> };
}

describe('createAuthPluginFromConfig', () => {
  it('sends an API key in its header', async () => {
    expect(await sentWith({ apiKey: 'k-1' })).toEqual({
      name: 'api-key',
      received: { apiKey: 'k-1' },
    });
    expect(await sentWith({ apiKey: 'k-2', apiKeyHeader: 'X-Token' })).toEqual({
      name: 'api-key',
      received: { custom: 'k-2' },
    });
  });

  it('sends bearer and basic credentials', async () => {
    expect(await sentWith({ authMethod: 'bearer', token: 't-1' })).toEqual({
      name: 'bearer',
      received: { authorization: 'Bearer t-1' },
    });
    const basic = await sentWith({ authMethod: 'basic', username: 'ann', password: 'pässword' });
    expect(basic?.received.authorization).toBe(
      `Basic ${Buffer.from('ann:pässword', 'utf8').toString('base64')}`,
    );
  });

  it('passes a given plugin through and returns undefined without auth', async () => {
    const plugin = { name: 'custom' };
    expect(createAuthPluginFromConfig(parseMCPConfig({ serverUrl: url, auth: plugin }))).toBe(
      plugin,
    );
    expect(await sentWith({})).toBeUndefined();
  });

  it('needs a factory for OAuth2, and hands it the shorthand fields', () => {
    const config = parseMCPConfig({
      serverUrl: url,
      authMethod: 'oauth2',
      clientId: 'c',
      clientSecret: 's',
      tokenUrl: 'https://auth.example/token',
      scopes: 'a b',
      name: 'api',
    });
    expect(() => createAuthPluginFromConfig(config)).toThrow(McpConfigError);
    expect(() => createAuthPluginFromConfig(config)).toThrow(/new OAuth2Auth/);
    const seen: unknown[] = [];
    const plugin = createAuthPluginFromConfig(config, {
      oauth2: (options) => (seen.push(options), { name: 'oauth2' }),
    });
    expect(plugin?.name).toBe('oauth2');
    expect(seen).toEqual([
      {
        clientId: 'c',
        clientSecret: 's',
        tokenUrl: 'https://auth.example/token',
        scopes: ['a', 'b'],
        server: 'api',
      },
    ]);
  });
});

describe('tlsMaterialFromConfig and redactMCPConfig', () => {
  const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  const key = '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----';

  it('maps TLS options to McpTlsMaterial', () => {
    const config = parseMCPConfig({
      serverUrl: 'https://x.example',
      clientCert: cert,
      clientKey: key,
      ca: cert,
      verifySsl: false,
    });
    expect(tlsMaterialFromConfig(config)).toEqual({
      cert,
      key,
      ca: cert,
      rejectUnauthorized: false,
    });
    expect(
      tlsMaterialFromConfig(parseMCPConfig({ serverUrl: 'https://x.example' })),
    ).toBeUndefined();
  });

  it('redacts every secret for logging', () => {
    const config = parseMCPConfig({
      serverUrl: 'https://x.example/mcp?key=abc',
      authMethod: 'basic',
      username: 'ann',
      password: 'p4ss',
      headers: { 'X-Trace': 'on', Authorization: 'Bearer zzz' },
      clientCert: cert,
      clientKey: key,
      security: { signingKey: 's'.repeat(32) },
    });
    const redacted = JSON.stringify(redactMCPConfig(config));
    for (const secret of ['p4ss', 'zzz', 'MHc', 'sssss', 'key=abc'])
      expect(redacted).not.toContain(secret);
    expect(redacted).toContain('"username":"ann"');
    expect(redacted).toContain('"X-Trace":"on"');
    const stdio = redactMCPConfig(
      parseMCPConfig({
        command: 'srv',
        args: ['--api-key', 'k1', '--token=t1', 'postgres://u:pw@db/x', '--verbose'],
        env: { GITHUB_TOKEN: 'g', MODE: 'dev' },
      }),
    );
    expect(stdio.args).toEqual([
      '--api-key',
      '[redacted]',
      '--token=[redacted]',
      'postgres://***@db/x',
      '--verbose',
    ]);
    expect(stdio.env).toEqual({ GITHUB_TOKEN: '[redacted]', MODE: 'dev' });
  });
});
