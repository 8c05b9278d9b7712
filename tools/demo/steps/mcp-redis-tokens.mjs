// The mcp-redis tokens step: three MCPClients, as three processes of one application would
// be, each with OAuth2Auth on its own RedisTokenStore connection to one Redis (encrypted at
// rest), connecting at once to an OAuth-protected MockMCPServer: one token request serves all.
import { randomBytes } from 'node:crypto';
import { McpSecurityError } from '@tframex/mcp-api';
import { OAuth2Auth } from '@tframex/mcp-auth';
import { MCPClient } from '@tframex/mcp-core';
import { RedisTokenStore } from '@tframex/mcp-redis';
import { MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { createClient } from 'redis';
import { demoRedis } from './redis-server.mjs';

export default {
  name: 'mcp-redis-tokens',
  async run(demo) {
    const { section, print, onStop, ui } = demo;
    section('Shared OAuth tokens', 'RedisTokenStore: one token for every process, encrypted');
    const redis = await demoRedis(demo);
    if (!redis) return;
    const authServer = new MockAuthorizationServer({
      clients: [{ clientId: 'reports-service', clientSecret: 'reports-secret' }],
    });
    await authServer.start();
    onStop('server', () => authServer.stop());
    const server = new MockMCPServer({
      name: 'reports',
      auth: { type: 'oauth', authorizationServer: authServer },
    });
    server.addTool('whoami', (_args, context) => context.auth?.clientId ?? 'nobody');
    const url = await server.start();
    onStop('server', () => server.stop());

    const encryptionKey = randomBytes(32);
    const workers = ['worker-1', 'worker-2', 'worker-3'];
    const clients = await Promise.all(
      workers.map(async (name) => {
        const tokenStore = new RedisTokenStore({ url: redis.url, encryptionKey });
        onStop('client', () => tokenStore.close());
        const auth = new OAuth2Auth({
          clientId: 'reports-service',
          clientSecret: 'reports-secret',
          tokenStore,
        });
        const client = new MCPClient({ name, serverUrl: url, auth, timeoutMs: 20_000 });
        onStop('client', () => client.close());
        await client.connect();
        return client;
      }),
    );
    for (const client of clients) {
      const who = await client.callTool('whoami', {});
      print(`  ${ui.pad(client.name ?? 'worker', 10)}whoami → ${ui.textOf(who)}`);
    }
    const tokenRequests = authServer.requests.filter((r) => r.endpoint === 'token').length;
    if (tokenRequests !== 1) throw new Error(`expected 1 token request, saw ${tokenRequests}`);
    print(`  ${ui.OK} ${workers.length} clients, 1 token request at the authorization server`);

    // What Redis holds: one entry, sealed; a store without the key is refused it.
    const admin = createClient({ url: redis.url });
    await admin.connect();
    onStop('client', () => admin.close());
    const [redisKey] = await admin.keys('tframex:oauth:token:*');
    const raw = redisKey ? await admin.get(redisKey) : null;
    if (!raw || raw.includes('Bearer')) throw new Error('the tokens are not encrypted at rest');
    const keyless = new RedisTokenStore({ url: redis.url, onError: () => undefined });
    onStop('client', () => keyless.close());
    const refused = await keyless.get(redisKey.slice('tframex:oauth:token:'.length)).then(
      () => false,
      (error) => McpSecurityError.isInstance(error),
    );
    if (!refused) throw new Error('a store without the key read the tokens');
    print(
      `  ${ui.OK} at rest: ${ui.dim(`${raw.slice(0, 28)}…`)} (AES-256-GCM; without the key: refused)`,
    );
  },
};
