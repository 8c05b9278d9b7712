// Workload identity: a job authenticates to an MCP server with the identity token its platform
// projects into a file (no stored secret), exchanged with the JWT bearer grant (RFC 7523).
// `assertionFromFile` reads the file for every token request, so a rotated token is picked up.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCPTestClient, MockAuthorizationServer, MockMCPServer } from '@tframex/mcp-testing';
import { OAuth2Auth } from '../src/index.js';
import { assertionFromFile } from '../src/node.js';

/** What the platform does: sign a short-lived identity token for the workload. */
function platformToken(
  privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'],
  audience: string,
): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: 'ES256', typ: 'JWT' })}.${part({
    iss: 'https://platform.example',
    sub: 'system:serviceaccount:jobs:indexer',
    aud: audience,
    iat: now,
    exp: now + 600,
  })}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

export async function main(): Promise<void> {
  const platform = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const authServer = new MockAuthorizationServer({
    trustedIssuers: [
      {
        issuer: 'https://platform.example',
        publicKey: platform.publicKey.export({ format: 'jwk' }),
      },
    ],
  });
  await authServer.start();
  const server = new MockMCPServer({
    name: 'search',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  server.addTool('whoami', (_args, context) => context.auth?.clientId ?? 'nobody');
  await server.start();
  const dir = mkdtempSync(join(tmpdir(), 'workload-'));
  const tokenFile = join(dir, 'token');
  const client = new MCPTestClient(server, {
    auth: new OAuth2Auth({ assertion: assertionFromFile(tokenFile) }),
  });
  try {
    writeFileSync(tokenFile, platformToken(platform.privateKey, authServer.issuer));
    const who = await client.executeTool('whoami');
    if (who !== 'system:serviceaccount:jobs:indexer')
      throw new Error(`unexpected identity ${String(who)}`);
    console.log(`connected as ${who}, with no secret stored anywhere`);
    const grants = authServer.requests.filter((r) => r.endpoint === 'token');
    console.log(`token requests: ${grants.map((r) => r.params.grant_type).join(', ')}`);
  } finally {
    await client.close();
    await server.stop();
    await authServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
