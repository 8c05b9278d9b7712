import { McpConfigError, McpTimeoutError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect.js';

const opened: LoopbackRedirect[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((loopback) => loopback.close()));
});

async function start(options: Parameters<typeof startLoopbackRedirect>[0]) {
  const loopback = await startLoopbackRedirect(options);
  opened.push(loopback);
  return loopback;
}

describe('startLoopbackRedirect', () => {
  it('shows the URL, then resolves with the redirect that carries the state', async () => {
    let shown: URL | undefined;
    // Plays the browser: follows the redirect back to the listener.
    const loopback = await start({
      openUrl: async (url) => {
        shown = url;
        const back = new URL(loopback.redirectUrl);
        back.searchParams.set('code', 'the-code');
        back.searchParams.set('state', url.searchParams.get('state')!);
        const page = await fetch(back);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('You can close this window');
      },
    });
    expect(loopback.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const authorizationUrl = new URL('https://auth.example.com/authorize?state=s-1');
    const back = await loopback.onAuthorizationUrl(authorizationUrl, {
      redirectUrl: loopback.redirectUrl,
      state: 's-1',
    });
    expect(shown).toBe(authorizationUrl);
    expect(new URL(back.toString()).searchParams.get('code')).toBe('the-code');
  });

  it('ignores requests with an unknown state or path', async () => {
    const loopback = await start({ openUrl: () => undefined, timeoutMs: 60_000 });
    const pending = loopback.onAuthorizationUrl(new URL('https://a.example/'), {
      redirectUrl: loopback.redirectUrl,
      state: 'expected',
    });
    expect((await fetch(`${loopback.redirectUrl}?code=x&state=forged`)).status).toBe(400);
    expect((await fetch(new URL('/other', loopback.redirectUrl))).status).toBe(404);
    const done = await fetch(`${loopback.redirectUrl}?code=x&state=expected`);
    expect(done.status).toBe(200);
    expect(new URL((await pending).toString()).searchParams.get('state')).toBe('expected');
  });

  it('times out with McpTimeoutError when the user never comes back', async () => {
    const loopback = await start({ openUrl: () => undefined, timeoutMs: 50 });
    await expect(
      loopback.onAuthorizationUrl(new URL('https://a.example/'), {
        redirectUrl: loopback.redirectUrl,
        state: 's',
      }),
    ).rejects.toSatisfy((error: unknown) => McpTimeoutError.isInstance(error));
  });

  it('fails pending authorizations when closed, and validates its options', async () => {
    const loopback = await start({ openUrl: () => undefined });
    const pending = loopback.onAuthorizationUrl(new URL('https://a.example/'), {
      redirectUrl: loopback.redirectUrl,
      state: 's',
    });
    await loopback.close();
    await expect(pending).rejects.toSatisfy((error: unknown) => McpConfigError.isInstance(error));
    await expect(
      startLoopbackRedirect({ openUrl: () => undefined, port: 70_000 }),
    ).rejects.toSatisfy(
      (error: unknown) => McpConfigError.isInstance(error) && error.field === 'port',
    );
    await expect(startLoopbackRedirect({} as never)).rejects.toSatisfy(
      (error: unknown) => McpConfigError.isInstance(error) && error.field === 'openUrl',
    );
  });
});
