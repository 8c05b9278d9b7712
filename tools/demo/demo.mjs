#!/usr/bin/env node
// The TFrameX MCP demo: MCPClient against the official reference server
// (@modelcontextprotocol/server-everything, over stdio and over Streamable HTTP) and a
// MockMCPServer that speaks only the 2026-07-28 era, then the multi-server registry over
// all three. Everything it needs comes from installed packages; it imports the built
// packages, as users get them. Exit code 0 when every step worked, 1 when one failed,
// 130 / 143 when interrupted. Every process, server and client it starts is stopped.
//
// DEMO_FAIL_AT=<part of a section title> makes that step fail on purpose (the test of the
// failure path uses it); DEMO_DEBUG=1 prints the stack of a failure.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { McpError } from '@tframex/mcp-api';
import { MCPClient, MCPServers } from '@tframex/mcp-core';
import { fault, MockMCPServer } from '@tframex/mcp-testing';
import * as z from 'zod';
import { STEPS } from './steps/index.mjs';

const require = createRequire(import.meta.url);
const EVERYTHING_BIN = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const EVERYTHING_VERSION = require('@modelcontextprotocol/server-everything/package.json').version;
const CORE_VERSION = require('@tframex/mcp-core/package.json').version;

const started = performance.now();

// --- output -----------------------------------------------------------------------------

const out = process.stdout;
const tty = out.isTTY === true;
const useColor = tty && !process.env.NO_COLOR;
const paint = (open, close) => (text) =>
  useColor ? `\x1b[${open}m${text}\x1b[${close}m` : String(text);
const bold = paint(1, 22);
const dim = paint(2, 22);
const red = paint(31, 39);
const green = paint(32, 39);
const yellow = paint(33, 39);
const cyan = paint(36, 39);
const OK = green('✓');
const FAIL = red('✗');

let muted = false;
/** A line of the demo's own flow: silent once interrupted, so the stop report stays last. */
const print = (text = '') => {
  if (!muted && !interrupted) out.write(`${text}\n`);
};
/** A line about stopping, printed whatever happened. */
const announce = (text = '') => {
  if (!muted) out.write(`${text}\n`);
};
const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);
const clip = (text, width) => {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};
const ms = (value) => (value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);
const secs = (value) => `${(value / 1000).toFixed(2)} s`;
const since = (start) => performance.now() - start;
const W = 17; // width of the server column

let currentStep = 'start';
const failAt = process.env.DEMO_FAIL_AT?.trim().toLowerCase();
function section(title, note = '') {
  assertRunning();
  currentStep = title;
  print();
  print(`${bold(cyan('▸'))} ${bold(title)}${note ? `  ${dim(note)}` : ''}`);
  if (failAt && title.toLowerCase().includes(failAt)) {
    throw new Error('DEMO_FAIL_AT asked this step to fail');
  }
}

// The cursor is hidden while a progress bar redraws; it is shown again however the run ends.
let cursorHidden = false;
let midLine = false;
function showCursor() {
  if (cursorHidden && !muted) out.write('\x1b[?25h');
  cursorHidden = false;
}
/** Ends a progress line left open (a failure or Ctrl-C during progress), shows the cursor. */
function endLine() {
  if (midLine && !muted) out.write('\n');
  midLine = false;
  showCursor();
}

/** A short, single-line description of an error: its McpError kind, message and cause. */
function describeError(error) {
  if (!(error instanceof Error)) return String(error);
  const kind = McpError.isInstance(error) ? `${error.kind}: ` : '';
  const cause =
    error.cause instanceof Error && !error.message.includes(error.cause.message)
      ? ` (${error.cause.message})`
      : '';
  return `${kind}${error.message}${cause}`;
}

/** `{ a: 2, b: 40 }`, as one would write it. */
function inspectArgs(args) {
  const entries = Object.entries(args).map(
    ([key, value]) => `${key}: ${typeof value === 'string' ? `'${value}'` : JSON.stringify(value)}`,
  );
  return `{ ${entries.join(', ')} }`;
}

/** A URI short enough for a table: scheme and last path segment. */
function shortUri(uri) {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*\/)?([^/]+)$/i.exec(uri);
  return match && match[2] ? `${match[1]}…/${match[3]}` : uri;
}

function textOf(result) {
  return (result.content ?? [])
    .map((block) => (block.type === 'text' ? block.text : `[${block.type}]`))
    .join(' ');
}

/** Resolves with what `promise` gives, or rejects after `timeoutMs` saying what was awaited. */
function within(promise, timeoutMs, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

// --- everything this run starts, and how it is stopped ------------------------------------

/** Stop actions, run last-in first-out by cleanup(). */
const stops = [];
/** Child processes this run spawned (directly or through a stdio client), by pid. */
const childPids = new Set();
/** Children spawned directly, killed hard if the process exits before cleanup finishes. */
const spawned = new Set();
let cleaning;
let cleaned = false;

/** Registers how to stop something just started; after cleanup, it is stopped at once. */
function onStop(kind, stop) {
  if (cleaned)
    void Promise.resolve()
      .then(stop)
      .catch(() => undefined);
  else stops.push({ kind, stop });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function waitForExits(timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while ([...childPids].some(isAlive) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops everything (once); resolves with what it stopped and what it had to kill. */
function cleanup() {
  cleaning ??= (async () => {
    const stopped = { clients: 0, servers: 0, processes: 0, forced: [] };
    // Last started, first stopped; what starts meanwhile is stopped in the same pass.
    while (stops.length > 0) {
      const { kind, stop } = stops.pop();
      try {
        await within(Promise.resolve().then(stop), 5_000, `stopping a ${kind}`);
        if (kind === 'client') stopped.clients += 1;
        else if (kind === 'server') stopped.servers += 1;
      } catch {
        // A stop that fails or hangs must not keep the others from running.
      }
    }
    cleaned = true;
    // Every child should be gone now; wait briefly for exits, then kill what is not.
    await waitForExits(3_000);
    for (const pid of childPids) {
      if (isAlive(pid)) {
        stopped.forced.push(pid);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // it exited meanwhile
        }
      }
    }
    if (stopped.forced.length > 0) await waitForExits(1_000);
    stopped.processes = childPids.size;
    return stopped;
  })();
  return cleaning;
}

// The last line of defence: children still running when this process exits are killed.
process.on('exit', () => {
  showCursor();
  for (const child of spawned) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const pid of childPids) {
    try {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

let interrupted = false;
/** Thrown into the demo's own flow once it was interrupted, so it stops where it stands. */
class Interrupted extends Error {}
function assertRunning() {
  if (interrupted) throw new Interrupted('interrupted');
}

// Whoever reads the output went away (`npm run demo | head`): stop quietly, like Ctrl-C.
out.on('error', (error) => {
  muted = true;
  if (interrupted) return;
  interrupted = true;
  void cleanup().then(() => process.exit(error.code === 'EPIPE' ? 0 : 1));
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    if (interrupted) process.exit(code); // a second Ctrl-C: leave now (the exit hook kills children)
    interrupted = true;
    endLine();
    announce();
    announce(
      `${yellow('■')} ${signal === 'SIGINT' ? 'Interrupted' : 'Terminated'}: stopping everything…`,
    );
    void cleanup().then((stopped) => {
      announce(`  stopped ${describeStopped(stopped)}`);
      process.exit(code);
    });
  });
}

function describeStopped({ clients, servers, processes, forced }) {
  const parts = [
    `${processes} child process${processes === 1 ? '' : 'es'}`,
    `${servers} mock server${servers === 1 ? '' : 's'}`,
    `${clients} client${clients === 1 ? '' : 's'}`,
  ];
  const left =
    forced.length === 0 ? 'nothing left running' : `had to kill pid ${forced.join(', ')}`;
  return `${parts.join(', ')} · ${left}`;
}

// --- the servers --------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** server-everything over Streamable HTTP, as a child process; resolves once it listens. */
async function startEverythingHttp() {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    assertRunning();
    const child = spawn(process.execPath, [EVERYTHING_BIN, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.add(child);
    if (child.pid !== undefined) childPids.add(child.pid);
    const stop = () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    onStop('process', stop);
    const recent = [];
    const ready = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        const text = chunk.toString();
        recent.push(...text.split('\n').filter(Boolean));
        recent.splice(0, Math.max(0, recent.length - 5));
        if (/listening on port/i.test(text)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `server-everything exited (${signal ?? `code ${code}`}) before listening: ${recent.join(' | ')}`,
          ),
        ),
      );
    });
    try {
      await within(ready, 20_000, 'server-everything (streamableHttp) did not start listening');
    } catch (error) {
      await stop();
      // Someone may have taken the port between the probe and the listen: try another.
      if (attempt < 3 && /in use/i.test(String(error.message))) continue;
      throw error;
    }
    return { child, url: `http://127.0.0.1:${port}/mcp` };
  }
}

/** A MockMCPServer in the 2026-07-28 era: an inventory service with tags and a resource. */
function createInventoryServer() {
  const stock = new Map([
    ['A-100', { sku: 'A-100', name: 'USB-C cable', stock: 12 }],
    ['B-200', { sku: 'B-200', name: 'Desk lamp', stock: 0 }],
  ]);
  const server = new MockMCPServer({ name: 'inventory', version: '1.4.0' });
  server.addTool('lookup-sku', ({ sku }) => stock.get(sku) ?? { sku, name: 'unknown', stock: 0 }, {
    description: 'Stock level of one SKU',
    inputSchema: z.object({ sku: z.string() }),
    annotations: { readOnlyHint: true },
    tags: ['inventory', 'read'],
  });
  server.addTool('list-warehouses', () => ['Oslo', 'Lyon', 'Porto'], {
    description: 'Warehouses that hold stock',
    annotations: { readOnlyHint: true },
    tags: ['inventory', 'read'],
  });
  server.addTool(
    'reserve-stock',
    ({ sku, quantity }) => {
      const item = stock.get(sku);
      if (!item || item.stock < quantity) throw new Error(`not enough ${sku} in stock`);
      item.stock -= quantity;
      server.notifyResourceUpdated(`inventory://stock/${sku}`);
      return { sku, reserved: quantity, left: item.stock };
    },
    {
      description: 'Reserves stock for an order',
      inputSchema: z.object({ sku: z.string(), quantity: z.number().int().positive() }),
      annotations: { readOnlyHint: false, destructiveHint: false },
      tags: ['inventory', 'write'],
    },
  );
  server.addTool('email-report', () => 'queued', {
    description: 'Emails the daily stock report',
    annotations: { readOnlyHint: false, openWorldHint: true },
    tags: ['email'],
  });
  for (const sku of stock.keys()) {
    server.addResource(`inventory://stock/${sku}`, () => stock.get(sku), {
      name: `stock ${sku}`,
      mimeType: 'application/json',
    });
  }
  return server;
}

// --- telemetry: what the summary is made of ----------------------------------------------

const stats = new Map();

/** Records a client's requests from its `request:end` events. */
function observe(client) {
  const entry = { durations: [], calls: 0, failed: 0, retries: 0 };
  stats.set(client.name, entry);
  client.on('request:end', (event) => {
    entry.durations.push(event.durationMs);
    if (event.method === 'tools/call') entry.calls += 1;
    if (event.outcome !== 'ok') entry.failed += 1;
  });
  client.on('retry', () => {
    entry.retries += 1;
  });
}

function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// --- progress rendering -------------------------------------------------------------------

function bar(done, total, width = 24) {
  const filled = total > 0 ? Math.round((width * Math.min(done, total)) / total) : 0;
  return tty
    ? `${green('█'.repeat(filled))}${dim('░'.repeat(width - filled))}`
    : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Renders progress as one line updated in place on a terminal, plain lines otherwise. */
function progressRenderer(start) {
  let last = '';
  return {
    update(progress, total) {
      const percent = total ? Math.round((100 * progress) / total) : 0;
      last = `  ${bar(progress, total ?? 1)} ${padLeft(`${progress}/${total ?? '?'}`, 5)} ${padLeft(`${percent}%`, 4)}  ${secs(since(start))}`;
      if (tty) {
        if (!cursorHidden) out.write('\x1b[?25l');
        cursorHidden = true;
        midLine = true;
        out.write(`\r\x1b[2K${last}`);
      } else print(last);
    },
    done() {
      endLine();
    },
  };
}

// --- the demo -----------------------------------------------------------------------------

/**
 * What a step module of ./steps sees: the demo's output helpers, its cleanup, and (as they
 * come up) the clients, the registry and the mock server. See ./steps/index.mjs.
 */
const demo = {
  section,
  print,
  ui: {
    bold,
    dim,
    red,
    green,
    yellow,
    cyan,
    OK,
    FAIL,
    W,
    pad,
    padLeft,
    clip,
    ms,
    secs,
    since,
    inspectArgs,
    textOf,
    describeError,
  },
  onStop,
  trackPid: (pid) => childPids.add(pid),
  freePort,
  within,
  assertRunning,
  /** MCPClients by alias, once made. */
  clients: undefined,
  /** The MCPServers registry over the clients, once made. */
  registry: undefined,
  /** The 2026-07-28 MockMCPServer. */
  mock: undefined,
};

async function main() {
  print(
    `${bold('TFrameX MCP demo')}  ${dim(`@tframex/mcp-core ${CORE_VERSION} · server-everything ${EVERYTHING_VERSION} · Node ${process.version}`)}`,
  );

  // 1. Servers ----------------------------------------------------------------------------
  section('Start the servers');
  const clientInfo = { name: 'tframex-demo', version: '1.0.0' };
  const clients = {};
  const connecting = [];
  /** Makes a client, records its telemetry, and starts connecting it. */
  const open = (options) => {
    assertRunning();
    const client = new MCPClient({ protocol: 'auto', clientInfo, ...options });
    clients[client.name] = client;
    observe(client);
    if (demo.clients) for (const step of STEPS) step.clientAdded?.(demo, client);
    onStop('client', () => client.close());
    const start = performance.now();
    const connected = client.connect().then(() => {
      for (const pid of client.pids) childPids.add(pid);
      return since(start);
    });
    connected.catch(() => undefined); // awaited below; this only keeps an early failure quiet
    connecting.push(connected);
  };
  // The stdio server needs nothing else: its client starts it while the others come up.
  open({
    name: 'everything',
    command: process.execPath,
    args: [EVERYTHING_BIN, 'stdio'],
    connectTimeoutMs: 20_000,
  });
  const mock = createInventoryServer();
  demo.clients = clients;
  demo.mock = mock;
  for (const step of STEPS) await step.attach?.(demo);
  const [http, mockUrl] = await Promise.all([
    startEverythingHttp(),
    mock.start({ era: 'modern' }).then((url) => {
      onStop('server', () => mock.stop());
      return url;
    }),
  ]);
  print(`  ${pad('everything', W)}${pad('stdio', 17)}${dim('spawned by its MCPClient')}`);
  print(
    `  ${pad('everything-http', W)}${pad('streamable-http', 17)}pid ${http.child.pid}  ${http.url}`,
  );
  print(
    `  ${pad('mock', W)}${pad('streamable-http', 17)}${mockUrl}  ${dim('MockMCPServer, 2026-07-28 only')}`,
  );

  // 2. Connect ----------------------------------------------------------------------------
  section('Connect', "MCPClient({ protocol: 'auto' }) negotiates the era");
  open({ name: 'everything-http', serverUrl: http.url });
  open({ name: 'mock', serverUrl: mockUrl });
  const connectTimes = await Promise.all(connecting);
  Object.values(clients).forEach((client, index) => {
    const info = client.serverInfo;
    const pid = client.pids.length > 0 ? `pid ${client.pids.join(',')}` : '';
    print(
      `  ${pad(client.name, W)}${pad(client.protocolEra, 7)}${pad(client.protocolVersion, 12)}${pad(clip(`${info?.name ?? '?'} ${info?.version ?? ''}`, 29), 30)}${pad(pid, 11)}${dim(padLeft(ms(connectTimes[index]), 7))}`,
    );
  });
  const eras = Object.values(clients).map((client) => client.protocolEra);
  if (eras.join() !== 'legacy,legacy,modern') {
    throw new Error(`unexpected eras (${eras.join(', ')}): legacy, legacy, modern expected`);
  }

  // 3. Tools ------------------------------------------------------------------------------
  section('Discover tools');
  const toolLists = {};
  for (const client of Object.values(clients)) {
    const tools = await client.listTools();
    toolLists[client.name] = tools;
    print(
      `  ${pad(client.name, W)}${padLeft(tools.length, 3)} tools  ${dim(clip(tools.map((tool) => tool.name).join(', '), 58))}`,
    );
  }
  const tagged = await clients.mock.discoverTools({ tags: ['inventory'] });
  print(`  ${pad('filter', 8)}mock.discoverTools({ tags: ['inventory'] })`);
  print(`  ${pad('', 8)}→ ${tagged.map((tool) => tool.name).join(', ')}`);
  const readOnly = await clients.everything.discoverTools({ annotations: { readOnlyHint: true } });
  print(`  ${pad('filter', 8)}everything.discoverTools({ annotations: { readOnlyHint: true } })`);
  print(
    `  ${pad('', 8)}→ ${readOnly.length} of ${toolLists.everything.length}: ${clip(readOnly.map((tool) => tool.name).join(', '), 60)}`,
  );
  if (tagged.length !== 3 || readOnly.length === 0)
    throw new Error('discovery found the wrong tools');

  // 4. Progress ---------------------------------------------------------------------------
  const longArgs = { duration: 3, steps: 10 };
  const timeoutMs = 1_200;
  section(
    'Long tool with progress',
    `timeoutMs ${timeoutMs}, shorter than the run: progress keeps it alive`,
  );
  print(`  ${pad('everything-http', W)}trigger-long-running-operation ${inspectArgs(longArgs)}`);
  const progressStart = performance.now();
  const renderer = progressRenderer(progressStart);
  let notifications = 0;
  let longResult;
  try {
    longResult = await clients['everything-http'].callTool(
      'trigger-long-running-operation',
      longArgs,
      {
        timeoutMs,
        onProgress: ({ progress, total }) => {
          notifications += 1;
          renderer.update(progress, total);
        },
      },
    );
  } finally {
    renderer.done();
  }
  const longTook = since(progressStart);
  if (longResult.isError) throw new Error(`the long tool failed: ${textOf(longResult)}`);
  print(
    `  ${OK} done in ${secs(longTook)} (${(longTook / timeoutMs).toFixed(1)}× timeoutMs): each of ${notifications} progress notifications reset the timer`,
  );

  // 5. Resources --------------------------------------------------------------------------
  section('Read resources');
  const resources = await clients['everything-http'].listResources();
  const docUri =
    resources.find((resource) => resource.uri.endsWith('/features.md'))?.uri ?? resources[0]?.uri;
  if (!docUri) throw new Error('server-everything listed no resources');
  const doc = await clients['everything-http'].readResource(docUri);
  const docContent = doc.contents[0];
  const docText = docContent?.text ?? '';
  const firstLine = docText.split('\n').find((line) => line.trim()) ?? '';
  print(`  ${pad('everything-http', W)}${docUri}`);
  print(
    `  ${pad('', W)}${dim(`${docContent?.mimeType ?? '?'}, ${docText.length} characters:`)} “${clip(firstLine, 40)}”`,
  );
  const stockUri = 'inventory://stock/A-100';
  const stock = await clients.mock.readResource(stockUri);
  print(`  ${pad('mock', W)}${stockUri}`);
  print(
    `  ${pad('', W)}${dim(`${stock.contents[0]?.mimeType ?? '?'}:`)} ${clip(stock.contents[0]?.text ?? '', 56)}`,
  );

  // 6. Subscriptions ----------------------------------------------------------------------
  section('Subscriptions', 'one subscribe() API over both eras');
  {
    let start = 0;
    let subscription;
    const update = new Promise((resolve) => {
      clients.mock
        .subscribe({ resources: [stockUri] }, (event) => {
          if (event.type === 'resource-updated') resolve(event);
        })
        .then((sub) => {
          subscription = sub;
          start = performance.now();
          mock.notifyResourceUpdated(stockUri);
        }, resolve);
    });
    const event = await within(update, 5_000, 'no update from the mock arrived');
    if (event instanceof Error) throw event;
    print(
      `  ${pad('mock', W)}${pad('subscriptions/listen', 22)}${pad(stockUri, 26)}${pad('server.notifyResourceUpdated()', 32)}→ update in ${ms(since(start))}`,
    );
    await subscription?.close();
  }
  {
    let start = 0;
    let subscription;
    const update = new Promise((resolve, reject) => {
      clients.everything
        .subscribe({ resources: [docUri] }, (event) => {
          if (event.type === 'resource-updated') resolve(event);
        })
        .then((sub) => {
          subscription = sub;
          start = performance.now();
          return clients.everything.callTool('toggle-subscriber-updates', {});
        })
        .catch(reject);
    });
    const event = await within(update, 8_000, 'no update from server-everything arrived');
    print(
      `  ${pad('everything', W)}${pad('resources/subscribe', 22)}${pad(shortUri(event.uri), 26)}${pad('tool toggle-subscriber-updates', 32)}→ update in ${ms(since(start))}`,
    );
    await subscription?.close();
    await clients.everything.callTool('toggle-subscriber-updates', {}); // and off again
  }

  // 7. Retries ----------------------------------------------------------------------------
  section(
    'Retries through injected faults',
    'mock · lookup-sku is readOnlyHint, so replays are safe',
  );
  const retries = [];
  const offRetry = clients.mock.on('retry', (event) => retries.push(event));
  for (const [label, rule] of [
    ['503 Service Unavailable', fault.unavailable()],
    ['429 Too Many Requests, Retry-After: 1', fault.rateLimited(1)],
  ]) {
    retries.length = 0;
    mock.faults.inject({ tool: 'lookup-sku', fault: rule, times: 1 });
    print(`  ${pad('fault', 8)}${label}, once`);
    const start = performance.now();
    const result = await clients.mock.callTool('lookup-sku', { sku: 'A-100' });
    const took = since(start);
    for (const event of retries) {
      print(
        `  ${pad('retry', 8)}attempt ${event.attempt} after ${ms(event.delayMs)}  ${yellow(event.errorKind ?? 'error')}  ${dim(clip(event.error?.message ?? '', 48))}`,
      );
    }
    if (retries.length === 0 || result.isError) throw new Error(`no retry survived the ${label}`);
    print(
      `  ${pad('result', 8)}${OK} lookup-sku → ${clip(textOf(result), 40)}  ${dim(`${retries.length + 1} attempts, ${ms(took)}`)}`,
    );
  }
  offRetry();
  const seen = mock
    .callsTo('lookup-sku')
    .map(({ outcome }) =>
      outcome.type === 'http-error' ? `HTTP ${outcome.status}` : outcome.type,
    );
  print(`  ${dim(`the mock recorded ${seen.length} calls: ${seen.join(', ')}`)}`);

  // 8. Registry ---------------------------------------------------------------------------
  section(
    'Multi-server registry',
    'MCPServers over the three clients: callTool(uri), resolveTool(uri)',
  );
  const registry = new MCPServers({ servers: clients });
  demo.registry = registry;
  onStop('registry', () => registry.close());
  await registry.connect({ requireAll: true });
  const all = await registry.listTools();
  const statuses = registry.status();
  print(
    `  ${pad('servers', 8)}${statuses.map((status) => `${status.server} ${status.state === 'connected' ? green(status.state) : red(status.state)}`).join(' · ')}`,
  );
  print(`  ${pad('tools', 8)}${all.length}, flattened as server__tool, e.g.`);
  const samples = ['everything__get-sum', 'everything-http__echo', 'mock__lookup-sku'];
  for (const name of samples) {
    const tool = all.find((candidate) => candidate.name === name);
    if (!tool) throw new Error(`the registry has no tool ${name}`);
    print(
      `  ${pad('', 8)}${pad(name, 24)}${dim(pad(tool.uri, 28))}${dim(clip(tool.description, 32))}`,
    );
  }
  {
    const uri = 'mcp://mock/lookup-sku';
    const args = { sku: 'B-200' };
    const start = performance.now();
    const result = await registry.callTool(uri, args);
    print(
      `  ${pad('call', 8)}${pad(`${uri} ${inspectArgs(args)}`, 42)}→ ${clip(textOf(result), 30)}  ${dim(ms(since(start)))}`,
    );
  }
  {
    const uri = 'mcp://everything/get-sum';
    const args = { a: 2, b: 40 };
    const tool = await registry.resolveTool(uri);
    const start = performance.now();
    const result = await tool.invoke(args);
    print(
      `  ${pad('invoke', 8)}${pad(`${uri} ${inspectArgs(args)}`, 42)}→ ${clip(textOf(result), 30)}  ${dim(ms(since(start)))}`,
    );
  }

  // The steps of the packages beyond core ----------------------------------------------------
  for (const step of STEPS) await step.run?.(demo);

  // Summary ---------------------------------------------------------------------------------
  section('Summary');
  print(
    dim(
      `  ${pad('server', W)}${pad('transport', 17)}${pad('era', 7)}${padLeft('tools', 5)}${padLeft('calls', 7)}${padLeft('requests', 10)}${padLeft('retries', 9)}${padLeft('p50', 10)}`,
    ),
  );
  for (const client of Object.values(clients)) {
    const entry = stats.get(client.name);
    const p50 = median(entry.durations);
    print(
      `  ${pad(client.name, W)}${pad(client.transportKind, 17)}${pad(client.protocolEra, 7)}${padLeft(toolLists[client.name].length, 5)}${padLeft(entry.calls, 7)}${padLeft(entry.durations.length, 10)}${padLeft(entry.retries, 9)}${padLeft(p50 === undefined ? '-' : ms(p50), 10)}`,
    );
  }
  for (const step of STEPS) await step.summary?.(demo);
}

try {
  await main();
  currentStep = 'stop everything';
  const stopped = await cleanup();
  print(`  stopped ${describeStopped(stopped)}`);
  if (stopped.forced.length > 0)
    throw new Error(`processes outlived their clients: ${stopped.forced.join(', ')}`);
  print();
  print(`${OK} ${bold('All steps passed')} in ${secs(since(started))}`);
  process.exitCode = 0;
} catch (error) {
  if (!interrupted) {
    endLine();
    print();
    print(`${FAIL} ${bold(`Failed at "${currentStep}"`)}: ${describeError(error)}`);
    if (process.env.DEMO_DEBUG && error instanceof Error) print(dim(error.stack ?? ''));
    const stopped = await cleanup();
    print(`  stopped ${describeStopped(stopped)}`);
    process.exitCode = 1;
  }
}
if (!interrupted) process.exit(process.exitCode);
