// Static credential schemes: what the server demands, and an McpAuthPlugin meeting it.
import { McpAuthError, McpConfigError, type McpAuthErrorReason } from '@tframex/mcp-api';
import type { McpAuthChallenge, McpAuthPlugin } from '@tframex/mcp-auth-api';
import { afterEach, describe, expect, it } from 'vitest';
import { fault, MCPTestClient, MockMCPServer, type MockServerAuth } from '../index.js';

let server: MockMCPServer;
const clients: MCPTestClient[] = [];

async function serve(auth: MockServerAuth): Promise<string> {
  server = new MockMCPServer({ auth });
  server.addTool('whoami', (_args, ctx) => ({
    clientId: ctx.auth?.clientId,
    scheme: ctx.auth?.extra?.['scheme'],
  }));
  return server.start();
}

function client(
  url: string,
  auth?: McpAuthPlugin,
  era: 'legacy' | 'modern' = 'modern',
): MCPTestClient {
  const made = new MCPTestClient(url, { era, ...(auth ? { auth } : {}) });
  clients.push(made);
  return made;
}

const plugin = (name: string, headers: Record<string, string>): McpAuthPlugin => ({
  name,
  headers: () => headers,
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((made) => made.close()));
  await server?.stop();
});

describe.each(['legacy', 'modern'] as const)('static auth schemes (%s era)', (era) => {
  it('bearer: refuses without a token, accepts the right one', async () => {
    const url = await serve({ type: 'bearer', tokens: ['t-123'] });
    const refused = await client(url, undefined, era)
      .listTools()
      .catch((error: unknown) => error);
    expect(McpAuthError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 401 });
    const wrong = await client(url, plugin('bearer', { authorization: 'Bearer nope' }), era)
      .listTools()
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 401 });
    const ok = client(url, plugin('bearer', { authorization: 'Bearer t-123' }), era);
    expect(await ok.executeTool('whoami')).toEqual({ clientId: 'bearer', scheme: 'bearer' });
    const challenge = server.httpRequests.find((request) => request.status === 401);
    expect(challenge).toBeDefined();
    expect(server.requests.some((request) => request.outcome.type === 'http-error')).toBe(true);
  });

  it('api key in any header', async () => {
    const url = await serve({ type: 'api-key', header: 'x-service-key', keys: ['k1', 'k2'] });
    expect(
      await client(url, plugin('api-key', { 'x-service-key': 'k2' }), era).executeTool('whoami'),
    ).toEqual({
      clientId: 'api-key',
      scheme: 'api-key',
    });
    const refused = await client(url, plugin('api-key', { 'x-api-key': 'k2' }), era)
      .listTools()
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 401 });
  });

  it('basic credentials', async () => {
    const url = await serve({ type: 'basic', users: { ada: 's3cret:with:colons' } });
    const basic = (user: string, password: string) =>
      plugin('basic', {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      });
    expect(
      await client(url, basic('ada', 's3cret:with:colons'), era).executeTool('whoami'),
    ).toEqual({ clientId: 'ada', scheme: 'basic' });
    expect(
      await client(url, basic('ada', 'wrong'), era)
        .listTools()
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 401 });
  });
});

describe('server auth', () => {
  it('challenges so that a plugin can renew its credentials and retry', async () => {
    const url = await serve({ type: 'bearer', tokens: ['fresh'] });
    const challenges: McpAuthChallenge[] = [];
    let token = 'stale';
    const renewing: McpAuthPlugin = {
      name: 'renewing',
      headers: () => ({ authorization: `Bearer ${token}` }),
      onUnauthorized(challenge) {
        challenges.push(challenge);
        token = 'fresh';
        return 'retry';
      },
    };
    expect(await client(url, renewing).executeTool('whoami')).toMatchObject({ scheme: 'bearer' });
    expect(challenges[0]).toMatchObject({
      status: 401,
      hadCredentials: true,
      challenges: [{ scheme: 'bearer', params: { realm: 'mcp', error: 'invalid_token' } }],
    });
  });

  it('changes what it requires at runtime', async () => {
    const url = await serve({ type: 'bearer', tokens: ['a'] });
    const open = client(url);
    expect(await open.listTools().catch((e: unknown) => e)).toMatchObject({ status: 401 });
    server.setAuth(undefined);
    expect(await open.listTools()).toHaveLength(1);
    server.setAuth({ type: 'api-key', keys: ['k'] });
    const keyed = client(url, plugin('api-key', { 'x-api-key': 'k' }));
    expect(await keyed.listTools()).toHaveLength(1);
  });

  it('rejects malformed auth options', () => {
    const attempt = (auth: unknown) => {
      try {
        new MockMCPServer({ auth: auth as MockServerAuth });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt({ type: 'bearer', tokens: [] })).toMatchObject({
      field: 'MockMCPServer.options.auth.tokens',
    });
    expect(attempt({ type: 'api-key', header: 'bad header', keys: ['k'] })).toMatchObject({
      field: 'MockMCPServer.options.auth.header',
    });
    expect(attempt({ type: 'oauth', authorizationServer: {} })).toSatisfy((error) =>
      McpConfigError.isInstance(error),
    );
    expect(attempt({ type: 'kerberos' })).toSatisfy((error) => McpConfigError.isInstance(error));
  });

  it('maps a 403 without insufficient_scope to access_denied', async () => {
    const url = await serve({ type: 'bearer', tokens: ['t'] });
    // A plain denial: the default 403 challenge (insufficient_scope) replaced.
    server.faults.inject({
      tool: 'whoami',
      fault: fault.httpStatus(403, { headers: { 'www-authenticate': 'Bearer realm="mcp"' } }),
    });
    const error = await client(url, plugin('bearer', { authorization: 'Bearer t' }))
      .executeTool('whoami')
      .catch((e: unknown) => e);
    expect((error as { reason: McpAuthErrorReason }).reason).toBe('access_denied');
  });
});
