import { createAuthFetch } from '@tframex/mcp-auth-api';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { startHttpServer, type HttpTestServer } from '../test-support/http-test-server.js';
import { BearerAuth, type BearerTokenContext } from './bearer-auth.js';

describe('BearerAuth', () => {
  let server: HttpTestServer;
  let accepted = 'token-1';

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      if (req.headers.authorization === `Bearer ${accepted}`) res.end('ok');
      else res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    });
  });
  afterAll(() => server.close());

  it('sends a static token', async () => {
    accepted = 'static-token';
    const response = await createAuthFetch(new BearerAuth({ token: 'static-token' }))(
      `${server.url}/mcp`,
    );
    expect(await response.text()).toBe('ok');
  });

  it('gives up on a refused static token instead of retrying it', async () => {
    accepted = 'the-right-one';
    const before = server.received.length;
    const response = await createAuthFetch(new BearerAuth({ token: 'the-wrong-one' }))(
      `${server.url}/mcp`,
    );
    expect(response.status).toBe(401);
    expect(server.received.length - before).toBe(1);
  });

  it('asks an async getter for every request, and once more when the token is refused', async () => {
    accepted = 'fresh';
    const calls: BearerTokenContext['reason'][] = [];
    let next = 'stale';
    const auth = new BearerAuth({
      token: async ({ reason }) => {
        calls.push(reason);
        if (reason === 'refused') next = 'fresh';
        return next;
      },
    });
    const response = await createAuthFetch(auth)(`${server.url}/mcp`);
    expect(await response.text()).toBe('ok');
    expect(calls).toEqual(['request', 'refused', 'request']);
  });

  it('does not retry when the getter hands back the refused token', async () => {
    accepted = 'never';
    const auth = new BearerAuth({ token: () => 'same' });
    const before = server.received.length;
    const response = await createAuthFetch(auth)(`${server.url}/mcp`);
    expect(response.status).toBe(401);
    expect(server.received.length - before).toBe(1);
  });

  it('turns a failing or misbehaving getter into McpAuthError', async () => {
    const failing = new BearerAuth({
      token: () => {
        throw new Error('vault unreachable');
      },
    });
    await expect(
      failing.headers({ url: server.url, method: 'GET', headers: {} }),
    ).rejects.toSatisfy(
      (error: unknown) => McpAuthError.isInstance(error) && (error as Error).cause instanceof Error,
    );
    const injecting = new BearerAuth({ token: () => 'a\r\nX-Evil: 1' });
    await expect(
      injecting.headers({ url: server.url, method: 'GET', headers: {} }),
    ).rejects.toSatisfy(
      (error: unknown) => McpAuthError.isInstance(error) && error.reason === 'invalid_token',
    );
  });

  it('validates its options and never shows the token', () => {
    for (const token of ['', 'has space', 42, undefined]) {
      let caught: unknown;
      try {
        new BearerAuth({ token } as never);
      } catch (error) {
        caught = error;
      }
      expect(McpConfigError.isInstance(caught)).toBe(true);
      expect((caught as McpConfigError).field).toBe('token');
    }
    const auth = new BearerAuth({ token: 'tok-very-secret-123' });
    expectRedacted(auth, 'tok-very-secret-123');
    expect(JSON.parse(JSON.stringify(auth))).toEqual({ name: 'bearer', token: '[redacted]' });
  });
});
