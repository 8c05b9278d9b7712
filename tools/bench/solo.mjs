#!/usr/bin/env node
// One client, one transport, one era, nothing else: the process to put under a profiler.
//   node --cpu-prof --cpu-prof-dir=prof tools/bench/solo.mjs --client mcp --transport http --era legacy
//   node --expose-gc tools/bench/solo.mjs --client raw --transport memory --heap-snapshot out.heapsnapshot
// Options: --client mcp|raw, --transport memory|http|stdio, --era legacy|modern,
// --calls n (default 20000), --concurrency n (default 1), --warmup n (default 2000),
// --idle n (open n idle clients instead of calling), --heap-snapshot file (written after GC at the end).
// Over HTTP it starts the bench server in a child process and stops it at the end.
import { writeHeapSnapshot } from 'node:v8';
import { startServerChild, stopAll } from './lib/children.mjs';
import { runLoad, settleHeap } from './lib/measure.mjs';
import { openClient } from './lib/clients.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const kind = opt('client', 'mcp');
const transport = opt('transport', 'memory');
const era = opt('era', 'legacy');
const calls = Number(opt('calls', 20_000));
const concurrency = Number(opt('concurrency', 1));
const warmup = Number(opt('warmup', 2_000));
const idle = Number(opt('idle', 0));
const snapshot = opt('heap-snapshot', undefined);

// Count MaxListenersExceededWarnings instead of printing each (there can be thousands).
process.removeAllListeners('warning');
let listenerWarnings = 0;
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') listenerWarnings++;
  else console.error(String(warning));
});

const server = transport === 'http' ? await startServerChild() : undefined;
const clients = [];
try {
  const spec = { transport, era, ...(server ? { url: server.url } : {}) };
  if (idle > 0) {
    for (let i = 0; i < idle; i++) clients.push(await openClient(kind, spec));
    console.log(`${idle} idle ${kind} clients open (${transport} ${era})`);
  } else {
    const client = await openClient(kind, spec);
    clients.push(client);
    await runLoad(client.echo, { calls: warmup, concurrency });
    const before = globalThis.gc ? (await settleHeap()).heapUsed : undefined;
    const result = await runLoad(client.echo, { calls, concurrency });
    const after = globalThis.gc ? (await settleHeap()).heapUsed : undefined;
    console.log(
      `${kind} ${transport} ${era} c=${concurrency}: ${calls} calls, median ${result.medianMs.toFixed(3)} ms, ` +
        `p99 ${result.p99Ms.toFixed(3)} ms, ${result.callsPerSec.toFixed(0)} calls/s, ` +
        `CPU ${result.cpuUsPerCall.toFixed(1)} µs/call` +
        (before !== undefined ? `, heap ${((after - before) / calls).toFixed(1)} B/call` : '') +
        `, ${listenerWarnings} MaxListenersExceededWarning(s)`,
    );
  }
  if (snapshot) {
    if (globalThis.gc) await settleHeap();
    console.log(`heap snapshot: ${writeHeapSnapshot(snapshot)}`);
  }
} finally {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await server?.stop();
  stopAll();
}
