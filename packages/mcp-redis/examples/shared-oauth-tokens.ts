// RedisTokenStore: three stores (as three processes would have) share one OAuth token, kept
// encrypted in Redis. Each renews the way OAuth2Auth does on such a store: take the key's lock,
// read the store again, ask the authorization server only if nobody just did, save, release.
// One token request in all, against a real redis-server and MockAuthorizationServer.
/* eslint-disable @nx/enforce-module-boundaries -- the example imports the package by its name,
   as users do, and starts a real redis-server through the workspace's test services */
import { randomBytes } from 'node:crypto';
import type { StoredTokens } from '@tframex/mcp-auth-api';
import { MockAuthorizationServer } from '@tframex/mcp-testing';
import { startRedis } from '@tframex/test-services';
import { RedisTokenStore } from '@tframex/mcp-redis';
import { createClient } from 'redis';

export async function main(): Promise<{
  tokenRequests: number;
  sameToken: boolean;
  encryptedAtRest: boolean;
}> {
  const redis = await startRedis();
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'svc', clientSecret: 'svc-secret' }],
  });
  await authServer.start();
  const encryptionKey = randomBytes(32); // in production: the same 32 bytes in every process
  const stores = [1, 2, 3].map(() => new RedisTokenStore({ url: redis.url, encryptionKey }));
  const key = `oauth2|${authServer.issuer}|svc`;

  async function requestToken(): Promise<StoredTokens> {
    const response = await fetch(`${authServer.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa('svc:svc-secret')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    return {
      accessToken: body.access_token,
      tokenType: body.token_type,
      expiresAt: Date.now() + body.expires_in * 1000,
    };
  }

  async function accessToken(store: RedisTokenStore): Promise<string> {
    const lock = await store.lock(key, { ttlMs: 30_000, waitMs: 31_000 });
    if (!lock) throw new Error('another process has been renewing for too long');
    try {
      const stored = await store.get(key);
      if (stored && (stored.expiresAt ?? Infinity) > Date.now() + 60_000) return stored.accessToken;
      const fresh = await requestToken();
      await store.set(key, fresh);
      return fresh.accessToken;
    } finally {
      await lock.release();
    }
  }

  const admin = createClient({ url: redis.url });
  try {
    const tokens = await Promise.all(stores.map(accessToken));
    await admin.connect();
    const raw = (await admin.get(stores[0]!.keyOf(key))) ?? '';
    const result = {
      tokenRequests: authServer.requests.filter((r) => r.endpoint === 'token').length,
      sameToken: new Set(tokens).size === 1,
      encryptedAtRest: raw !== '' && !raw.includes(tokens[0]!),
    };
    console.log(result);
    return result;
  } finally {
    if (admin.isOpen) await admin.close();
    await Promise.all(stores.map((store) => store.close()));
    await authServer.stop();
    await redis.stop();
  }
}
