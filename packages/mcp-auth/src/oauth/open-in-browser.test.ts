import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { McpConfigError } from '@tframex/mcp-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openInBrowser } from './open-in-browser.js';

// A fake xdg-open on PATH (no browser here): it records the argument it was given.
describe.runIf(process.platform === 'linux')('openInBrowser', () => {
  let dir: string;
  let path: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-auth-opener-'));
    path = process.env.PATH;
    process.env.PATH = `${dir}${delimiter}${path ?? ''}`;
  });
  afterEach(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  const fakeOpener = (body: string) => {
    writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, 'xdg-open'), 0o755);
  };

  it('hands the URL to the opener as a single argument', async () => {
    fakeOpener(`printf '%s|%s' "$#" "$1" > "${dir}/opened"`);
    const url = 'https://auth.example.com/authorize?state=a&scope=x%20y;$(touch pwned)';
    await openInBrowser(new URL(url));
    expect(readFileSync(join(dir, 'opened'), 'utf8')).toBe(`1|${new URL(url).href}`);
  });

  it('reports a failing opener and refuses non-http URLs', async () => {
    fakeOpener('exit 3');
    await expect(openInBrowser('https://auth.example.com/')).rejects.toSatisfy(
      (error: unknown) => McpConfigError.isInstance(error) && error.field === 'openUrl',
    );
    await expect(openInBrowser('file:///etc/passwd')).rejects.toSatisfy(
      (error: unknown) => McpConfigError.isInstance(error) && error.field === 'url',
    );
  });
});
