// No secret reaches console.log, util.inspect, JSON.stringify or a template string of any
// public object of this package: every plugin (also after it obtained tokens), the token
// stores, and composed or custom plugins. Walked with findSecretLeaks (mcp-testing).
import { InMemoryTokenStore, type FetchFunction } from '@tframex/mcp-auth-api';
import {
  createTestCertificates,
  findSecretLeaks,
  MCPTestClient,
  MockAuthorizationServer,
  MockMCPServer,
} from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { composeAuthPlugins } from './custom/compose-auth-plugins.js';
import { defineAuthPlugin } from './custom/define-auth-plugin.js';
import { FileTokenStore } from './oauth/file-token-store.js';
import { OAuth2Auth } from './oauth/oauth2-auth.js';
import { APIKeyAuth } from './schemes/api-key-auth.js';
import { BasicAuth } from './schemes/basic-auth.js';
import { BearerAuth } from './schemes/bearer-auth.js';
import { CertAuth } from './tls/cert-auth.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const leaks = (root: unknown, secrets: string[]) =>
  findSecretLeaks(root, secrets).map((leak) => `${leak.path} (${leak.view})`);

describe('no secret in printed public objects of mcp-auth', () => {
  it('the header schemes, custom and composed plugins', () => {
    const apiKey = new APIKeyAuth({ apiKey: 'sk-api-0123456789' });
    const bearer = new BearerAuth({ token: 'tok-bearer-0123456789' });
    const basic = new BasicAuth({ username: 'ada', password: 'pw-0123456789' });
    const custom = defineAuthPlugin({
      name: 'hmac',
      headers: () => ({ 'X-Sig': 'sig-secret-0123456789' }),
    });
    const composed = composeAuthPlugins(apiKey, bearer);
    const secrets = [
      'sk-api-0123456789',
      'tok-bearer-0123456789',
      'pw-0123456789',
      Buffer.from('ada:pw-0123456789').toString('base64'),
      'sig-secret-0123456789',
    ];
    expect(leaks({ apiKey, bearer, basic, custom, composed }, secrets)).toEqual([]);
  });

  it('CertAuth with key text and with files, and FileTokenStore', () => {
    const certs = createTestCertificates();
    cleanups.push(() => certs.remove());
    const key = certs.read(certs.rogueKeyFile);
    const fromText = new CertAuth({
      cert: certs.read(certs.rogueCertFile),
      key,
      passphrase: 'pp-0123456789',
    });
    const fromFiles = new CertAuth({
      certFile: certs.clientCertFile,
      keyFile: certs.clientKeyFile,
      passphrase: certs.clientKeyPassphrase,
    });
    const store = new FileTokenStore({
      path: `${certs.dir}/tokens.enc`,
      passphrase: 'store-passphrase-0123',
    });
    expect(
      leaks({ fromText, fromFiles, store }, [
        key.split('\n')[1]!,
        'pp-0123456789',
        certs.clientKeyPassphrase,
        'store-passphrase-0123',
      ]),
    ).toEqual([]);
  });

  it('OAuth2Auth before and after it obtained a token, and its token store', async () => {
    const authServer = new MockAuthorizationServer({
      clients: [{ clientId: 'svc', clientSecret: 'svc-secret-0123456789' }],
    });
    await authServer.start();
    cleanups.push(() => authServer.stop());
    const server = new MockMCPServer({
      name: 'secured',
      auth: { type: 'oauth', authorizationServer: authServer },
    });
    server.addTool('ping', () => 'pong');
    await server.start();
    cleanups.push(() => server.stop());
    const tokenStore = new InMemoryTokenStore();
    const issued: string[] = [];
    // Reads the tokens the authorization server hands out, to look for them afterwards.
    const recordingFetch: FetchFunction = async (input, init) => {
      const response = await fetch(input, init);
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { access_token?: string; refresh_token?: string } | undefined;
      for (const token of [body?.access_token, body?.refresh_token])
        if (typeof token === 'string') issued.push(token);
      return response;
    };
    const auth = new OAuth2Auth({
      clientId: 'svc',
      clientSecret: 'svc-secret-0123456789',
      tokenStore,
      fetch: recordingFetch,
    });
    expect(leaks(auth, ['svc-secret-0123456789'])).toEqual([]);
    const client = new MCPTestClient(server, { auth });
    cleanups.push(() => client.close());
    expect(await client.executeTool('ping')).toBe('pong');
    expect(issued.length).toBeGreaterThan(0);
    expect(leaks({ auth, tokenStore }, ['svc-secret-0123456789', ...issued])).toEqual([]);
  });
});
