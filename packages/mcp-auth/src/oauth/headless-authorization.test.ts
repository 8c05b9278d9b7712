import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpTestServer } from '../test-support/http-test-server.js';
import { headlessAuthorization } from './headless-authorization.js';

describe('headlessAuthorization', () => {
  let server: HttpTestServer;
  const redirectUrl = 'http://127.0.0.1:9/callback';

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const state = req.url.searchParams.get('state') ?? '';
      if (req.path === '/authorize')
        res.writeHead(302, { location: `/login?state=${state}` }).end();
      else if (req.path === '/login')
        res.writeHead(303, { location: `${redirectUrl}?code=c-1&state=${state}` }).end();
      else if (req.path === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (req.path === '/js') res.writeHead(302, { location: 'javascript:alert(1)' }).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<form>password</form>');
    });
  });
  afterAll(() => server.close());

  it('follows redirects and returns the redirect back, without requesting it', async () => {
    const back = await headlessAuthorization()(new URL(`${server.url}/authorize?state=s-1`), {
      redirectUrl,
      state: 's-1',
    });
    expect(back.toString()).toBe(`${redirectUrl}?code=c-1&state=s-1`);
  });

  it.each([
    ['a login page', '/page'],
    ['a redirect loop', '/loop'],
    ['a non-http redirect', '/js'],
  ])('fails with McpAuthError access_denied on %s', async (_what, path) => {
    await expect(
      headlessAuthorization({ maxRedirects: 3 })(new URL(`${server.url}${path}`), {
        redirectUrl,
        state: 's',
      }),
    ).rejects.toSatisfy(
      (error: unknown) => McpAuthError.isInstance(error) && error.reason === 'access_denied',
    );
  });

  it('validates maxRedirects', () => {
    expect(() => headlessAuthorization({ maxRedirects: 0 })).toThrow(McpConfigError);
  });
});
