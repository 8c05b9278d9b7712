import { describe, expect, it } from 'vitest';
import { InMemoryTokenStore, NO_AUTH, type McpAuthPlugin, type TokenStore } from './index.js';

describe('InMemoryTokenStore', () => {
  it('stores copies by key and forgets on delete', async () => {
    const store: TokenStore = new InMemoryTokenStore();
    const tokens = { accessToken: 'a1', tokenType: 'Bearer', expiresAt: 10, refreshToken: 'r1' };
    await store.set('https://issuer|client|https://mcp', tokens);
    tokens.accessToken = 'mutated';
    expect(await store.get('https://issuer|client|https://mcp')).toEqual({
      ...tokens,
      accessToken: 'a1',
    });
    expect(await store.get('other')).toBeUndefined();
    await store.delete('https://issuer|client|https://mcp');
    expect(await store.get('https://issuer|client|https://mcp')).toBeUndefined();
  });
});

describe('McpAuthPlugin', () => {
  it('is satisfied by a plain object (a custom scheme in a few lines)', async () => {
    const plugin: McpAuthPlugin = {
      name: 'team-token',
      headers: ({ method }) => ({ 'X-Team-Token': method === 'POST' ? 'post-token' : 'get-token' }),
      onUnauthorized: ({ attempt }) => (attempt < 2 ? 'retry' : 'fail'),
    };
    expect(
      await plugin.headers!({ url: 'http://127.0.0.1/mcp', method: 'POST', headers: {} }),
    ).toEqual({
      'X-Team-Token': 'post-token',
    });
    expect(
      await plugin.onUnauthorized!({
        url: 'x',
        status: 401,
        challenges: [],
        attempt: 2,
        hadCredentials: true,
        credentials: {},
      }),
    ).toBe('fail');
    expect(NO_AUTH.name).toBe('none');
    expect(NO_AUTH.headers).toBeUndefined();
  });
});
