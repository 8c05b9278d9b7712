// The header plugins end to end: MCPTestClient ({ auth: plugin }) against MockMCPServer over
// real HTTP on 127.0.0.1, whose auth gate (@tframex/mcp-testing) checks the credentials.
// OAuth2Auth has its own end-to-end file, with MockAuthorizationServer.
import { McpAuthError } from '@tframex/mcp-api';
import { MCPTestClient, MockMCPServer, type MockServerAuth } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { defineAuthPlugin } from './custom/define-auth-plugin.js';
import { APIKeyAuth } from './schemes/api-key-auth.js';
import { BasicAuth } from './schemes/basic-auth.js';
import { BearerAuth } from './schemes/bearer-auth.js';
import type { McpAuthPlugin } from '@tframex/mcp-auth-api';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(auth: MockServerAuth): Promise<MockMCPServer> {
  const server = new MockMCPServer({ name: 'secured', auth });
  server.addTool('whoami', (_args, context) => ({
    client: context.auth?.clientId ?? null,
    scopes: context.auth?.scopes ?? [],
  }));
  server.addTool('admin/purge', () => 'purged');
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

function connect(
  server: MockMCPServer,
  auth: McpAuthPlugin | undefined,
  era: 'legacy' | 'modern' = 'legacy',
) {
  const client = new MCPTestClient(server, { ...(auth ? { auth } : {}), era, timeoutMs: 20_000 });
  cleanups.push(() => client.close());
  return client;
}

describe('plugins against MockMCPServer', { timeout: 30_000 }, () => {
  it('APIKeyAuth passes the api-key gate; no key is refused', async () => {
    const server = await serve({ type: 'api-key', header: 'x-api-key', keys: ['k-e2e-1'] });
    const client = connect(server, new APIKeyAuth({ apiKey: 'k-e2e-1' }));
    expect(await client.executeTool('whoami')).toMatchObject({ client: 'api-key' });
    await expect(connect(server, undefined).listTools()).rejects.toSatisfy((error: unknown) =>
      McpAuthError.isInstance(error),
    );
  });

  it('BearerAuth passes the bearer gate', async () => {
    const server = await serve({ type: 'bearer', tokens: ['tok-e2e'] });
    expect(
      await connect(server, new BearerAuth({ token: async () => 'tok-e2e' })).executeTool('whoami'),
    ).toMatchObject({
      client: 'bearer',
    });
    await expect(connect(server, new BearerAuth({ token: 'wrong' })).listTools()).rejects.toSatisfy(
      (error: unknown) => McpAuthError.isInstance(error),
    );
  });

  it('BasicAuth passes the basic gate', async () => {
    const server = await serve({ type: 'basic', users: { agent: 'pä55' } });
    const client = connect(server, new BasicAuth({ username: 'agent', password: 'pä55' }));
    expect(await client.executeTool('whoami')).toMatchObject({ client: 'agent' });
  });

  it('a plugin made with defineAuthPlugin works like the built-in ones', async () => {
    const server = await serve({ type: 'api-key', header: 'x-gateway-token', keys: ['gw-e2e'] });
    let calls = 0;
    const gateway = defineAuthPlugin({
      name: 'gateway',
      headers: () => {
        calls++;
        return { 'X-Gateway-Token': 'gw-e2e' };
      },
    });
    expect(await connect(server, gateway).executeTool('whoami')).toMatchObject({
      client: 'api-key',
    });
    expect(calls).toBeGreaterThan(0);
  });
});
