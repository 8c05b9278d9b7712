import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MCPTestClient, MockAuthorizationServer, MockMCPServer } from '../index.js';
import { mcpHandlers, oauthHandlers } from './index.js';

const URL_UNDER_TEST = 'https://mcp.example.test/api/mcp';
const mock = new MockMCPServer({ name: 'intercepted' });
mock.addTool('echo', ({ text }) => ({ echoed: text }));
const interceptor = setupServer(...mcpHandlers(mock, { url: URL_UNDER_TEST }));

beforeAll(() => interceptor.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  interceptor.resetHandlers();
  await mock.stop();
});
afterAll(() => interceptor.close());

describe('mcpHandlers', () => {
  it.each(['legacy', 'modern'] as const)(
    'serves fetch-based clients at any URL without a port (%s era)',
    async (era) => {
      const client = new MCPTestClient(URL_UNDER_TEST, { era });
      try {
        expect(await client.executeTool('echo', { text: 'hi' })).toEqual({ echoed: 'hi' });
        expect(client.protocolEra).toBe(era);
        expect(mock.httpRequests.at(-1)?.path).toBe('/api/mcp');
      } finally {
        await client.close();
      }
    },
  );

  it('works for the official SDK client too', async () => {
    const client = new Client(
      { name: 'sdk', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(URL_UNDER_TEST)));
    try {
      const result = await client.callTool({ name: 'echo', arguments: { text: 'yo' } });
      expect(result.structuredContent).toEqual({ echoed: 'yo' });
    } finally {
      await client.close();
    }
  });

  it('serves an OAuth-protected server and its authorization server without ports', async () => {
    const authServer = new MockAuthorizationServer({
      issuer: 'https://auth.example.test',
      clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
    });
    const guarded = new MockMCPServer({
      auth: { type: 'oauth', authorizationServer: authServer, scopes: ['mcp'] },
    });
    guarded.addTool('secret', (_args, ctx) => `for ${ctx.auth?.clientId}`);
    interceptor.use(
      ...oauthHandlers(authServer),
      ...mcpHandlers(guarded, { url: 'https://secure.example.test/mcp' }),
    );
    const provider = new ClientCredentialsProvider({
      clientId: 'svc',
      clientSecret: 'svc-secret',
      expectedIssuer: authServer.issuer,
    });
    const client = new Client(
      { name: 'sdk', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL('https://secure.example.test/mcp'), {
          authProvider: provider,
        }),
      );
      expect((await client.callTool({ name: 'secret', arguments: {} })).content).toEqual([
        { type: 'text', text: 'for svc' },
      ]);
      expect(guarded.httpRequests.map((request) => request.path)).toContain(
        '/.well-known/oauth-protected-resource/mcp',
      );
      expect(authServer.requests.map((request) => request.endpoint)).toEqual(
        expect.arrayContaining(['metadata', 'token']),
      );
    } finally {
      await client.close();
      await guarded.stop();
    }
  });
});
