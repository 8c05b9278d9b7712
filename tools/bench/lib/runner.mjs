// A runner process: the orchestrator forks one per measurement (node --expose-gc), sends it
// one task over IPC and gets back { type: 'result', result } or { type: 'error', message }.
// One task per process keeps CPU and heap attribution clean: nothing but the clients of
// the task (and, in memory, their server) runs here.
import { countListenerWarnings, medianOfRuns, runLoad, settleHeap, slope } from './measure.mjs';

// The task listener below is attached at once (a message that arrived while the clients
// module was still loading would be lost) and waits for this.
let openClient;
const ready = import('./clients.mjs').then((clients) => {
  openClient = clients.openClient;
});

const warnings = countListenerWarnings();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the given clients one after another; closes those already open if one fails. */
async function openAll(kinds, spec) {
  const open = [];
  try {
    for (const kind of kinds) open.push(await openClient(kind, spec));
    return open;
  } catch (error) {
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
    throw error;
  }
}

const closeAll = (clients) => Promise.all(clients.map((c) => c.close().catch(() => undefined)));

/**
 * Section 1: MCPClient against the raw SDK on one transport and era. Both clients are
 * connected in this process and take turns (AB, BA, ...) at every concurrency, so machine
 * noise falls on both alike; each cell is the median over rounds.
 */
async function compare({ spec, concurrencies, calls, rounds, warmupCalls, aa = false }) {
  // With `aa`, a second raw client takes its turn too: raw2/raw shows the noise floor; and
  // so does the raw client that asks for progress as MCPClient does (like for like).
  const clients = await openAll(['mcp', 'raw', ...(aa ? ['raw2', 'rawp'] : [])], spec);
  // Over HTTP the server reports its own CPU time, so runs also show server CPU per call.
  const statsUrl = spec.transport === 'http' ? spec.url.replace(/\/mcp$/, '/stats') : undefined;
  const serverCpu = async () =>
    statsUrl ? (await (await fetch(statsUrl)).json()).cpuUs : undefined;
  try {
    for (const c of clients) {
      await runLoad(c.echo, { calls: warmupCalls, concurrency: 1 });
      await runLoad(c.echo, { calls: warmupCalls, concurrency: Math.max(...concurrencies) });
    }
    await warnings.take();
    const runs = {};
    const warned = { mcp: 0, raw: 0, raw2: 0, rawp: 0 };
    for (let round = 0; round < rounds; round++) {
      for (const concurrency of concurrencies) {
        const order = round % 2 === 0 ? clients : [...clients].reverse();
        for (const c of order) {
          const server0 = await serverCpu();
          const run = await runLoad(c.echo, { calls, concurrency });
          if (statsUrl) run.serverCpuUsPerCall = ((await serverCpu()) - server0) / run.calls;
          warned[c.kind] += (await warnings.take()).count;
          ((runs[c.kind] ??= {})[concurrency] ??= []).push(run);
        }
      }
    }
    const result = {};
    for (const kind of Object.keys(runs)) {
      result[kind] = {};
      for (const [concurrency, list] of Object.entries(runs[kind]))
        result[kind][concurrency] = { ...medianOfRuns(list), each: list };
    }
    return { ...result, warnings: warned };
  } finally {
    await closeAll(clients);
  }
}

/** Section 5: one MCPClient, taking turns without and with a `request:end` listener. */
async function telemetry({ spec, calls, rounds, warmupCalls }) {
  const [client] = await openAll(['mcp'], spec);
  try {
    await runLoad(client.echo, { calls: warmupCalls, concurrency: 1 });
    let seen = 0;
    const listener = (event) => {
      if (event.outcome === 'ok') seen++;
    };
    const runs = { none: [], listener: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['none', 'listener'] : ['listener', 'none'];
      for (const mode of order) {
        const off = mode === 'listener' ? client.client.on('request:end', listener) : undefined;
        runs[mode].push(await runLoad(client.echo, { calls, concurrency: 1 }));
        off?.();
      }
    }
    return {
      none: medianOfRuns(runs.none),
      listener: medianOfRuns(runs.listener),
      eventsSeen: seen,
    };
  } finally {
    await closeAll([client]);
  }
}

/** Section 2: MCPClient with pools of the given sizes against a one-at-a-time-per-session server. */
async function pool({ url, poolSizes, calls, rounds, concurrency, tool, warmupCalls }) {
  const clients = [];
  try {
    for (const poolSize of poolSizes) {
      const c = await openClient('mcp', { transport: 'http', era: 'legacy', url, poolSize });
      c.poolSize = poolSize;
      clients.push(c);
    }
    for (const c of clients) await runLoad(c[tool], { calls: warmupCalls, concurrency });
    const runs = {};
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const c of order) {
        (runs[c.poolSize] ??= []).push(await runLoad(c[tool], { calls, concurrency }));
      }
    }
    const result = {};
    for (const [size, list] of Object.entries(runs)) result[size] = medianOfRuns(list);
    return result;
  } finally {
    await closeAll(clients);
  }
}

const tcpSockets = () =>
  process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

/** Section 3: heap and RSS growth per connected idle client (one kind, one era). */
async function idle({ kind, spec, count }) {
  // Load and exercise every code path a few times, so that growth is the connections' alone.
  for (let i = 0; i < 3; i++) {
    const first = await openClient(kind, spec);
    await first.echo();
    await first.close();
  }
  await sleep(200);
  const before = await settleHeap();
  const sockets0 = tcpSockets();
  const clients = [];
  try {
    for (let i = 0; i < count; i++) clients.push(await openClient(kind, spec));
    await sleep(500); // GET streams and keep-alive sockets settle
    const after = await settleHeap();
    return {
      count,
      heapPerConnection: (after.heapUsed - before.heapUsed) / count,
      heapDataPerConnection: (after.heapData - before.heapData) / count,
      rssPerConnection: (after.rss - before.rss) / count,
      externalPerConnection: (after.external - before.external) / count,
      socketsPerConnection: (tcpSockets() - sockets0) / count,
    };
  } finally {
    await closeAll(clients);
  }
}

/**
 * Section 4: heap growth per call over many calls (one kind, one era, HTTP), with forced-GC
 * checkpoints along the way (their least-squares slope is a cross-check of the end-to-end
 * figure), then a burst at high concurrency counting MaxListenersExceededWarnings. A run
 * stops early at `maxSeconds` (a loaded machine) and says how many calls it made.
 */
async function heap({
  kind,
  spec,
  calls,
  concurrency,
  warmupCalls,
  burstCalls,
  burstConcurrency,
  maxSeconds,
  checkpoints,
}) {
  const client = await openClient(kind, spec);
  try {
    await runLoad(client.echo, { calls: warmupCalls, concurrency });
    const before = await settleHeap();
    const warnedWarmup = await warnings.take();
    const deadline = performance.now() + maxSeconds * 1000;
    const points = [{ x: 0, y: before.heapUsed, data: before.heapData }];
    const loads = [];
    let made = 0;
    let warnedLoad = 0;
    let sample = warnedWarmup.sample;
    for (let i = 1; i <= checkpoints && made < calls && performance.now() < deadline; i++) {
      const target = Math.round((calls * i) / checkpoints) - made;
      const load = await runLoad(client.echo, { calls: target, concurrency, deadline });
      loads.push(load);
      made += load.calls;
      const w = await warnings.take();
      warnedLoad += w.count;
      sample ??= w.sample;
      const settled = await settleHeap();
      points.push({ x: made, y: settled.heapUsed, data: settled.heapData });
    }
    const after = points.at(-1).y;
    const afterData = points.at(-1).data;
    const burst = await runLoad(client.echo, { calls: burstCalls, concurrency: burstConcurrency });
    const warnedBurst = await warnings.take();
    sample ??= warnedBurst.sample;
    const load = medianOfRuns(loads);
    return {
      calls: made,
      capped: made < calls,
      concurrency,
      bytesPerCall: (after - before.heapUsed) / made,
      dataBytesPerCall: (afterData - before.heapData) / made,
      slopeBytesPerCall: slope(points),
      heapBefore: before.heapUsed,
      heapAfter: after,
      points,
      load,
      burst,
      warnings: {
        warmup: warnedWarmup.count,
        load: warnedLoad,
        burst: warnedBurst.count,
        ...(sample ? { sample } : {}),
      },
    };
  } finally {
    await closeAll([client]);
  }
}

const tasks = { compare, telemetry, pool, idle, heap };

/** Several tasks one after another in this process (saves process start-ups). */
tasks.batch = async (list) => {
  const results = [];
  for (const { task, options } of list) results.push(await tasks[task](options));
  return results;
};

process.once('message', async (message) => {
  try {
    await ready;
    const task = tasks[message.task];
    if (!task) throw new Error(`unknown task ${message.task}`);
    const result = await task(message.options);
    process.send({ type: 'result', result }, () => process.exit(0));
  } catch (error) {
    process.send({ type: 'error', message: error?.stack ?? String(error) }, () => process.exit(1));
  }
});
process.on('disconnect', () => process.exit(1));
