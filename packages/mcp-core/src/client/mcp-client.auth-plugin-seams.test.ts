// The McpAuthPlugin members MCPClient takes beyond headers: `oauthProvider()` (handed to the
// SDK's auth machinery) and `tls()`, asked again at each connection so a rotated client
// certificate is picked up without a new client.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthError } from '@tframex/mcp-api';
import type { McpTlsMaterial } from '@tframex/mcp-auth-api';
import { createTestCertificates, MockMCPServer, type TestCertificates } from '@tframex/mcp-testing';
import { testOptions } from '../test-support/test-options.js';
import { MCPClient } from './mcp-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MCPClient and the auth plugin seams', () => {
  it("sends requests through the plugin's oauthProvider (the SDK's AuthProvider)", async () => {
    const server = new MockMCPServer({ name: 'guarded' });
    server.addTool('whoami', () => 'a friend');
    server.setAuth({ type: 'bearer', tokens: ['token-from-the-provider'] });
    const url = await server.start();
    cleanups.push(() => server.stop());
    const asked: string[] = [];
    const client = new MCPClient(
      testOptions({
        name: 'guarded',
        serverUrl: url,
        auth: {
          name: 'sdk-oauth',
          oauthProvider: () => ({
            token: async () => {
              asked.push('token');
              return 'token-from-the-provider';
            },
          }),
        },
      }),
    );
    cleanups.push(() => client.close());
    expect((await client.callTool('whoami', {})).content).toEqual([
      { type: 'text', text: 'a friend' },
    ]);
    expect(asked.length).toBeGreaterThan(0);

    const without = new MCPClient(
      testOptions({ name: 'guarded', serverUrl: url, retryAttempts: 0 }),
    );
    cleanups.push(() => without.close());
    await expect(without.connect()).rejects.toSatisfy((error) => McpAuthError.isInstance(error));
  });

  describe('over mutual TLS', () => {
    let certs: TestCertificates;
    let url: string;
    beforeAll(async () => {
      certs = createTestCertificates();
      const server = new MockMCPServer({ name: 'vault' });
      server.addTool('secret', () => 'swordfish');
      url = (await server.start({
        tls: {
          cert: certs.read(certs.serverCertFile),
          key: certs.read(certs.serverKeyFile),
          ca: certs.read(certs.caFile),
          requestCert: true,
        },
      })) as string;
      cleanups.push(() => server.stop());
    });
    afterAll(() => certs.remove());

    it('asks the plugin for its certificate again when it connects again', async () => {
      let current: McpTlsMaterial = {};
      const client = new MCPClient(
        testOptions({
          name: 'vault',
          serverUrl: url,
          ca: certs.read(certs.caFile),
          retryAttempts: 0,
          auth: { name: 'rotating-cert', tls: () => current },
        }),
      );
      cleanups.push(() => client.close());
      await expect(client.connect()).rejects.toThrow();

      // The certificate arrives (or is renewed): the next connection uses it.
      current = {
        cert: certs.read(certs.clientCertFile),
        key: certs.read(certs.clientKeyFile),
        passphrase: certs.clientKeyPassphrase,
      };
      await client.connect();
      expect((await client.callTool('secret', {})).content).toEqual([
        { type: 'text', text: 'swordfish' },
      ]);
    });
  });
});
