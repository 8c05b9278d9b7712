#!/usr/bin/env node
// The client program @modelcontextprotocol/conformance runs for every client scenario: it is
// MCPClient from @tframex/mcp-core (never the SDK Client directly), authenticated by
// OAuth2Auth from @tframex/mcp-auth in the auth scenarios. It imports the built packages:
// run `pnpm exec nx run-many -t build` first. The suite appends the server URL and sets
//   MCP_CONFORMANCE_SCENARIO          the scenario name
//   MCP_CONFORMANCE_CONTEXT           JSON: credentials and scenario data (tool calls to make)
//   MCP_CONFORMANCE_PROTOCOL_VERSION  the revision under test; it picks the lifecycle:
//                                     2025-11-25 and earlier → legacy, 2026-07-28 → modern
import { McpAuthError, McpProtocolError } from '@tframex/mcp-api';
import { MCPClient, MCPToolAdapter } from '@tframex/mcp-core';
import { OAuth2Auth, headlessAuthorization } from '@tframex/mcp-auth';
import { listSkills, loadSkill } from './skills-host.mjs';

const serverUrl = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
const protocolVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '2025-11-25';

const MODERN = '2026-07-28';
const protocol = protocolVersion >= MODERN ? 'modern' : 'legacy';

// The suite's fixed client ID metadata document URL (SEP-991) and a redirect URL that the
// headless authorization never visits: the code is read from the redirect's Location.
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
const REDIRECT_URL = 'http://localhost:3000/callback';

function log(...parts) {
  console.log(`[${scenario}]`, ...parts);
}

// --- auth --------------------------------------------------------------------------------

/**
 * The fetch for OAuth traffic (discovery, registration, authorization, tokens): one
 * connection per request. The suite runs every scenario at once, and on a loaded machine a
 * pooled keep-alive socket can outlive the scenario server's 5 s idle timeout and be reset
 * under the next request (ECONNRESET); not reusing sockets takes that race off the table.
 */
function authFetch(input, init) {
  const headers = new Headers(
    init?.headers ?? (input instanceof Request ? input.headers : undefined),
  );
  headers.set('connection', 'close');
  return fetch(input, { ...init, headers });
}

function authOptions() {
  const interactive = {
    redirectUrl: REDIRECT_URL,
    onAuthorizationUrl: headlessAuthorization({ fetch: authFetch }),
    fetch: authFetch,
  };
  switch (scenario) {
    case 'auth/pre-registration':
      return { ...interactive, clientId: context.client_id, clientSecret: context.client_secret };
    case 'auth/client-credentials-basic':
      return {
        clientId: context.client_id,
        clientSecret: context.client_secret,
        grantType: 'client_credentials',
        fetch: authFetch,
      };
    case 'auth/client-credentials-jwt':
      return {
        clientId: context.client_id,
        privateKey: context.private_key_pem,
        privateKeyAlgorithm: context.signing_algorithm ?? 'ES256',
        grantType: 'client_credentials',
        fetch: authFetch,
      };
    case 'auth/wif-jwt-bearer':
      // The workload's platform-issued JWT, presented with the JWT bearer grant (RFC 7523).
      return { clientId: context.client_id, assertion: context.valid_jwt, fetch: authFetch };
    case 'auth/enterprise-managed-authorization':
      // The user's ID token from the enterprise IdP → ID-JAG there → JWT bearer grant.
      return {
        clientId: context.client_id,
        clientSecret: context.client_secret,
        enterprise: {
          idToken: context.idp_id_token,
          idpTokenUrl: context.idp_token_endpoint,
          idpClientId: context.idp_client_id,
        },
        fetch: authFetch,
      };
    default:
      // DPoP whenever the authorization server offers it (auth/dpop, auth/dpop-nonce).
      return { ...interactive, clientMetadataUrl: CLIENT_METADATA_URL, dpop: 'if-supported' };
  }
}

// --- server-initiated requests -----------------------------------------------------------

/** Accepts every form elicitation; fields left out are filled from the schema's defaults. */
async function onElicitation(params) {
  log('elicitation', JSON.stringify(params));
  if (params.mode === 'url') return { action: 'accept' };
  const properties = params.requestedSchema?.properties ?? {};
  const content = {};
  // Answer only what the scenario asks us to confirm; defaults are the client's job.
  if (properties.confirmed?.type === 'boolean') content.confirmed = true;
  return { action: 'accept', content };
}

async function onSampling(params) {
  log('sampling', JSON.stringify(params));
  return {
    role: 'assistant',
    content: { type: 'text', text: 'A sampled answer from the conformance client.' },
    model: 'conformance-model',
    stopReason: 'endTurn',
  };
}

function newClient(extra = {}) {
  return new MCPClient({
    serverUrl,
    protocol,
    clientInfo: { name: 'tframex-mcp-conformance', version: '0.1.0' },
    onElicitation,
    onSampling,
    roots: [{ uri: 'file:///tmp/conformance', name: 'conformance' }],
    sseFallback: false,
    // The suite runs every scenario of a set at once (dozens of processes on a few cores):
    // be patient.
    timeoutMs: 40_000,
    connectTimeoutMs: 40_000,
    ...extra,
  });
}

// --- scenarios ---------------------------------------------------------------------------

/**
 * Calls a tool, declared safe to repeat: the scenario tools have no side effects. Under the
 * suite's load a starved client can pick a pooled socket the scenario server closed after
 * its 5 s idle timeout; MCPClient rightly never replays a non-idempotent call after such a
 * reset (the server might have run it), and the scenario would fail for the machine's load.
 */
function call(client, name, args, options = {}) {
  return client.callTool(name, args, { idempotent: true, ...options });
}

/** Lists tools and calls each as the scenario server expects. */
async function exercise(client) {
  const tools = await client.listTools();
  log('tools', tools.map((tool) => tool.name).join(', ') || '(none)');
  return tools;
}

const scenarios = {
  async initialize(client) {
    await exercise(client);
  },

  async tools_call(client) {
    await exercise(client);
    const result = await call(client, 'add_numbers', { a: 5, b: 3 });
    log('add_numbers →', JSON.stringify(result.content));
  },

  async 'elicitation-sep1034-client-defaults'(client) {
    await exercise(client);
    const result = await call(client, 'test_client_elicitation_defaults', {});
    log('→', JSON.stringify(result.content));
  },

  async 'sse-retry'(client) {
    await exercise(client);
    const result = await call(client, 'test_reconnection', {});
    log('test_reconnection →', JSON.stringify(result.content));
  },

  async 'request-metadata'(client) {
    await exercise(client);
    await call(client, 'any_tool', {}).catch((error) => log('callTool:', error.kind));
  },

  async 'sep-2322-client-request-state'(client) {
    await exercise(client);
    for (const name of [
      'test_mrtr_echo_state',
      'test_mrtr_unrelated',
      'test_mrtr_no_state',
      'test_mrtr_no_result_type',
    ]) {
      try {
        const result = await call(client, name, {});
        log(`${name} →`, JSON.stringify(result.content));
      } catch (error) {
        // A 2026-07-28 result without resultType breaks the server's MUST; the client refuses
        // it as a protocol error (and, as the scenario checks, never retries it as input).
        if (name !== 'test_mrtr_no_result_type' || !McpProtocolError.isInstance(error)) throw error;
        log(`${name} refused:`, error.message);
      }
    }
  },

  async 'http-standard-headers'(client) {
    const tools = await exercise(client);
    for (const tool of tools) await call(client, tool.name, {});
    const resources = await client.listResources();
    for (const resource of resources) await client.readResource(resource.uri);
    const prompts = await client.listPrompts();
    for (const prompt of prompts) await client.getPrompt(prompt.name);
  },

  async 'http-custom-headers'(client) {
    await exercise(client);
    // The suite names the calls to make, with the arguments whose headers it checks.
    for (const toolCall of context.toolCalls ?? []) {
      const result = await call(client, toolCall.name, toolCall.arguments);
      log(`${toolCall.name} →`, JSON.stringify(result.content));
    }
  },

  async 'http-invalid-tool-headers'(client) {
    const tools = await exercise(client);
    // Every tool the client kept is callable; the malformed ones must not be among them.
    for (const tool of tools) {
      const args = Object.fromEntries(
        Object.keys(tool.inputSchema.properties ?? {}).map((key) => [key, 'value']),
      );
      await call(client, tool.name, args);
    }
  },

  async 'json-schema-ref-no-deref'(client) {
    const tools = await exercise(client);
    // Turn the tools into agent tools too: schema handling must stay inside the document.
    const adapted = await new MCPToolAdapter(client).createTools(tools);
    log('adapted', adapted.map((tool) => JSON.stringify(tool.inputSchema)).join(' '));
  },

  async 'json-schema-2020-12-preservation'(client) {
    const tools = await exercise(client);
    const focal = tools.find((tool) => tool.name === 'json_schema_2020_12_tool');
    if (!focal) throw new Error('the server did not list json_schema_2020_12_tool');
    await call(client, 'json_schema_echo', { schema: focal.inputSchema });
  },

  /** Skills (SEP-2640): listing reads no skill file. */
  async 'sep-2640-client-no-prefetch'(client) {
    const skills = await listSkills(client);
    log('skills', skills.map((skill) => skill.uri).join(', ') || '(none)');
  },

  /** Skills whose SKILL.md was tampered with: loading must reject it before any other file. */
  async 'sep-2640-client-verify'(client) {
    const [skill] = await listSkills(client);
    if (!skill) throw new Error('the server listed no skill');
    try {
      await loadSkill(client, skill);
      log('loaded', skill.uri);
    } catch (error) {
      log(error.message); // the host refuses the content and goes on without the skill
    }
  },

  /** Auth scenarios: connect (authorizing on the way), list tools, call the test tool. */
  async auth(client) {
    const tools = await exercise(client);
    if (tools.some((tool) => tool.name === 'test-tool')) {
      const result = await call(client, 'test-tool', {});
      log('test-tool →', JSON.stringify(result.content));
    }
  },
};

/**
 * Scenarios whose server misbehaves on purpose: the right outcome is that MCPClient refuses
 * to go on, with an McpAuthError (wrong resource, wrong or missing `iss`, an issuer that does
 * not match its metadata, a scope the server never grants).
 */
const REFUSAL_EXPECTED = new Set([
  'auth/resource-mismatch',
  'auth/iss-supported-missing',
  'auth/iss-wrong-issuer',
  'auth/iss-unexpected',
  'auth/iss-normalized',
  'auth/metadata-issuer-mismatch',
  'auth/scope-retry-limit',
]);

/** One line run.mjs reads back from the scenario's stdout: how the client's run ended. */
function reportOutcome(outcome, error) {
  const report = { outcome, ...(error ? { errorKind: error.kind ?? error.name } : {}) };
  console.log(`conformance-client-outcome ${JSON.stringify(report)}`);
}

const run = scenario.startsWith('auth/')
  ? scenarios.auth
  : scenario.startsWith('sep-2640-client-verify-')
    ? scenarios['sep-2640-client-verify']
    : scenarios[scenario];
if (!run) {
  console.error(`unknown scenario "${scenario}"`);
  reportOutcome('failed');
  process.exit(2);
}

let client;
try {
  client = newClient(scenario.startsWith('auth/') ? { auth: new OAuth2Auth(authOptions()) } : {});
  await client.connect();
  log(`connected: ${client.protocolEra} ${client.protocolVersion}`);
  await run(client);
  if (REFUSAL_EXPECTED.has(scenario)) {
    console.error('conformance client went on where it should have refused');
    reportOutcome('failed');
    process.exitCode = 1;
  } else reportOutcome('completed');
} catch (error) {
  const refused = REFUSAL_EXPECTED.has(scenario) && McpAuthError.isInstance(error);
  console.error(
    `conformance client ${refused ? 'refused, as it should' : 'failed'}: ${error?.name} (${error?.kind}): ${error?.message}`,
  );
  if (error?.cause && !refused) console.error('cause:', error.cause);
  reportOutcome(refused ? 'refused' : 'failed', error);
  if (!refused) process.exitCode = 1;
} finally {
  await client?.close();
}
