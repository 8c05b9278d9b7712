// No secret reaches console.log, util.inspect, JSON.stringify or a template string of any
// public object of this package: clients, their settings, parsed configs, registries,
// discovery, the security policy, errors. Walked with findSecretLeaks (mcp-testing).
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCertificates, findSecretLeaks } from '@tframex/mcp-testing';
import { MCPClient } from '../client/mcp-client.js';
import { parseMCPConfig } from '../config/parse-mcp-config.js';
import { parseMcpServersConfig } from '../config/load-mcp-servers-config.js';
import { MCPServers } from '../registry/mcp-servers.js';
import { MCPServiceDiscovery } from '../registry/mcp-service-discovery.js';
import { MCPSecurity } from './mcp-security.js';

const API_KEY = 'sk-api-key-0123456789';
const TOKEN = 'bearer-token-0123456789';
const PASSWORD = 'pass-word-0123456789';
const SIGNING_KEY = 'signing-key-0123456789-0123456789-abc';
const ENCRYPTION_KEY = 'encryption-passphrase-0123';
const ENV_SECRET = 'env-secret-0123456789';
const ARG_SECRET = 'arg-secret-0123456789';
const CLIENT_SECRET = 'client-secret-0123456789';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function leaks(root: unknown, secrets: string[]) {
  return findSecretLeaks(root, secrets).map((leak) => `${leak.path} (${leak.view})`);
}

describe('no secret in printed public objects', () => {
  it('an MCPClient over mutual TLS with a header credential and a signing key', async () => {
    const certs = createTestCertificates();
    closers.push(async () => certs.remove());
    // An unencrypted key (the client's own is encrypted with a passphrase).
    const key = certs.read(certs.rogueKeyFile);
    const security = new MCPSecurity({ signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY });
    const client = new MCPClient({
      serverUrl: 'https://127.0.0.1:9/mcp',
      clientCert: certs.read(certs.rogueCertFile),
      clientKey: key,
      ca: certs.read(certs.caFile),
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Trace': 'visible' },
      apiKey: API_KEY,
      security,
    });
    closers.push(() => client.close());
    const keyBody = key.split('\n')[1]!;
    expect(leaks(client, [keyBody, TOKEN, API_KEY, SIGNING_KEY, ENCRYPTION_KEY])).toEqual([]);
    expect(JSON.stringify(client.settings)).toContain('visible');
  });

  it('an MCPClient of a stdio server with secrets in env and args, and basic auth config', () => {
    const client = new MCPClient({
      command: 'node',
      args: ['server.js', `--api-key=${ARG_SECRET}`],
      env: { GITHUB_TOKEN: ENV_SECRET, LOG_LEVEL: 'debug' },
      security: { signingKey: SIGNING_KEY },
    });
    closers.push(() => client.close());
    expect(leaks(client, [ARG_SECRET, ENV_SECRET, SIGNING_KEY])).toEqual([]);
    const basic = new MCPClient({
      serverUrl: 'https://mcp.example.com/mcp',
      authMethod: 'basic',
      username: 'ada',
      password: PASSWORD,
    });
    closers.push(() => basic.close());
    expect(leaks(basic, [PASSWORD, Buffer.from(`ada:${PASSWORD}`).toString('base64')])).toEqual([]);
  });

  it('parsed configs, server maps, registries and discovery', async () => {
    const options = {
      serverUrl: 'https://mcp.example.com/mcp',
      authMethod: 'bearer' as const,
      token: TOKEN,
      headers: { 'X-API-Key': API_KEY },
      security: { signingKey: SIGNING_KEY },
    };
    expect(leaks(parseMCPConfig(options), [TOKEN, API_KEY, SIGNING_KEY])).toEqual([]);
    const file = parseMcpServersConfig({
      mcpServers: {
        db: { command: 'node', args: ['db.js'], env: { DB_PASSWORD: ENV_SECRET } },
        api: {
          url: 'https://api.example.com/mcp',
          headers: { Authorization: `Bearer ${TOKEN}` },
        },
      },
    });
    expect(leaks(file, [ENV_SECRET, TOKEN])).toEqual([]);
    const servers = new MCPServers({
      servers: { api: options, db: { command: 'node', env: { DB_PASSWORD: ENV_SECRET } } },
    });
    closers.push(() => servers.close());
    expect(leaks(servers, [TOKEN, API_KEY, SIGNING_KEY, ENV_SECRET])).toEqual([]);
    const discovery = MCPServiceDiscovery.fromList({
      api: {
        ...options,
        authMethod: 'oauth2',
        token: undefined,
        clientId: 'id',
        clientSecret: CLIENT_SECRET,
        tokenUrl: 'https://auth.example.com/token',
      } as never,
    });
    expect(leaks(discovery, [CLIENT_SECRET, API_KEY, SIGNING_KEY])).toEqual([]);
  });

  it('the security policy itself', () => {
    const security = new MCPSecurity({ signingKey: SIGNING_KEY, encryptionKey: ENCRYPTION_KEY });
    expect(leaks(security, [SIGNING_KEY, ENCRYPTION_KEY])).toEqual([]);
  });
});
