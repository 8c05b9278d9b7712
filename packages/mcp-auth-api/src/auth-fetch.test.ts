import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthFetch, NO_AUTH, type McpAuthPlugin } from './index.js';

interface Seen {
  path: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 whose routes the tests set. */
async function startServer(route: (req: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const entry = { path: req.url ?? '', method: req.method ?? '', headers: req.headers, body };
      seen.push(entry);
      route(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const apiKey: McpAuthPlugin = { name: 'api-key', headers: () => ({ 'x-api-key': 'secret-key' }) };

describe('createAuthFetch', () => {
  let main: Awaited<ReturnType<typeof startServer>>;
  let other: Awaited<ReturnType<typeof startServer>>;
  let mainRoute: (req: Seen, res: ServerResponse) => void;

  beforeAll(async () => {
    main = await startServer((req, res) => mainRoute(req, res));
    other = await startServer((_req, res) => res.end('other'));
  });
  afterAll(async () => {
    await main.close();
    await other.close();
  });
  beforeEach(() => {
    main.seen.length = 0;
    other.seen.length = 0;
  });

  it('adds the plugin headers and passes method, body and caller headers through', async () => {
    mainRoute = (_req, res) => res.end('ok');
    const authFetch = createAuthFetch(apiKey);
    const response = await authFetch(`${main.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0"}',
    });
    expect(await response.text()).toBe('ok');
    expect(main.seen[0]).toMatchObject({ method: 'POST', body: '{"jsonrpc":"2.0"}' });
    expect(main.seen[0]!.headers['x-api-key']).toBe('secret-key');
    expect(main.seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('follows a same-origin redirect with credentials, and drops them on a cross-origin one', async () => {
    mainRoute = (req, res) => {
      if (req.path === '/start') res.writeHead(307, { location: '/moved' }).end();
      else if (req.path === '/moved')
        res.writeHead(307, { location: `${other.url}/elsewhere` }).end();
      else res.end();
    };
    const hops: string[] = [];
    const authFetch = createAuthFetch(apiKey, {
      onRedirect: (_from, to) => hops.push(to.pathname),
    });
    const response = await authFetch(`${main.url}/start`, {
      method: 'POST',
      headers: { authorization: 'Bearer from-caller' },
      body: 'payload',
    });
    expect(await response.text()).toBe('other');
    expect(hops).toEqual(['/moved', '/elsewhere']);
    expect(main.seen.map((s) => s.headers['x-api-key'])).toEqual(['secret-key', 'secret-key']);
    expect(other.seen[0]!.headers['x-api-key']).toBeUndefined();
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.body).toBe('payload'); // 307 keeps method and body
  });

  it('passes requests of a plugin with nothing to add straight through, sending each once even when redirected', async () => {
    mainRoute = (req, res) => {
      if (req.path === '/start') res.writeHead(307, { location: `${other.url}/elsewhere` }).end();
      else res.end('main');
    };
    const authFetch = createAuthFetch(NO_AUTH);
    expect(await (await authFetch(`${main.url}/plain`)).text()).toBe('main');
    const response = await authFetch(`${main.url}/start`, {
      method: 'POST',
      headers: { authorization: 'Bearer from-caller', 'x-trace': 't-1' },
      body: 'payload',
    });
    expect(await response.text()).toBe('other');
    expect(main.seen.map((s) => s.path)).toEqual(['/plain', '/start']);
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.headers['x-trace']).toBe('t-1');
    expect(other.seen[0]!.body).toBe('payload');
  });

  it('lets onRedirect refuse a hop', async () => {
    mainRoute = (_req, res) => res.writeHead(302, { location: `${other.url}/evil` }).end();
    const authFetch = createAuthFetch(apiKey, {
      onRedirect: (_from, to) => {
        throw new Error(`redirect to ${to.host} is not allowed`);
      },
    });
    await expect(authFetch(`${main.url}/x`)).rejects.toThrow('is not allowed');
    expect(other.seen).toHaveLength(0);
  });

  it('retries once the plugin has renewed credentials, with the challenge parsed', async () => {
    let token = 'stale';
    mainRoute = (req, res) => {
      if (req.headers.authorization === 'Bearer fresh') res.end('welcome');
      else
        res
          .writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token", scope="read"' })
          .end();
    };
    const challenges: unknown[] = [];
    const bearer: McpAuthPlugin = {
      name: 'bearer',
      headers: () => ({ authorization: `Bearer ${token}` }),
      onUnauthorized: (challenge) => {
        challenges.push(challenge);
        token = 'fresh';
        return 'retry';
      },
    };
    const response = await createAuthFetch(bearer, { server: 'db' })(`${main.url}/mcp`, {
      method: 'POST',
      body: 'x',
    });
    expect(await response.text()).toBe('welcome');
    expect(main.seen).toHaveLength(2);
    expect(challenges).toEqual([
      expect.objectContaining({
        status: 401,
        attempt: 1,
        hadCredentials: true,
        credentials: { authorization: 'Bearer stale' },
        server: 'db',
        challenges: [{ scheme: 'bearer', params: { error: 'invalid_token', scope: 'read' } }],
      }),
    ]);
  });

  it('shows the plugin the headers of a refusal and of every answer (a nonce it must echo)', async () => {
    let nonce = 'n-1';
    mainRoute = (req, res) => {
      if (req.headers['x-nonce'] !== nonce) {
        res
          .writeHead(401, {
            'www-authenticate': 'DPoP error="use_dpop_nonce"',
            'dpop-nonce': nonce,
          })
          .end();
        return;
      }
      nonce = 'n-2'; // rotated on a success
      res.writeHead(200, { 'dpop-nonce': nonce }).end('ok');
    };
    let held: string | undefined;
    const seen: { status: number; nonce: string | undefined; method: string }[] = [];
    const plugin: McpAuthPlugin = {
      name: 'nonce',
      headers: (): Record<string, string> =>
        held === undefined ? { 'x-key': 'k' } : { 'x-key': 'k', 'x-nonce': held },
      onResponse: (response) => {
        seen.push({
          status: response.status,
          nonce: response.headers['dpop-nonce'],
          method: response.method,
        });
        held = response.headers['dpop-nonce'] ?? held;
      },
      onUnauthorized: (challenge) => {
        held = challenge.responseHeaders?.['dpop-nonce'];
        return held === undefined ? 'fail' : 'retry';
      },
    };
    const authFetch = createAuthFetch(plugin);
    expect((await authFetch(`${main.url}/mcp`, { method: 'POST', body: 'x' })).status).toBe(200);
    // The nonce the success handed out is used by the next request: no refusal this time.
    expect((await authFetch(`${main.url}/mcp`, { method: 'POST', body: 'y' })).status).toBe(200);
    expect(main.seen.map((request) => request.headers['x-nonce'])).toEqual([
      undefined,
      'n-1',
      'n-2',
    ]);
    expect(seen).toEqual([
      { status: 401, nonce: 'n-1', method: 'POST' },
      { status: 200, nonce: 'n-2', method: 'POST' },
      { status: 200, nonce: 'n-2', method: 'POST' },
    ]);
  });

  it('stops after maxAuthRetries and hands back the refusal', async () => {
    mainRoute = (_req, res) =>
      res.writeHead(403, { 'www-authenticate': 'Bearer error="insufficient_scope"' }).end();
    let asked = 0;
    const stubborn: McpAuthPlugin = { name: 'x', onUnauthorized: () => (asked++, 'retry') };
    const response = await createAuthFetch(stubborn, { maxAuthRetries: 3 })(`${main.url}/mcp`);
    expect(response.status).toBe(403);
    expect(asked).toBe(3);
    expect(main.seen).toHaveLength(4);
  });

  it('turns a POST into a GET on 303 and gives up after maxRedirects', async () => {
    mainRoute = (req, res) => {
      if (req.path === '/see-other') res.writeHead(303, { location: '/result' }).end();
      else if (req.path === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.end(req.method);
    };
    const authFetch = createAuthFetch(apiKey, { maxRedirects: 3 });
    const seeOther = await authFetch(`${main.url}/see-other`, { method: 'POST', body: 'x' });
    expect(await seeOther.text()).toBe('GET');
    const loop = await authFetch(`${main.url}/loop`);
    expect(loop.status).toBe(302);
    expect(main.seen.filter((s) => s.path === '/loop')).toHaveLength(4);
  });

  it("hands the request's abort signal to the plugin", async () => {
    mainRoute = (_req, res) => res.end('ok');
    const signals: (AbortSignal | undefined)[] = [];
    const plugin: McpAuthPlugin = {
      name: 'sees-signal',
      headers: ({ signal }) => void signals.push(signal),
    };
    const controller = new AbortController();
    await createAuthFetch(plugin)(`${main.url}/a`, { signal: controller.signal });
    await createAuthFetch(plugin)(`${main.url}/b`);
    expect(signals).toEqual([controller.signal, undefined]);
  });
});
