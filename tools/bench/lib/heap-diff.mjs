#!/usr/bin/env node
// Compares two .heapsnapshot files (e.g. from solo.mjs --heap-snapshot after different call
// counts): objects and self size per constructor, sorted by growth. What grows with the
// number of calls is what the client retains per call.
//   node tools/bench/lib/heap-diff.mjs before.heapsnapshot after.heapsnapshot [--top 25]
//   ... --owners '(array)'   the growth of one kind of node, grouped by what holds it
import { readFileSync } from 'node:fs';

function nodeName(types, type, raw) {
  return type === 'object' || type === 'closure' || type === 'native'
    ? `${type === 'closure' ? 'closure ' : ''}${raw}`
    : `(${type})`;
}

/** Size of the nodes named `target`, grouped by what holds them (owner name . edge name). */
function owners(snapshot, target) {
  const meta = snapshot.snapshot.meta;
  const width = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map(
    (f) => meta.node_fields.indexOf(f),
  );
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) =>
    meta.edge_fields.indexOf(f),
  );
  const { nodes, edges, strings } = snapshot;
  const byOwner = new Map();
  let edge = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const owner = nodeName(types, types[nodes[i + typeAt]], strings[nodes[i + nameAt]]);
    for (let e = 0; e < nodes[i + edgeCountAt]; e++, edge += edgeWidth) {
      const edgeType = edgeTypes[edges[edge + edgeTypeAt]];
      if (edgeType === 'weak' || edgeType === 'shortcut') continue;
      const to = edges[edge + toAt];
      const name = nodeName(types, types[nodes[to + typeAt]], strings[nodes[to + nameAt]]);
      if (name !== target) continue;
      const label =
        edgeType === 'element' || edgeType === 'hidden'
          ? `${owner}[]`
          : `${owner}.${strings[edges[edge + edgeNameAt]]}`;
      const entry = byOwner.get(label) ?? { count: 0, size: 0 };
      entry.count++;
      entry.size += nodes[to + sizeAt];
      byOwner.set(label, entry);
    }
  }
  return byOwner;
}

function summarize(file, ownersOf) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  if (ownersOf) return owners(snapshot, ownersOf);
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const nodes = snapshot.nodes;
  const strings = snapshot.strings;
  const byName = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const raw = strings[nodes[i + nameAt]];
    const name = nodeName(types, type, raw);
    const entry = byName.get(name) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += nodes[i + sizeAt];
    byName.set(name, entry);
  }
  return byName;
}

const [a, b, ...rest] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: heap-diff.mjs before.heapsnapshot after.heapsnapshot [--top n]');
  process.exit(2);
}
const top = Number(rest[rest.indexOf('--top') + 1]) || 25;
const ownersOf = rest.includes('--owners') ? rest[rest.indexOf('--owners') + 1] : undefined;
const before = summarize(a, ownersOf);
const after = summarize(b, ownersOf);
if (ownersOf)
  console.log(`growth of ${ownersOf} by holder (holder.edge; a node held twice counts twice)`);
const rows = [];
for (const [name, entry] of after) {
  const old = before.get(name) ?? { count: 0, size: 0 };
  rows.push({ name, count: entry.count - old.count, size: entry.size - old.size });
}
for (const [name, old] of before)
  if (!after.has(name)) rows.push({ name, count: -old.count, size: -old.size });
rows.sort((x, y) => y.size - x.size);
const total = rows.reduce((s, r) => s + r.size, 0);
console.log(`self size growth: ${total} bytes`);
console.log('   Δ bytes   Δ objects  constructor / type');
for (const r of rows.slice(0, top))
  console.log(
    `${String(r.size).padStart(10)}  ${String(r.count).padStart(10)}  ${r.name.slice(0, 100)}`,
  );
