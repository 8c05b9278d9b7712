import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredTokens } from '@tframex/mcp-auth-api';
import { McpConfigError, McpSecurityError } from '@tframex/mcp-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRedacted } from '../test-support/expect-redacted.js';
import { FileTokenStore } from './file-token-store.js';

const tokens: StoredTokens = {
  accessToken: 'at-very-secret-1',
  tokenType: 'Bearer',
  expiresAt: 1_900_000_000_000,
  refreshToken: 'rt-very-secret-1',
  scope: 'mcp:read',
  client: { clientId: 'dyn-1', clientSecret: 'cs-very-secret-1' },
};

describe('FileTokenStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-auth-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps tokens by key across instances, encrypted at rest with mode 0600', async () => {
    const key = randomBytes(32);
    const path = join(dir, 'nested', 'tokens.json');
    const store = new FileTokenStore({ path, key });
    expect(await store.get('oauth2|https://as|')).toBeUndefined();
    await store.set('oauth2|https://as|', tokens);
    await store.set('oauth2|https://other|', { accessToken: 'a2', tokenType: 'Bearer' });

    const again = new FileTokenStore({ path, key });
    expect(await again.get('oauth2|https://as|')).toEqual(tokens);
    const raw = readFileSync(path, 'utf8');
    for (const secret of [
      'at-very-secret-1',
      'rt-very-secret-1',
      'cs-very-secret-1',
      'https://as',
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);

    await again.delete('oauth2|https://as|');
    expect(await store.get('oauth2|https://as|')).toBeUndefined();
    expect(await store.get('oauth2|https://other|')).toMatchObject({ accessToken: 'a2' });
  });

  it('works with a passphrase, and refuses the wrong one', async () => {
    const path = join(dir, 'tokens.json');
    await new FileTokenStore({ path, passphrase: 'correct horse battery' }).set('k', tokens);
    expect(
      await new FileTokenStore({ path, passphrase: 'correct horse battery' }).get('k'),
    ).toEqual(tokens);
    const wrong = new FileTokenStore({ path, passphrase: 'wrong horse battery!' });
    await expect(wrong.get('k')).rejects.toSatisfy(
      (error: unknown) => McpSecurityError.isInstance(error) && error.rule === 'integrity',
    );
  });

  it('detects a modified file instead of reading it', async () => {
    const path = join(dir, 'tokens.json');
    const key = randomBytes(32);
    await new FileTokenStore({ path, key }).set('k', tokens);
    const envelope = JSON.parse(readFileSync(path, 'utf8')) as { data: string };
    const data = Buffer.from(envelope.data, 'base64');
    data[0]! ^= 1;
    writeFileSync(path, JSON.stringify({ ...envelope, data: data.toString('base64') }));
    await expect(new FileTokenStore({ path, key }).get('k')).rejects.toSatisfy((error: unknown) =>
      McpSecurityError.isInstance(error),
    );
    writeFileSync(path, 'not json');
    await expect(new FileTokenStore({ path, key }).get('k')).rejects.toSatisfy((error: unknown) =>
      McpSecurityError.isInstance(error),
    );
  });

  it('loses no write when many happen at once', async () => {
    const store = new FileTokenStore({ path: join(dir, 'tokens.json'), key: randomBytes(32) });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.set(`k${i}`, { accessToken: `a${i}`, tokenType: 'Bearer' }),
      ),
    );
    for (let i = 0; i < 20; i++) expect((await store.get(`k${i}`))?.accessToken).toBe(`a${i}`);
  });

  it('validates its options and never shows the key', () => {
    for (const [options, field] of [
      [{ path: join(dir, 't'), key: randomBytes(16) }, 'key'],
      [{ path: join(dir, 't') }, 'key'],
      [{ path: join(dir, 't'), passphrase: 'short' }, 'passphrase'],
      [{ path: '', key: randomBytes(32) }, 'path'],
    ] as const) {
      let caught: unknown;
      try {
        new FileTokenStore(options as never);
      } catch (error) {
        caught = error;
      }
      expect(McpConfigError.isInstance(caught)).toBe(true);
      expect((caught as McpConfigError).field).toBe(field);
    }
    const store = new FileTokenStore({
      path: join(dir, 't'),
      passphrase: 'a long passphrase here',
    });
    expectRedacted(store, 'a long passphrase here');
  });
});
