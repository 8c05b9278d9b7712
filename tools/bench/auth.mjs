#!/usr/bin/env node
// What DPoP costs an MCP client (npm run bench -- auth): OAuth2Auth presenting a DPoP-bound
// token (a fresh ES256 proof per request) against the same plugin presenting a Bearer token,
// measured in this run, printed as ratios. Two views:
//   1. the plugin alone: headers() per request (the proof is signed here), in-process;
//   2. MCPClient calls over HTTP to a MockMCPServer that checks the proof (both sides' cost).
// Rounds alternate A B B A so drift on a busy machine falls on both. It asserts nothing.
//   node tools/bench/auth.mjs [--quick]
import { performance } from 'node:perf_hooks';
import { createAuthFetch } from '@tframex/mcp-auth-api';
import { OAuth2Auth } from '@tframex/mcp-auth';
import { MCPClient } from '@tframex/mcp-core';

// Loaded lazily, as the other benchmarks load the testing kit.
const { MockAuthorizationServer, MockMCPServer } = await import('@tframex/mcp-testing');

const quick = process.argv.includes('--quick');
const HEADER_CALLS = quick ? 200 : 3_000;
const MCP_CALLS = quick ? 30 : 400;
const ROUNDS = quick ? 2 : 4;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function world(dpop) {
  const authServer = new MockAuthorizationServer({
    clients: [{ clientId: 'bench', clientSecret: 'bench-secret' }],
    ...(dpop ? { dpop: {} } : {}),
  });
  await authServer.start();
  const server = new MockMCPServer({
    name: 'bench',
    auth: { type: 'oauth', authorizationServer: authServer },
  });
  server.addTool('echo', (args) => args.text ?? '');
  const url = await server.start();
  const auth = new OAuth2Auth({
    clientId: 'bench',
    clientSecret: 'bench-secret',
    ...(dpop ? { dpop: 'always' } : {}),
  });
  // One request through the plugin: discovery and the token, so the timed part is steady state.
  await createAuthFetch(auth)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const target = {
    url,
    auth,
    client: undefined,
    /** The MCPClient of section 2, connected once section 1 is done. */
    async connect() {
      target.client = new MCPClient({ serverUrl: url, auth, timeoutMs: 30_000 });
      await target.client.connect();
      await target.client.listTools();
    },
    stop: async () => {
      await target.client?.close();
      await server.stop();
      await authServer.stop();
    },
  };
  return target;
}

/** Microseconds per headers() call. */
async function timeHeaders(target) {
  const request = { url: target.url, method: 'POST', headers: {} };
  const start = performance.now();
  for (let i = 0; i < HEADER_CALLS; i++) await target.auth.headers(request);
  return ((performance.now() - start) * 1000) / HEADER_CALLS;
}

/** Milliseconds per tool call. */
async function timeCalls(target) {
  const start = performance.now();
  for (let i = 0; i < MCP_CALLS; i++)
    await target.client.callTool('echo', { text: 'x' }, { idempotent: true });
  return (performance.now() - start) / MCP_CALLS;
}

async function abba(label, unit, measure, bearer, dpop) {
  const a = [];
  const b = [];
  await measure(bearer); // warm-up
  await measure(dpop);
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      a.push(await measure(bearer));
      b.push(await measure(dpop));
    } else {
      b.push(await measure(dpop));
      a.push(await measure(bearer));
    }
  }
  const [bearerMedian, dpopMedian] = [median(a), median(b)];
  console.log(
    `  ${label.padEnd(34)} Bearer ${bearerMedian.toFixed(2).padStart(8)} ${unit}   DPoP ${dpopMedian.toFixed(2).padStart(8)} ${unit}   ratio ${(dpopMedian / bearerMedian).toFixed(2)}×   (+${(dpopMedian - bearerMedian).toFixed(2)} ${unit})`,
  );
}

const bearer = await world(false);
const dpop = await world(true);
try {
  console.log(
    `DPoP vs Bearer (OAuth2Auth, ES256 proofs; medians of ${ROUNDS} rounds, Node ${process.version})`,
  );
  await abba(`headers() per request (×${HEADER_CALLS})`, 'µs', timeHeaders, bearer, dpop);
  await bearer.connect();
  await dpop.connect();
  await abba(`MCPClient callTool over HTTP (×${MCP_CALLS})`, 'ms', timeCalls, bearer, dpop);
} finally {
  await bearer.stop();
  await dpop.stop();
}
