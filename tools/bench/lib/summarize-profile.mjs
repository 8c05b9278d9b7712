#!/usr/bin/env node
// Summarises a .cpuprofile (from node --cpu-prof): self time by area (mcp-core, the SDK,
// undici, node internals, GC, ...), the top functions by self time, and the time spent
// inside (total) the mcp-core functions, attributed back to packages/mcp-core/src where
// a dist file maps to one.
//   node tools/bench/lib/summarize-profile.mjs <file.cpuprofile> [--top 25] [--callers <function>]
// --callers lists the call paths (5 frames up) that lead to a function's self time.
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: summarize-profile.mjs <file.cpuprofile> [--top n]');
  process.exit(2);
}
const top = Number(rest[rest.indexOf('--top') + 1]) || 25;
const callersOf = rest.includes('--callers') ? rest[rest.indexOf('--callers') + 1] : undefined;
const profile = JSON.parse(readFileSync(file, 'utf8'));

function area(url, name) {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)' || name === '(program)' || name === '(root)') return name;
  if (!url) return 'native/builtin';
  if (url.includes('/packages/mcp-core/')) return 'mcp-core';
  if (url.includes('/packages/mcp-auth-api/')) return 'mcp-auth-api';
  if (url.includes('/packages/mcp-telemetry-api/')) return 'mcp-telemetry-api';
  if (url.includes('/packages/mcp-api/')) return 'mcp-api';
  if (url.includes('@modelcontextprotocol+client')) return 'sdk client';
  if (url.includes('@modelcontextprotocol+server')) return 'sdk server';
  if (url.includes('@modelcontextprotocol+core')) return 'sdk core';
  if (url.includes('/undici@')) return 'undici (npm)';
  if (url.includes('node:internal/deps/undici') || url.includes('internal/deps/undici'))
    return 'undici (node fetch)';
  if (url.includes('/zod@')) return 'zod';
  if (url.includes('/hono') || url.includes('node-server')) return 'hono';
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^.*node_modules\//, '').split('/')[0];
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

// Self time per node from the samples and their time deltas.
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const key = (node) => {
  const f = node.callFrame;
  const short = (f.url || '').replace(/^.*\/(packages|node_modules)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${short}:${f.lineNumber + 1}`;
};

const areas = new Map();
const functions = new Map();
for (const [id, us] of self) {
  const node = byId.get(id);
  const a = area(node.callFrame.url, node.callFrame.functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const k = key(node);
  functions.set(k, (functions.get(k) ?? 0) + us);
}

// Inclusive time of mcp-core frames (counted once per sample even when recursive).
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at);
    if (!node.callFrame.url.includes('/packages/mcp-core/')) continue;
    const k = key(node);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  }
});

const busy = total - (areas.get('(idle)') ?? 0);
const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy\n`);
console.log('self time by area (share of busy time)');
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).filter(([a]) => a !== '(idle)'))
  console.log(`  ${pct(us)} ${ms(us)}  ${a}`);
console.log(`\ntop ${top} functions by self time`);
for (const [k, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top))
  console.log(`  ${pct(us)} ${ms(us)}  ${k}`);
console.log(`\nmcp-core functions by inclusive time`);
for (const [k, us] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, top))
  console.log(`  ${pct(us)} ${ms(us)}  ${k}`);

if (callersOf) {
  const paths = new Map();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node.callFrame.functionName !== callersOf) return;
    const frames = [];
    for (let at = parent.get(id); at !== undefined && frames.length < 5; at = parent.get(at)) {
      frames.push(key(byId.get(at)));
    }
    const k = frames.join('\n      <- ');
    paths.set(k, (paths.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  console.log(`\ncall paths into ${callersOf} (self time)`);
  for (const [k, us] of [...paths].sort((x, y) => y[1] - x[1]).slice(0, 8))
    console.log(`  ${pct(us)} ${ms(us)}\n      <- ${k}`);
}
