// The client under test for @modelcontextprotocol/conformance auth scenarios: the official
// SDK Client over Streamable HTTP, authenticated by OAuth2Auth through createAuthFetch.
// Build the package first; the suite (Node 22+) appends the server URL, e.g.
//   conformance client --command "node packages/mcp-auth/test-support/conformance-client.mjs" \
//     --scenario auth/scope-step-up --spec-version 2026-07-28
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { headlessAuthorization, OAuth2Auth } from '../dist/index.js';

const serverUrl = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
const protocolVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;

// The suite's fixed client ID metadata document URL (SEP-991).
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
const REDIRECT_URL = 'http://localhost:3000/callback';

function authOptions() {
  const interactive = { redirectUrl: REDIRECT_URL, onAuthorizationUrl: headlessAuthorization() };
  switch (scenario) {
    case 'auth/pre-registration':
      return { ...interactive, clientId: context.client_id, clientSecret: context.client_secret };
    case 'auth/client-credentials-basic':
      return {
        clientId: context.client_id,
        clientSecret: context.client_secret,
        grantType: 'client_credentials',
      };
    case 'auth/client-credentials-jwt':
      return {
        clientId: context.client_id,
        privateKey: context.private_key_pem,
        privateKeyAlgorithm: context.signing_algorithm ?? 'ES256',
        grantType: 'client_credentials',
      };
    default:
      return { ...interactive, clientMetadataUrl: CLIENT_METADATA_URL };
  }
}

const auth = new OAuth2Auth(authOptions());
const client = new Client(
  { name: 'tframex-mcp-auth-conformance', version: '1.0.0' },
  {
    capabilities: {},
    ...(protocolVersion === '2026-07-28'
      ? { versionNegotiation: { mode: { pin: protocolVersion } } }
      : {}),
  },
);
const transport = new StreamableHTTPClientTransport(new URL(serverUrl), {
  fetch: createAuthFetch(auth),
});

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  if (tools.some((tool) => tool.name === 'test-tool')) {
    await client.callTool({ name: 'test-tool', arguments: {} });
  }
} catch (error) {
  console.error(`conformance client failed: ${error?.name}: ${error?.message}`);
  if (error?.reason) console.error(`reason: ${error.reason}`);
  process.exitCode = 1;
} finally {
  await transport.close().catch(() => undefined);
}
