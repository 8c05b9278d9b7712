import { createAuthFetch } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpTestServer } from '../test-support/http-test-server.js';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { APIKeyAuth } from './api-key-auth.js';

const KEY = 'k-7f3a9c2e51d84b06';

function configError(run: () => unknown): McpConfigError {
  try {
    run();
  } catch (error) {
    expect(McpConfigError.isInstance(error)).toBe(true);
    return error as McpConfigError;
  }
  throw new Error('expected an McpConfigError');
}

describe('APIKeyAuth', () => {
  let server: HttpTestServer;
  let other: HttpTestServer;

  beforeAll(async () => {
    other = await startHttpServer((_req, res) => void res.end('other'));
    server = await startHttpServer((req, res) => {
      if (req.path === '/moved') {
        res.writeHead(307, { location: `${other.url}/mcp` }).end();
        return;
      }
      res.end(req.headers['x-api-key'] === KEY ? 'ok' : 'no key');
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it('sends the key in the X-API-Key header by default, and never in the URL', async () => {
    const authFetch = createAuthFetch(new APIKeyAuth({ apiKey: KEY }));
    const response = await authFetch(`${server.url}/mcp?x=1`, { method: 'POST', body: '{}' });
    expect(await response.text()).toBe('ok');
    const seen = server.received.at(-1)!;
    expect(seen.headers['x-api-key']).toBe(KEY);
    expect(seen.url.href).not.toContain(KEY);
  });

  it('uses any header name and an optional prefix', async () => {
    const auth = new APIKeyAuth({ apiKey: KEY, headerName: 'Authorization', prefix: 'ApiKey' });
    expect(auth.headers({ url: server.url, method: 'GET', headers: {} })).toEqual({
      Authorization: `ApiKey ${KEY}`,
    });
    const custom = new APIKeyAuth({ apiKey: KEY, headerName: 'X-Gateway-Token' });
    await createAuthFetch(custom)(`${server.url}/mcp`);
    expect(server.received.at(-1)!.headers['x-gateway-token']).toBe(KEY);
  });

  it('does not send the key to another origin when redirected', async () => {
    const response = await createAuthFetch(new APIKeyAuth({ apiKey: KEY }))(`${server.url}/moved`);
    expect(await response.text()).toBe('other');
    const atOther = other.received.at(-1)!;
    expect(atOther.headers['x-api-key']).toBeUndefined();
  });

  it.each([
    [{ apiKey: KEY, in: 'query' }, 'in'],
    [{ apiKey: KEY, queryParam: 'api_key' }, 'queryParam'],
    [{ apiKey: KEY, location: 'url' }, 'location'],
  ])('refuses options that would put the key in a URL (%j)', (options, field) => {
    const error = configError(() => new APIKeyAuth(options as never));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/never in a URL/);
    expectRedacted(error, KEY);
  });

  it.each([
    [{ apiKey: '' }, 'apiKey'],
    [{ apiKey: `${KEY}\r\nX-Injected: 1` }, 'apiKey'],
    [{ apiKey: KEY, headerName: 'Host' }, 'headerName'],
    [{ apiKey: KEY, headerName: 'Content-Length' }, 'headerName'],
    [{ apiKey: KEY, headerName: 'X API Key' }, 'headerName'],
    [{ apiKey: KEY, prefix: 'Api Key' }, 'prefix'],
    [{ apiKey: KEY, headerNmae: 'X-Typo' }, 'headerNmae'],
    [{ apiKey: 42 }, 'apiKey'],
  ])('reports bad options %j as McpConfigError naming the field', (options, field) => {
    const error = configError(() => new APIKeyAuth(options as never));
    expect(error.field).toBe(field);
    expect(error.expected).toBeTruthy();
    expectRedacted(error, KEY);
    if (field === 'apiKey' && typeof options.apiKey === 'string' && options.apiKey !== '') {
      expect(error.received).toBe('[redacted]');
    }
  });

  it('never shows the key when printed', () => {
    const auth = new APIKeyAuth({ apiKey: KEY, headerName: 'X-Key' });
    expectRedacted(auth, KEY);
    expect(JSON.parse(JSON.stringify(auth))).toEqual({
      name: 'api-key',
      headerName: 'X-Key',
      apiKey: '[redacted]',
    });
  });
});
