#!/usr/bin/env node
// Benchmarks of MCPClient (@tframex/mcp-core, built) against the raw official SDK Client on
// the same servers, in one run. Prints a table per section, then each target and whether
// this run meets it, and writes every figure to test-output/bench/results.json. It asserts
// nothing: the exit code is 0 whenever every measurement ran. See README.md.
//
//   node tools/bench/bench.mjs [--quick] [--only <sections>] [--calls <n>] [--rounds <n>]
//                              [--heap-calls <n>] [--profile <dir>]
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTask, setRunnerFlags, startServerChild, stopAll } from './lib/children.mjs';
import { median } from './lib/measure.mjs';
import { fmt, printTable } from './lib/report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SECTIONS = ['compare', 'pool', 'idle', 'heap', 'telemetry'];
const TITLES = {
  compare: '1. MCPClient vs raw SDK (echo tool)',
  pool: '2. Pool of 4 vs 1 session, one-at-a-time server (legacy HTTP)',
  idle: '3. Memory per idle connection (HTTP)',
  heap: '4. Heap growth per call and MaxListenersExceededWarnings (HTTP)',
  telemetry: '5. Telemetry: no listener vs a request:end listener (in memory)',
};

const HELP = `usage: node tools/bench/bench.mjs [options]
  --quick            a smoke run (fewer calls and rounds), under a minute
  --only <list>      sections to run, comma-separated: ${SECTIONS.join(', ')} (or 1-5)
  --calls <n>        calls per timed run in sections 1 and 5 (default per transport)
  --rounds <n>       ABBA rounds per configuration in sections 1, 2 and 5
  --heap-calls <n>   calls of the heap-growth runs of section 4 (default 100000 for
                     MCPClient, 30000 for the raw SDK)
  --profile <dir>    run every runner under --cpu-prof, profiles written to <dir>`;

function parseArgs(argv) {
  const options = { quick: false, only: SECTIONS, calls: undefined, rounds: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const count = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a whole number ≥ 1`);
      return n;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') {
      options.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (/^[1-5]$/.test(s) ? SECTIONS[Number(s) - 1] : s));
      const unknown = options.only.filter((s) => !SECTIONS.includes(s));
      if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')}`);
    } else if (arg === '--calls') options.calls = count();
    else if (arg === '--rounds') options.rounds = count();
    else if (arg === '--heap-calls') options.heapCalls = count();
    else if (arg === '--profile') options.profile = resolve(value());
    else if (arg === '--help' || arg === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${HELP}`);
  }
  return options;
}

function plan(options) {
  const q = options.quick;
  const rounds = options.rounds;
  return {
    compare: {
      concurrencies: [1, 16, 64],
      rounds: {
        memory: rounds ?? (q ? 2 : 8),
        http: rounds ?? (q ? 2 : 4),
        stdio: rounds ?? (q ? 2 : 4),
      },
      // In memory a second raw client runs too: raw2/raw is the noise floor of the 5% target.
      aa: { memory: true, http: false, stdio: false },
      calls: {
        memory: options.calls ?? (q ? 200 : 1500),
        http: options.calls ?? (q ? 48 : 640),
        stdio: options.calls ?? (q ? 150 : 1500),
      },
      warmupCalls: { memory: q ? 100 : 1000, http: q ? 32 : 300, stdio: q ? 64 : 500 },
    },
    pool: {
      poolSizes: [1, 4],
      concurrency: 16,
      workMs: 50,
      calls: q ? 32 : 128,
      warmupCalls: q ? 16 : 32,
      rounds: rounds ?? (q ? 1 : 3),
      controlCalls: q ? 16 : 48,
    },
    idle: { count: q ? 5 : 50 },
    heap: {
      // The raw SDK is the reference: fewer calls show its slope well enough, and keep a
      // full run within budget (HTTP calls cost a few ms of CPU each on a busy machine).
      calls: {
        mcp: options.heapCalls ?? (q ? 1_000 : 100_000),
        raw: options.heapCalls ?? (q ? 1_000 : 30_000),
      },
      maxSeconds: { mcp: q ? 6 : 150, raw: q ? 6 : 45 },
      concurrency: 16,
      warmupCalls: q ? 100 : 2_000,
      checkpoints: q ? 2 : 5,
      burstCalls: q ? 200 : 3_000,
      burstConcurrency: 64,
    },
    telemetry: {
      calls: options.calls ?? (q ? 300 : 4_000),
      rounds: rounds ?? (q ? 2 : 6),
      warmupCalls: q ? 200 : 2_000,
    },
  };
}

function machine() {
  const git = (cmd) => {
    try {
      return execSync(cmd, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .trim()
        .split('\n')
        .filter(Boolean);
    } catch {
      return [];
    }
  };
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadAverageAtStart: os.loadavg().map((v) => +v.toFixed(2)),
    commit: git('git rev-parse --short HEAD')[0],
    uncommittedInMcpCore: git('git status --porcelain -- packages/mcp-core'),
  };
}

/**
 * mcp/raw per round (the two runs of a round are back to back, so they saw the same
 * machine), then the median over rounds: steadier than a ratio of medians when the load
 * of the machine drifts. `spread` holds the smallest and largest round ratios.
 */
function pairedRatios(mcpRuns, rawRuns) {
  const out = { spread: {} };
  for (const key of ['medianMs', 'p99Ms', 'callsPerSec', 'cpuUsPerCall']) {
    const each = mcpRuns.map((run, i) => ratio(run[key], rawRuns[i][key]));
    out[key] = median(each);
    out.spread[key] = [Math.min(...each), Math.max(...each)];
  }
  return out;
}

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);

// ---- sections -------------------------------------------------------------------------

async function sectionCompare(p, server) {
  const results = [];
  for (const transport of ['memory', 'http', 'stdio']) {
    const eras = ['legacy', 'modern'];
    process.stdout.write(`  ${transport} (${eras.join(', ')}) ...`);
    const t0 = performance.now();
    const batch = await runTask(
      'batch',
      eras.map((era) => ({
        task: 'compare',
        options: {
          spec: { transport, era, ...(transport === 'http' ? { url: server.url } : {}) },
          concurrencies: p.concurrencies,
          calls: p.calls[transport],
          rounds: p.rounds[transport],
          warmupCalls: p.warmupCalls[transport],
          aa: p.aa[transport],
        },
      })),
    );
    console.log(` ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    eras.forEach((era, i) => {
      const result = batch[i];
      for (const concurrency of p.concurrencies) {
        const { each: mcpRuns, ...mcp } = result.mcp[concurrency];
        const { each: rawRuns, ...raw } = result.raw[concurrency];
        results.push({
          transport,
          era,
          concurrency,
          mcp,
          raw,
          ratio: pairedRatios(mcpRuns, rawRuns),
          runs: { mcp: mcpRuns, raw: rawRuns },
          ...(result.raw2 ? { aa: pairedRatios(result.raw2[concurrency].each, rawRuns) } : {}),
          ...(result.rawp
            ? {
                rawp: result.rawp[concurrency],
                likeForLike: pairedRatios(mcpRuns, result.rawp[concurrency].each),
              }
            : {}),
        });
      }
      results.push({ transport, era, warnings: result.warnings });
    });
  }
  const rows = results
    .filter((r) => r.concurrency)
    .map((r) => [
      r.transport,
      r.era,
      r.concurrency,
      fmt.ms(r.mcp.medianMs),
      fmt.ms(r.raw.medianMs),
      fmt.ratio(r.ratio.medianMs),
      fmt.ms(r.mcp.p99Ms),
      fmt.ms(r.raw.p99Ms),
      fmt.ratio(r.ratio.p99Ms),
      fmt.rate(r.mcp.callsPerSec),
      fmt.rate(r.raw.callsPerSec),
      fmt.ratio(r.ratio.callsPerSec),
      fmt.us(r.mcp.cpuUsPerCall),
      fmt.us(r.raw.cpuUsPerCall),
      fmt.ratio(r.ratio.cpuUsPerCall),
      r.mcp.serverCpuUsPerCall === undefined
        ? ''
        : `${fmt.us(r.mcp.serverCpuUsPerCall)} / ${fmt.us(r.raw.serverCpuUsPerCall)}`,
    ]);
  const L = { align: 'left' };
  printTable(
    `${TITLES.compare}: median of ${p.rounds.memory} (memory) or ${p.rounds.http} rounds, AB then BA; mcp = MCPClient, raw = SDK Client,` +
      `\nx = mcp/raw, the median of the per-round ratios (the two runs of a round are back to back)` +
      `\n(memory: CPU is client + in-process server; http, stdio: the client process alone)`,
    [
      { title: 'transport', ...L },
      { title: 'era', ...L },
      { title: 'conc' },
      { title: 'med ms mcp' },
      { title: 'raw' },
      { title: 'x' },
      { title: 'p99 ms mcp' },
      { title: 'raw' },
      { title: 'x' },
      { title: 'calls/s mcp' },
      { title: 'raw' },
      { title: 'x' },
      { title: 'CPU µs/call mcp' },
      { title: 'raw' },
      { title: 'x' },
      { title: 'server µs mcp/raw' },
    ],
    rows,
  );
  const aa = results.filter((r) => r.aa);
  if (aa.length) {
    printTable(
      'Noise floor (A/A): a second raw SDK client against the first, same rounds; 1.00x is no difference',
      [
        { title: 'transport', align: 'left' },
        { title: 'era', align: 'left' },
        { title: 'conc' },
        { title: 'median x' },
        { title: 'rounds min..max' },
        { title: 'CPU x' },
        { title: 'rounds min..max' },
      ],
      aa.map((r) => [
        r.transport,
        r.era,
        r.concurrency,
        fmt.ratio(r.aa.medianMs),
        `${fmt.ratio(r.aa.spread.medianMs[0])}..${fmt.ratio(r.aa.spread.medianMs[1])}`,
        fmt.ratio(r.aa.cpuUsPerCall),
        `${fmt.ratio(r.aa.spread.cpuUsPerCall[0])}..${fmt.ratio(r.aa.spread.cpuUsPerCall[1])}`,
      ]),
    );
  }
  const like = results.filter((r) => r.likeForLike);
  if (like.length) {
    printTable(
      'Like for like: MCPClient against the SDK Client that also asks for progress on every call\n' +
        '(onprogress + resetTimeoutOnProgress, what MCPClient does by default so that long tools that report\n' +
        'progress do not time out); x = mcp/rawp, median of per-round ratios',
      [
        { title: 'transport', align: 'left' },
        { title: 'era', align: 'left' },
        { title: 'conc' },
        { title: 'med ms mcp' },
        { title: 'rawp' },
        { title: 'x' },
        { title: 'calls/s x' },
        { title: 'CPU x' },
      ],
      like.map((r) => [
        r.transport,
        r.era,
        r.concurrency,
        fmt.ms(r.mcp.medianMs),
        fmt.ms(r.rawp.medianMs),
        fmt.ratio(r.likeForLike.medianMs),
        fmt.ratio(r.likeForLike.callsPerSec),
        fmt.ratio(r.likeForLike.cpuUsPerCall),
      ]),
    );
  }
  const warned = results.filter((r) => r.warnings);
  console.log(
    `MaxListenersExceededWarnings during these runs (mcp / raw): ` +
      warned.map((r) => `${r.transport} ${r.era} ${r.warnings.mcp}/${r.warnings.raw}`).join(', '),
  );
  const failures = results.filter((r) => r.mcp?.failures || r.raw?.failures);
  for (const r of failures) {
    console.log(
      `  failures: ${r.transport} ${r.era} c=${r.concurrency}: mcp ${r.mcp.failures} ${r.mcp.firstError ?? ''}; raw ${r.raw.failures} ${r.raw.firstError ?? ''}`,
    );
  }
  return results;
}

async function sectionPool(p) {
  // The control: MockMCPServer with fault.concurrency(1) gates the whole server, not a session.
  const servers = [
    await startServerChild({ workMs: p.workMs }),
    await startServerChild({ workMs: p.workMs, mockGate: true }),
  ];
  let perSession;
  let serverWide;
  try {
    const common = {
      poolSizes: p.poolSizes,
      concurrency: p.concurrency,
      tool: 'work',
      warmupCalls: p.warmupCalls,
    };
    [perSession, serverWide] = await runTask('batch', [
      {
        task: 'pool',
        options: { ...common, url: servers[0].url, calls: p.calls, rounds: p.rounds },
      },
      {
        task: 'pool',
        options: { ...common, url: servers[1].url, calls: p.controlCalls, rounds: 1 },
      },
    ]);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  const rows = [];
  const result = {};
  for (const [label, key, data] of [
    ['one at a time per session (bench server)', 'perSession', perSession],
    ['one at a time server-wide (MockMCPServer fault.concurrency(1))', 'serverWide', serverWide],
  ]) {
    const one = data[1];
    const four = data[4];
    result[key] = { pool1: one, pool4: four, ratio: ratio(four.callsPerSec, one.callsPerSec) };
    rows.push([
      label,
      fmt.rate(one.callsPerSec),
      fmt.rate(four.callsPerSec),
      fmt.ratio(result[key].ratio),
      fmt.ms(one.medianMs),
      fmt.ms(four.medianMs),
      `${one.failures + four.failures}`,
    ]);
  }
  printTable(
    `${TITLES.pool}: tool takes ${p.workMs} ms, ${p.concurrency} in flight, MCPClient connectionPoolSize 1 vs 4`,
    [
      { title: 'server', align: 'left' },
      { title: 'calls/s pool 1' },
      { title: 'pool 4' },
      { title: 'pool4/pool1' },
      { title: 'med ms pool 1' },
      { title: 'pool 4' },
      { title: 'failed' },
    ],
    rows,
  );
  return result;
}

async function sectionIdle(p) {
  const server = await startServerChild();
  const results = [];
  try {
    for (const era of ['legacy', 'modern']) {
      for (const kind of ['mcp', 'raw']) {
        const r = await runTask('idle', {
          kind,
          count: p.count,
          spec: { transport: 'http', era, url: server.url },
        });
        results.push({ era, kind, ...r });
      }
    }
  } finally {
    await server.stop();
  }
  printTable(
    `${TITLES.idle}: ${p.count} connected idle clients in a fresh process, growth after GC / ${p.count}` +
      `\n(without code = heapUsed minus the code spaces, which grow as the JIT compiles)`,
    [
      { title: 'era', align: 'left' },
      { title: 'client', align: 'left' },
      { title: 'heap/conn' },
      { title: 'without code' },
      { title: 'external/conn' },
      { title: 'RSS/conn' },
      { title: 'active TCP handles/conn' },
    ],
    results.map((r) => [
      r.era,
      r.kind === 'mcp' ? 'MCPClient' : 'raw SDK',
      fmt.bytes(r.heapPerConnection),
      fmt.bytes(r.heapDataPerConnection),
      fmt.bytes(r.externalPerConnection),
      fmt.bytes(r.rssPerConnection),
      r.socketsPerConnection.toFixed(2),
    ]),
  );
  return results;
}

async function sectionHeap(p) {
  const server = await startServerChild();
  const results = [];
  try {
    for (const era of ['legacy', 'modern']) {
      for (const kind of ['mcp', 'raw']) {
        process.stdout.write(`  ${era} ${kind} ...`);
        const t0 = performance.now();
        const r = await runTask('heap', {
          kind,
          spec: { transport: 'http', era, url: server.url },
          calls: p.calls[kind],
          concurrency: p.concurrency,
          warmupCalls: p.warmupCalls,
          burstCalls: p.burstCalls,
          burstConcurrency: p.burstConcurrency,
          maxSeconds: p.maxSeconds[kind],
          checkpoints: p.checkpoints,
        });
        console.log(` ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        results.push({ era, kind, ...r });
      }
    }
  } finally {
    await server.stop();
  }
  printTable(
    `${TITLES.heap}: up to ${p.calls.mcp} calls (raw SDK ${p.calls.raw}) at ${p.concurrency} in flight` +
      ` (at most ${p.maxSeconds.mcp} s, raw ${p.maxSeconds.raw} s), then ${p.burstCalls} at ${p.burstConcurrency}` +
      `\nheap B/call = (heapUsed after GC at end - after warm-up GC) / calls; slope = least squares over ${p.checkpoints} forced-GC checkpoints;` +
      `\nwithout code = the same without the code spaces (JIT output, not data the client keeps)`,
    [
      { title: 'era', align: 'left' },
      { title: 'client', align: 'left' },
      { title: 'calls' },
      { title: 'heap B/call' },
      { title: 'slope' },
      { title: 'without code' },
      { title: 'heap before' },
      { title: 'after' },
      { title: `calls/s @${p.concurrency}` },
      { title: 'CPU µs/call' },
      { title: `warnings @${p.concurrency}` },
      { title: `@${p.burstConcurrency}` },
      { title: 'failed' },
    ],
    results.map((r) => [
      r.era,
      r.kind === 'mcp' ? 'MCPClient' : 'raw SDK',
      `${r.calls}${r.capped ? ' (capped)' : ''}`,
      r.bytesPerCall.toFixed(1),
      r.slopeBytesPerCall.toFixed(1),
      r.dataBytesPerCall.toFixed(1),
      fmt.bytes(r.heapBefore),
      fmt.bytes(r.heapAfter),
      fmt.rate(r.load.callsPerSec),
      fmt.us(r.load.cpuUsPerCall),
      r.warnings.warmup + r.warnings.load,
      r.warnings.burst,
      r.load.failures + r.burst.failures,
    ]),
  );
  const sample = results.find((r) => r.warnings.sample);
  if (sample)
    console.log(`first warning (${sample.era} ${sample.kind}): ${sample.warnings.sample}`);
  return results;
}

async function sectionTelemetry(p) {
  const eras = ['legacy', 'modern'];
  const batch = await runTask(
    'batch',
    eras.map((era) => ({
      task: 'telemetry',
      options: {
        spec: { transport: 'memory', era },
        calls: p.calls,
        rounds: p.rounds,
        warmupCalls: p.warmupCalls,
      },
    })),
  );
  const results = eras.map((era, i) => {
    const r = batch[i];
    return {
      era,
      ...r,
      costUsPerCall: (r.listener.medianMs - r.none.medianMs) * 1000,
      ratio: ratio(r.listener.medianMs, r.none.medianMs),
    };
  });
  printTable(
    `${TITLES.telemetry}: MCPClient, concurrency 1, median of ${p.rounds} alternating rounds`,
    [
      { title: 'era', align: 'left' },
      { title: 'med µs none' },
      { title: 'listener' },
      { title: 'listener/none' },
      { title: 'listener cost µs' },
      { title: 'CPU µs none' },
      { title: 'listener' },
    ],
    results.map((r) => [
      r.era,
      fmt.us(r.none.medianMs * 1000),
      fmt.us(r.listener.medianMs * 1000),
      fmt.ratio(r.ratio),
      r.costUsPerCall.toFixed(2),
      fmt.us(r.none.cpuUsPerCall),
      fmt.us(r.listener.cpuUsPerCall),
    ]),
  );
  return results;
}

// ---- targets --------------------------------------------------------------------------

function targets(results) {
  const out = [];
  const add = (name, goal, measured, met) => out.push({ name, goal, measured, met });
  const cmp = results.compare?.filter((r) => r.concurrency);
  if (cmp) {
    const mem = cmp.filter((r) => r.transport === 'memory' && r.concurrency === 1);
    const over = mem.map((r) => r.ratio.medianMs - 1);
    add(
      'per-call overhead, in memory, concurrency 1',
      '≤ 5% of raw SDK median',
      mem
        .map(
          (r, i) =>
            `${r.era} ${fmt.pct(over[i])}` + (r.aa ? ` (A/A ${fmt.pct(r.aa.medianMs - 1)})` : ''),
        )
        .join(', '),
      over.every((v) => v <= 0.05),
    );
    const like = mem.filter((r) => r.likeForLike);
    if (like.length)
      add(
        'the same, like for like (informational)',
        'vs the SDK Client asking for progress too',
        like.map((r) => `${r.era} ${fmt.pct(r.likeForLike.medianMs - 1)}`).join(', '),
        null,
      );
    const http = cmp.filter((r) => r.transport === 'http');
    const cpu = http.map((r) => r.ratio.cpuUsPerCall);
    add(
      'HTTP client CPU per call',
      '≤ 0.6x raw (every era and concurrency)',
      http.map((r) => `${r.era}@${r.concurrency} ${fmt.ratio(r.ratio.cpuUsPerCall)}`).join(', '),
      cpu.every((v) => v <= 0.6),
    );
    const at64 = http.filter((r) => r.concurrency === 64);
    add(
      'HTTP throughput at 64 in flight',
      '≥ 1.3x raw',
      at64.map((r) => `${r.era} ${fmt.ratio(r.ratio.callsPerSec)}`).join(', '),
      at64.every((r) => r.ratio.callsPerSec >= 1.3),
    );
  }
  if (results.heap) {
    const mine = results.heap.filter((r) => r.kind === 'mcp');
    const raw = results.heap.filter((r) => r.kind === 'raw');
    add(
      'heap flat over many calls (HTTP)',
      '< 5 B/call, both eras',
      mine.map((r) => `${r.era} ${r.bytesPerCall.toFixed(1)} B/call`).join(', ') +
        ` (raw: ${raw.map((r) => `${r.era} ${r.bytesPerCall.toFixed(1)}`).join(', ')})`,
      mine.every((r) => r.bytesPerCall < 5),
    );
  }
  if (results.heap || results.compare) {
    const heapWarn = (kind) =>
      (results.heap ?? [])
        .filter((r) => r.kind === kind)
        .reduce((s, r) => s + r.warnings.warmup + r.warnings.load + r.warnings.burst, 0);
    const cmpWarn = (kind) =>
      (results.compare ?? []).filter((r) => r.warnings).reduce((s, r) => s + r.warnings[kind], 0);
    const mcp = heapWarn('mcp') + cmpWarn('mcp');
    const raw = heapWarn('raw') + cmpWarn('raw');
    add(
      'MaxListenersExceededWarning at any concurrency',
      'none from MCPClient',
      `MCPClient ${mcp}, raw SDK ${raw}`,
      mcp === 0,
    );
  }
  if (results.pool) {
    const r = results.pool.perSession.ratio;
    add('pool of 4 vs one session', '≥ 3.5x', fmt.ratio(r), r >= 3.5);
  }
  if (results.telemetry) {
    add(
      'unobserved telemetry (informational)',
      'a request:end listener costs little',
      results.telemetry.map((r) => `${r.era} ${r.costUsPerCall.toFixed(2)} µs/call`).join(', '),
      null,
    );
  }
  return out;
}

// ---- main -----------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.profile) {
    mkdirSync(options.profile, { recursive: true });
    setRunnerFlags(['--cpu-prof', '--cpu-prof-dir', options.profile]);
  }
  const p = plan(options);
  const meta = machine();
  console.log(
    `MCPClient benchmarks${options.quick ? ' (--quick)' : ''}: ${options.only.join(', ')}\n` +
      `node ${meta.node}, ${meta.cpus} x ${meta.cpuModel}, load average ${meta.loadAverageAtStart.join(' ')}, ` +
      `commit ${meta.commit}${meta.uncommittedInMcpCore.length ? ` (+${meta.uncommittedInMcpCore.length} uncommitted file(s) in mcp-core)` : ''}`,
  );
  const started = performance.now();
  const results = {};
  for (const section of SECTIONS) {
    if (!options.only.includes(section)) continue;
    console.log(`\n== ${TITLES[section]}`);
    const sectionStarted = performance.now();
    if (section === 'compare') {
      const server = await startServerChild();
      try {
        results.compare = await sectionCompare(p.compare, server);
      } finally {
        await server.stop();
      }
    } else if (section === 'pool') results.pool = await sectionPool(p.pool);
    else if (section === 'idle') results.idle = await sectionIdle(p.idle);
    else if (section === 'heap') results.heap = await sectionHeap(p.heap);
    else if (section === 'telemetry') results.telemetry = await sectionTelemetry(p.telemetry);
    (meta.sectionSeconds ??= {})[section] = +((performance.now() - sectionStarted) / 1000).toFixed(
      1,
    );
  }
  const goals = targets(results);
  meta.loadAverageAtEnd = os.loadavg().map((v) => +v.toFixed(2));
  meta.durationSec = +((performance.now() - started) / 1000).toFixed(1);

  printTable(
    `Summary (${meta.durationSec} s; load average ${meta.loadAverageAtStart.join(' ')} at start, ${meta.loadAverageAtEnd.join(' ')} at end)`,
    [
      { title: 'target', align: 'left' },
      { title: 'goal', align: 'left' },
      { title: 'this run', align: 'left' },
      { title: 'met', align: 'left' },
    ],
    goals.map((g) => [g.name, g.goal, g.measured, g.met === null ? '-' : g.met ? 'yes' : 'NO']),
  );
  if (options.quick) console.log('(--quick: too few calls for figures to rely on)');

  const outDir = join(root, 'test-output', 'bench');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ meta, options: { ...options, plan: p }, results, targets: goals }, null, 2)}\n`,
  );
  console.log(`\nFigures written to ${relative(process.cwd(), file) || file}`);
  if (options.profile) console.log(`CPU profiles in ${options.profile}`);
}

try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${error?.stack ?? error}`);
  stopAll();
  process.exitCode = 1;
}
