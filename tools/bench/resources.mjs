#!/usr/bin/env node
// Benchmark of @tframex/mcp-resources (built): what a driver adds to a tool call, and whether
// memory stays flat while a listing walks 100 000 entries. Every cost is printed beside a
// baseline measured in the same run: the raw `callTool` on the same server and session, in
// memory (MockMCPServer, MCPTestClient). Asserts nothing; writes the figures to
// test-output/bench/resources.json.
//
//   npm run bench -- resources [--quick] [--calls <n>] [--rounds <n>] [--entries <n>]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MCPResource } from '@tframex/mcp-resources';
import { median } from './lib/measure.mjs';
import { fmt, printTable } from './lib/report.mjs';

// Loaded on demand, as every benchmark here loads the testing kit (see lib/server.mjs).
const { MCPTestClient, MockMCPServer } = await import('@tframex/mcp-testing');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const number = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number ≥ 1`);
  return value;
};
const quick = flag('quick');
const CALLS = number('calls', quick ? 500 : 3_000);
const ROUNDS = number('rounds', quick ? 2 : 6);
const ENTRIES = number('entries', 100_000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
function settledHeap() {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

// A server with the tool shapes of mcp-postgres-server (query {sql, params}) and mcp-redis
// (redis_get {key}), answering as they do, in memory.
function sqlAndKvServer() {
  const server = new MockMCPServer({ name: 'bench' });
  const rows = JSON.stringify({
    rows: [{ id: 1, name: 'alice', email: 'alice@example.com' }],
    rowCount: 1,
    returnedRows: 1,
    truncated: false,
  });
  const schema = (properties) => ({ type: 'object', properties });
  server.addTool('query', () => ({ content: [{ type: 'text', text: rows }] }), {
    inputSchema: schema({ sql: { type: 'string' }, params: { type: 'array' } }),
  });
  server.addTool('execute', () => ({ content: [{ type: 'text', text: '{"rowCount":1}' }] }), {
    inputSchema: schema({ sql: { type: 'string' }, params: { type: 'array' } }),
  });
  server.addTool(
    'redis_get',
    () => ({ content: [{ type: 'text', text: '{"name":"Alice","role":"admin"}' }] }),
    {
      inputSchema: schema({ key: { type: 'string' } }),
    },
  );
  server.addTool('redis_set', () => 'OK', { inputSchema: schema({ key: {}, value: {} }) });
  server.addTool('redis_del', () => 'Deleted 1 key(s).', { inputSchema: schema({ key: {} }) });
  return server;
}

/**
 * CPU µs per call (user + system of this process, which runs client and server alike): on a
 * busy machine CPU time drifts far less than wall time.
 */
async function timeCalls(call, calls) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const { user, system } = process.cpuUsage(t0);
  return (user + system) / calls;
}

async function driverOverhead() {
  const server = sqlAndKvServer();
  const client = new MCPTestClient(server, { name: 'bench', era: 'legacy' });
  await client.connect();
  const db = new MCPResource({ client, uri: 'mcp://bench/production', type: 'postgresql' });
  const kv = new MCPResource({ client, uri: 'mcp://bench/redis', type: 'keyvalue' });
  const SQL = 'SELECT id, name, email FROM users WHERE created_at > $1';
  const pairs = {
    'execute (postgresql)': {
      raw: async () =>
        JSON.parse(
          (await client.callTool('query', { sql: SQL, params: ['2024-01-01'] })).content[0].text,
        ).rows,
      driver: () =>
        db.execute('SELECT id, name, email FROM users WHERE created_at > ?', {
          params: ['2024-01-01'],
        }),
    },
    'get (keyvalue)': {
      raw: async () =>
        JSON.parse((await client.callTool('redis_get', { key: 'user:123' })).content[0].text),
      driver: () => kv.get('user:123'),
    },
  };
  const figures = {};
  const rows = [];
  for (const [name, { raw, driver }] of Object.entries(pairs)) {
    await timeCalls(raw, Math.min(CALLS, 300)); // warm up: JIT, driver choice
    await timeCalls(driver, Math.min(CALLS, 300));
    const runs = { raw: [], driver: [] };
    // ABBA: drift on a busy machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['raw', 'driver'] : ['driver', 'raw'];
      for (const which of order)
        runs[which].push(await timeCalls(which === 'raw' ? raw : driver, CALLS));
    }
    const base = median(runs.raw);
    const withDriver = median(runs.driver);
    figures[name] = { rawUs: base, driverUs: withDriver, overhead: withDriver / base - 1, runs };
    rows.push([
      name,
      fmt.us(base),
      fmt.us(withDriver),
      `${(withDriver - base).toFixed(1)} µs`,
      fmt.pct(withDriver / base - 1),
    ]);
  }
  await client.close();
  await server.stop();
  printTable(
    `1. Driver overhead per call over a raw callTool (in memory, CPU time, ${fmt.rate(CALLS)} calls × ${ROUNDS} rounds in batches of 100, median)`,
    [
      { title: 'operation', align: 'left' },
      { title: 'raw CPU µs/call' },
      { title: 'driver CPU µs/call' },
      { title: 'added' },
      { title: 'overhead' },
    ],
    rows,
  );
  return figures;
}

// A session that serves `count` resources in pages generated on demand, so what is measured is
// the listing side alone (a second McpSession: a plain object).
function pagedSession(count, pageSize) {
  return {
    name: 'big',
    serverInfo: { name: 'big', version: '1' },
    capabilities: { resources: {} },
    async listPage(_list, { cursor } = {}) {
      const start = cursor === undefined ? 0 : Number(cursor);
      const end = Math.min(count, start + pageSize);
      const items = [];
      for (let i = start; i < end; i++) {
        items.push({
          uri: `file:///data/dir-${i % 100}/entry-${i}.json`,
          name: `data/dir-${i % 100}/entry-${i}.json`,
          mimeType: 'application/json',
          size: 100 + i,
        });
      }
      return { items, ...(end < count ? { nextCursor: String(end) } : {}) };
    },
    async listResources() {
      throw new Error('the benchmark lists page by page');
    },
    async readResource(uri) {
      return { contents: [{ uri, text: '{}', mimeType: 'application/json' }] };
    },
    async callTool() {
      return { content: [] };
    },
  };
}

async function listingMemory() {
  const session = pagedSession(ENTRIES, 500);
  const data = new MCPResource({ client: session, uri: 'mcp://big/data' });
  const before = settledHeap();
  const checkpoints = [];
  let seen = 0;
  let peak = 0;
  const step = ENTRIES / 5;
  for await (const entry of data.list('', { recursive: true })) {
    seen += entry.size > 0 ? 1 : 0;
    if (seen % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    if (seen % step === 0) checkpoints.push({ entries: seen, heapDelta: settledHeap() - before });
  }
  const iterated = { peak, checkpoints };
  const beforeArray = settledHeap();
  const all = await data.list('', { recursive: true });
  const arrayHeap = settledHeap() - beforeArray;
  const count = all.length;
  printTable(
    `2. Heap while walking ${fmt.rate(ENTRIES)} entries with for await (pages of 500; settled after GC)`,
    [{ title: 'entries walked', align: 'left' }, { title: 'heap vs start' }],
    [
      ...checkpoints.map((point) => [fmt.rate(point.entries), fmt.bytes(point.heapDelta)]),
      [`peak (unsettled, sampled)`, fmt.bytes(peak)],
      [`for contrast: await list() holding ${fmt.rate(count)}`, fmt.bytes(arrayHeap)],
    ],
  );
  return { iterated, arrayHeap, count };
}

console.log(
  `mcp-resources benchmark — Node ${process.version}, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}${quick ? ' (quick: figures not to be relied on)' : ''}`,
);
const results = { node: process.version, loadavg: os.loadavg(), quick };
results.overhead = await driverOverhead();
results.listing = await listingMemory();
const out = join(root, 'test-output', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'resources.json'), `${JSON.stringify(results, null, 2)}\n`);
for (const [name, figure] of Object.entries(results.overhead)) {
  console.log(
    `\nTarget: driver overhead ≤ 5% in memory — ${name}: ${fmt.pct(figure.overhead)} — ${figure.overhead <= 0.05 ? 'met' : 'NOT met'}.`,
  );
}
const last = results.listing.iterated.checkpoints.at(-1);
console.log(
  `Heap after walking ${fmt.rate(last.entries)} entries: ${fmt.bytes(last.heapDelta)} vs start, against ${fmt.bytes(results.listing.arrayHeap)} for the same entries in one array.`,
);
console.log(`Figures written to ${join('test-output', 'bench', 'resources.json')}.`);
