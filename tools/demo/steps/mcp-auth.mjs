// The mcp-auth step: MCPClient authenticating the way enterprises deploy it, against a
// MockMCPServer guarded by a MockAuthorizationServer: a DPoP-bound token (a copy of it is
// refused), and a workload that signs in with its platform identity token, no secret stored.
import { generateKeyPairSync, sign } from 'node:crypto';
import { OAuth2Auth } from '@tframex/mcp-auth';
import { MCPClient } from '@tframex/mcp-core';
import { MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';

function workloadToken(privateKey, audience) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: 'ES256', typ: 'JWT' })}.${part({ iss: 'https://platform.example', sub: 'jobs/indexer', aud: audience, iat: now, exp: now + 300 })}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

export default {
  name: 'mcp-auth',
  async run(demo) {
    const { section, print, onStop, ui } = demo;
    section('Enterprise auth', 'OAuth2Auth: DPoP-bound tokens, workload identity');
    const platform = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const authServer = new MockAuthorizationServer({
      clients: [{ clientId: 'reporting-agent', clientSecret: 'agent-secret' }],
      dpop: { nonce: true },
      trustedIssuers: [
        {
          issuer: 'https://platform.example',
          publicKey: platform.publicKey.export({ format: 'jwk' }),
        },
      ],
    });
    await authServer.start();
    onStop('server', () => authServer.stop());
    const server = new MockMCPServer({
      name: 'vault',
      auth: { type: 'oauth', authorizationServer: authServer, dpop: { nonce: true } },
    });
    server.addTool('whoami', (_args, context) => context.auth?.clientId ?? 'nobody');
    const url = await server.start();
    onStop('server', () => server.stop());

    const connect = async (name, auth) => {
      const client = new MCPClient({ name, serverUrl: url, auth, timeoutMs: 20_000 });
      onStop('client', () => client.close());
      await client.connect();
      return client;
    };
    const agent = await connect(
      'dpop-agent',
      new OAuth2Auth({
        clientId: 'reporting-agent',
        clientSecret: 'agent-secret',
        dpop: 'if-supported',
      }),
    );
    const who = await agent.callTool('whoami', {});
    const presented = server.httpRequests.find((r) => r.headers.authorization?.startsWith('DPoP '));
    const token = presented?.headers.authorization?.slice('DPoP '.length) ?? '';
    const jkt = authServer.introspect(token)?.jkt;
    if (!jkt) throw new Error('the agent did not present a DPoP-bound token');
    print(
      `  ${ui.pad('dpop', 10)}whoami → ${ui.textOf(who)}  ${ui.dim(`token bound to key ${jkt.slice(0, 12)}…`)}`,
    );

    const thief = await connect('thief', {
      name: 'thief',
      headers: () => ({ Authorization: `Bearer ${token}` }),
    }).then(
      () => 'connected',
      () => 'refused',
    );
    if (thief !== 'refused') throw new Error('a copied DPoP token was accepted');
    print(`  ${ui.pad('copy', 10)}the same token without the key → ${ui.green('refused')}`);

    const workload = await connect(
      'workload',
      new OAuth2Auth({ assertion: ({ issuer }) => workloadToken(platform.privateKey, issuer) }),
    );
    const identity = await workload.callTool('whoami', {});
    print(
      `  ${ui.pad('workload', 10)}platform JWT → JWT bearer grant → whoami → ${ui.textOf(identity)}`,
    );
  },
};
