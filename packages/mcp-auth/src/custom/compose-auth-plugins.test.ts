import { createAuthFetch, type McpAuthPlugin } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIKeyAuth } from '../schemes/api-key-auth.js';
import { BearerAuth } from '../schemes/bearer-auth.js';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { startHttpServer, type HttpTestServer } from '../test-support/http-test-server.js';
import { composeAuthPlugins } from './compose-auth-plugins.js';
import { defineAuthPlugin } from './define-auth-plugin.js';

describe('composeAuthPlugins', () => {
  let server: HttpTestServer;
  const bearerAccepted = 'b-2';

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const ok =
        req.headers['x-api-key'] === 'k-1' &&
        req.headers.authorization === `Bearer ${bearerAccepted}`;
      if (ok) res.end('both');
      else res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    });
  });
  afterAll(() => server.close());

  it('applies every plugin to each request', async () => {
    let next = 'b-1';
    const composed = composeAuthPlugins(
      new APIKeyAuth({ apiKey: 'k-1' }),
      new BearerAuth({
        token: ({ reason }) => {
          if (reason === 'refused') next = 'b-2';
          return next;
        },
      }),
    );
    expect(composed.name).toBe('api-key+bearer');
    // The first bearer token is refused; the bearer plugin renews and the request is retried.
    const response = await createAuthFetch(composed)(`${server.url}/mcp`);
    expect(await response.text()).toBe('both');
  });

  it('reports two plugins claiming the same header', async () => {
    const composed = composeAuthPlugins(
      new BearerAuth({ token: 'a' }),
      new BearerAuth({ token: 'b' }),
    );
    await expect(
      composed.headers!({ url: server.url, method: 'GET', headers: {} }),
    ).rejects.toSatisfy(
      (error: unknown) =>
        McpConfigError.isInstance(error) && /both set header/.test((error as Error).message),
    );
  });

  it('merges TLS material and refuses conflicts', async () => {
    const cert = defineAuthPlugin({ name: 'cert', tls: () => ({ cert: 'CERT', key: 'KEY' }) });
    const ca = defineAuthPlugin({ name: 'ca', tls: () => ({ ca: 'CA' }) });
    const none = defineAuthPlugin({ name: 'none', tls: () => undefined });
    expect(await composeAuthPlugins(cert, none, ca).tls!()).toEqual({
      cert: 'CERT',
      key: 'KEY',
      ca: 'CA',
    });
    await expect(composeAuthPlugins(cert, cert).tls!()).rejects.toSatisfy((error: unknown) =>
      McpConfigError.isInstance(error),
    );
    expect(composeAuthPlugins(new APIKeyAuth({ apiKey: 'k' })).tls).toBeUndefined();
  });

  it('signs every plugin out even when one fails, then reports the failure', async () => {
    const signedOut: string[] = [];
    const failing: McpAuthPlugin = {
      name: 'failing',
      signOut: async () => {
        signedOut.push('failing');
        throw new Error('revocation endpoint down');
      },
    };
    const fine: McpAuthPlugin = { name: 'fine', signOut: async () => void signedOut.push('fine') };
    await expect(composeAuthPlugins(failing, fine).signOut!()).rejects.toThrow(
      'revocation endpoint down',
    );
    expect(signedOut.sort()).toEqual(['failing', 'fine']);
  });

  it('validates its arguments and prints no secrets', () => {
    expect(() => composeAuthPlugins()).toThrow(McpConfigError);
    expect(() => composeAuthPlugins({} as McpAuthPlugin)).toThrow(McpConfigError);
    const composed = composeAuthPlugins(
      new APIKeyAuth({ apiKey: 'key-abc-123' }),
      new BearerAuth({ token: 'tok-xyz-789' }),
    );
    expectRedacted(composed, 'key-abc-123', 'tok-xyz-789');
    expect(JSON.parse(JSON.stringify(composed))).toEqual({
      name: 'api-key+bearer',
      plugins: ['api-key', 'bearer'],
    });
  });
});
