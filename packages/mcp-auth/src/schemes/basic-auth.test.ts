import { createAuthFetch } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { startHttpServer, type HttpTestServer } from '../test-support/http-test-server.js';
import { BasicAuth } from './basic-auth.js';

describe('BasicAuth', () => {
  let server: HttpTestServer;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const header = req.headers.authorization ?? '';
      const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
      res.end(decoded);
    });
  });
  afterAll(() => server.close());

  it('sends user:password as RFC 7617 Basic credentials, UTF-8 encoded', async () => {
    const auth = new BasicAuth({ username: 'zoë', password: 'pä:ss wörd' });
    const response = await createAuthFetch(auth)(`${server.url}/mcp`);
    expect(await response.text()).toBe('zoë:pä:ss wörd');
  });

  it('refuses a colon in the user name and control characters', () => {
    for (const [options, field] of [
      [{ username: 'a:b', password: 'x' }, 'username'],
      [{ username: '', password: 'x' }, 'username'],
      [{ username: 'a', password: 'x\ny' }, 'password'],
      [{ username: 'a' }, 'password'],
    ] as const) {
      let caught: unknown;
      try {
        new BasicAuth(options as never);
      } catch (error) {
        caught = error;
      }
      expect(McpConfigError.isInstance(caught)).toBe(true);
      expect((caught as McpConfigError).field).toBe(field);
      if (field === 'password') expect((caught as McpConfigError).received).toBe('[redacted]');
    }
  });

  it('never shows the password', () => {
    const auth = new BasicAuth({ username: 'svc', password: 'hunter2-secret' });
    expectRedacted(auth, 'hunter2-secret', Buffer.from('svc:hunter2-secret').toString('base64'));
    expect(auth.toJSON()).toEqual({ name: 'basic', username: 'svc', password: '[redacted]' });
  });
});
