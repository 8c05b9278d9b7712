#!/usr/bin/env node
// Benchmarks of @tframex/mcp-streams (and the Redis fan-out of @tframex/mcp-redis), built
// packages, each against a baseline measured in the same run. Prints figures and ratios; asserts
// nothing timed.
//   1. events/s through filter + window in one process (MCPStream on a plain session that
//      delivers notifications directly) vs the same filter + window written by hand;
//   2. notifications/s end to end over Streamable HTTP: MCPClient + MCPStream vs the raw SDK
//      Client's notification handler (server in this process, both alike);
//   3. heap over 10M events with a slow consumer (bufferSize 1000, drop-oldest);
//   4. Redis fan-out: events/s through MCPStream.relay + RedisStreamBus to 3 consumer
//      processes in one group, vs raw XADD / XREADGROUP / XACK with 3 processes.
//   node tools/bench/streams.mjs [--quick] [--only 1,2,3,4]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { MCPClient } from '@tframex/mcp-core';
import { RedisStreamBus } from '@tframex/mcp-redis';
import { MCPStream } from '@tframex/mcp-streams';
import { startRedis } from '@tframex/test-services';
import { createClient } from 'redis';
import { median } from './lib/measure.mjs';
import { printTable as printRawTable } from './lib/report.mjs';

const fmt = (value, digits) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '-';

const printTable = (title, columns, rows) =>
  printRawTable(
    title,
    columns.map((title, i) => ({ title, ...(i === 0 ? { align: 'left' } : {}) })),
    rows,
  );

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['1', '2', '3', '4'];
const targets = [];
const gc = globalThis.gc ?? (() => undefined);

/** A plain-object McpSession whose notifications the benchmark delivers by hand. */
function plainSession() {
  const handlers = new Map();
  let resolveClosed;
  const closed = new Promise((resolve) => (resolveClosed = resolve));
  const nothing = () => Promise.resolve([]);
  return {
    name: 'bench',
    serverInfo: { name: 'bench', version: '0' },
    capabilities: {},
    protocolVersion: '2025-11-25',
    protocolEra: 'legacy',
    instructions: undefined,
    listTools: nothing,
    listResources: nothing,
    listResourceTemplates: nothing,
    listPrompts: nothing,
    setLoggingLevel: () => Promise.resolve(),
    ping: () => Promise.resolve(),
    subscribe: () => Promise.reject(new Error('no subscriptions on the plain session')),
    state: 'connected',
    closed,
    onNotification(method, handler) {
      handlers.set(method, handler);
      return () => handlers.delete(method);
    },
    deliver(method, params) {
      handlers.get(method)?.({ method, params });
    },
    close() {
      resolveClosed();
      return Promise.resolve();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

// ---- 1. filter + window in process -----------------------------------------------------------
async function inProcess() {
  const total = quick ? 500_000 : 4_000_000;
  const batch = 5_000;
  const payloads = Array.from({ length: 64 }, (_, i) => ({
    type: i % 8 === 0 ? 'noise' : 'tick',
    data: { service: i % 2 ? 'api' : 'db', n: i },
  }));
  const runStream = async () => {
    const session = plainSession();
    const stream = new MCPStream({ client: session, uri: 'mcp://bench/notifications/events' });
    let processed = 0;
    const done = stream.processWindowed({
      windowSize: 100,
      bufferSize: batch * 2,
      filters: { type: 'tick', service: 'api' },
      processor: (events) => {
        processed += events.length;
      },
    });
    while (!stream.listening) await tick();
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < total; sent += batch) {
      for (let i = 0; i < batch; i++)
        session.deliver('notifications/events', payloads[(sent + i) & 63]);
      await tick();
    }
    await session.close();
    await done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { rate: total / seconds, processed };
  };
  const runByHand = async () => {
    let processed = 0;
    let window = [];
    let seq = 0;
    const handler = ({ params }) => {
      const event = { type: params.type, data: params.data, seq: ++seq, receivedAt: Date.now() };
      if (event.type !== 'tick' || event.data.service !== 'api') return;
      window.push(event);
      if (window.length === 100) {
        processed += window.length;
        window = [];
      }
    };
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < total; sent += batch) {
      for (let i = 0; i < batch; i++)
        handler({ method: 'notifications/events', params: payloads[(sent + i) & 63] });
      await tick();
    }
    processed += window.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { rate: total / seconds, processed };
  };
  const stream = [];
  const hand = [];
  for (let round = 0; round < (quick ? 2 : 4); round++) {
    stream.push(await runStream());
    hand.push(await runByHand());
  }
  const streamRate = median(stream.map((r) => r.rate));
  const handRate = median(hand.map((r) => r.rate));
  printTable(
    '1. Filter + window in one process (events offered per second)',
    ['path', 'events/s', 'kept'],
    [
      ['MCPStream.processWindowed', fmt(streamRate, 0), String(stream[0].processed)],
      ['by hand (baseline)', fmt(handRate, 0), String(hand[0].processed)],
    ],
  );
  targets.push([
    'filter + window ≥ 1M events/s',
    `${fmt(streamRate / 1e6, 2)}M/s (${fmt(streamRate / handRate, 2)}× by hand)`,
    streamRate >= 1e6,
  ]);
}

// ---- 2. notifications over HTTP ---------------------------------------------------------------
async function overHttp() {
  const count = quick ? 5_000 : 20_000;
  const { MockMCPServer } = await import('@tframex/mcp-testing');
  const server = new MockMCPServer({ name: 'bench' });
  server.addTool('emit', async ({ count: n }, context) => {
    for (let i = 0; i < n; i++) {
      await context.sdk.mcpReq.notify({
        method: 'notifications/events',
        params: { type: 'tick', data: { n: i } },
      });
    }
    return 'sent';
  });
  const url = await server.start({ transport: 'http', era: 'legacy' });
  const raw = new Client({ name: 'bench-raw', version: '1.0.0' });
  let rawSeen = 0;
  raw.fallbackNotificationHandler = async () => {
    rawSeen++;
  };
  await raw.connect(new StreamableHTTPClientTransport(new URL(url)));
  const mcp = new MCPClient({ serverUrl: url, protocol: 'legacy' });
  await mcp.connect();
  const stream = new MCPStream({
    client: mcp,
    uri: 'mcp://bench/notifications/events',
    bufferSize: count,
  });
  const subscription = await stream.subscribe();
  let streamSeen = 0;
  void (async () => {
    for await (const _event of subscription) streamSeen++;
  })();
  const time = async (call, seen, target) => {
    const started = process.hrtime.bigint();
    await call();
    while (seen() < target) await tick();
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  // MCPClient's own notification handler, without a stream: what the session costs alone.
  const plain = new MCPClient({ serverUrl: url, protocol: 'legacy' });
  await plain.connect();
  let plainSeen = 0;
  plain.onNotification('notifications/events', () => plainSeen++);
  const rates = { raw: [], plain: [], stream: [] };
  for (let round = 0; round < (quick ? 2 : 4); round++) {
    rates.raw.push(
      await time(
        () => raw.callTool({ name: 'emit', arguments: { count } }),
        () => rawSeen,
        rawSeen + count,
      ),
    );
    rates.plain.push(
      await time(
        () => plain.callTool('emit', { count }),
        () => plainSeen,
        plainSeen + count,
      ),
    );
    rates.stream.push(
      await time(
        () => mcp.callTool('emit', { count }),
        () => streamSeen,
        streamSeen + count,
      ),
    );
  }
  await subscription.close();
  await raw.close();
  await plain.close();
  await mcp.close();
  await server.stop();
  const r = median(rates.raw);
  const c = median(rates.plain);
  const s = median(rates.stream);
  printTable(
    '2. Notifications end to end over Streamable HTTP (legacy; server in this process)',
    ['client', 'notifications/s', 'vs raw SDK'],
    [
      ['raw SDK Client, notification handler', fmt(r, 0), '1.00×'],
      ['MCPClient.onNotification (no stream)', fmt(c, 0), `${fmt(c / r, 2)}×`],
      ['MCPClient + MCPStream, for await', fmt(s, 0), `${fmt(s / r, 2)}×`],
    ],
  );
  targets.push([
    'HTTP notifications ≥ 0.9× raw SDK',
    `${fmt(s / r, 2)}× (the stream over MCPClient's own handler: ${fmt(s / c, 2)}×)`,
    s / r >= 0.9,
  ]);
}

// ---- 3. heap with a slow consumer -----------------------------------------------------------
async function heapFlat() {
  const total = quick ? 1_000_000 : 10_000_000;
  const batch = 10_000;
  const session = plainSession();
  const stream = new MCPStream({
    client: session,
    uri: 'mcp://bench/notifications/events',
    bufferSize: 1000,
  });
  const subscription = await stream.subscribe();
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  for (let sent = 0; sent < total; sent += batch) {
    for (let i = 0; i < batch; i++)
      session.deliver('notifications/events', { type: 'tick', data: { n: i } });
    await subscription.next(); // the slow consumer: one event per batch
    if (sent % (batch * 100) === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  await session.close();
  const growthMb = (after - before) / 1e6;
  printTable(
    '3. Heap with a slow consumer (bufferSize 1000, drop-oldest)',
    ['events', 'dropped', 'heap before', 'peak', 'after', 'growth'],
    [
      [
        String(total),
        String(subscription.dropped),
        `${fmt(before / 1e6, 1)} MB`,
        `${fmt(peak / 1e6, 1)} MB`,
        `${fmt(after / 1e6, 1)} MB`,
        `${fmt(growthMb, 2)} MB`,
      ],
    ],
  );
  targets.push([
    `heap flat over ${total / 1e6}M events`,
    `${fmt(growthMb, 2)} MB growth`,
    growthMb < 5,
  ]);
}

// ---- 4. Redis fan-out --------------------------------------------------------------------------
const consumerScript = fileURLToPath(new URL('./lib/streams-consumer.mjs', import.meta.url));

function startConsumer(mode, url, topic, group, consumer) {
  const child = spawn(process.execPath, [consumerScript, mode, url, topic, group, consumer], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const state = { child, count: 0, ready: undefined };
  state.ready = new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        else if (line.startsWith('count ')) state.count = Number(line.slice(6));
      }
    });
    child.once('exit', (code) => reject(new Error(`consumer exited ${code}`)));
  });
  state.ready.catch(() => undefined);
  return state;
}

async function fanOut() {
  const total = quick ? 20_000 : 100_000;
  const redis = await startRedis();
  const rates = {};
  try {
    for (const mode of ['raw', 'mcp', 'raw', 'mcp']) {
      const topic = `bench-${mode}-${Date.now()}`;
      const consumers = [1, 2, 3].map((i) => startConsumer(mode, redis.url, topic, 'g', `c${i}`));
      await Promise.all(consumers.map((c) => c.ready));
      const started = process.hrtime.bigint();
      if (mode === 'mcp') {
        const session = plainSession();
        const bus = new RedisStreamBus({ url: redis.url, maxLen: total * 2 });
        const relay = await new MCPStream({
          client: session,
          bus,
          topic,
          uri: 'mcp://bench/notifications/events',
        }).relay({ bufferSize: total }); // the producer outruns Redis: queue it all, drop none
        for (let i = 0; i < total; i++) {
          session.deliver('notifications/events', { type: 'tick', data: { n: i } });
          if (i % 1000 === 999) await tick();
        }
        await relay.stop();
        await bus.close();
      } else {
        const client = createClient({ url: redis.url });
        await client.connect();
        const key = `tframex:stream:${topic}`;
        const pending = [];
        for (let i = 0; i < total; i++) {
          pending.push(
            client.sendCommand([
              'XADD',
              key,
              'MAXLEN',
              '~',
              String(total * 2),
              '*',
              'p',
              JSON.stringify({ type: 'tick', data: { n: i } }),
            ]),
          );
          if (i % 1000 === 999) {
            await Promise.all(pending.splice(0));
          }
        }
        await Promise.all(pending);
        await client.close();
      }
      while (consumers.reduce((sum, c) => sum + c.count, 0) < total)
        await new Promise((r) => setTimeout(r, 20));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      (rates[mode] ??= []).push(total / seconds);
      await Promise.all(
        consumers.map(
          (c) =>
            new Promise((resolve) => {
              c.child.once('exit', resolve);
              c.child.kill('SIGTERM');
            }),
        ),
      );
    }
  } finally {
    await redis.stop();
  }
  const raw = median(rates.raw);
  const mcp = median(rates.mcp);
  printTable(
    `4. Redis fan-out: ${total} events to 3 consumer processes in one group (events/s)`,
    ['path', 'events/s'],
    [
      ['raw XADD / XREADGROUP / XACK', fmt(raw, 0)],
      ['MCPStream.relay + RedisStreamBus + MCPStream group', fmt(mcp, 0)],
    ],
  );
  targets.push([
    'Redis fan-out, 3 consumer processes',
    `${fmt(mcp, 0)} events/s (${fmt(mcp / raw, 2)}× raw)`,
    true,
  ]);
}

if (only.includes('1')) await inProcess();
if (only.includes('2')) await overHttp();
if (only.includes('3')) await heapFlat();
if (only.includes('4')) await fanOut();

console.log('\nTargets (this run):');
for (const [name, value, met] of targets)
  console.log(`  ${met ? 'met    ' : 'not met'}  ${name}: ${value}`);
if (!globalThis.gc)
  console.log(
    '  (run with --expose-gc for exact heap figures: node --expose-gc tools/bench/streams.mjs)',
  );
