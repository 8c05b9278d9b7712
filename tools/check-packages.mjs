#!/usr/bin/env node
// Publishing readiness, checked as a user would meet each package: the manifest has what a
// published package needs; `pnpm pack` output passes publint and are-the-types-wrong; and the
// tarball installs alone (with only its @tframex peers) into a scratch project outside the
// workspace, where it imports from ESM, requires from CJS and type-checks.
// With `--node 22,24,26` the imports are checked again on each of those Node versions (binaries
// from npm, see tools/node-versions).
// Run after `nx run-many -t build`. Usage: node tools/check-packages.mjs [--skip-install] [--node 22,24]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { listPackages, root } from './lib/workspace.mjs';
import { recordCheck } from './lib/totals.mjs';
import { nodeBinDir } from './node-versions/index.mjs';

const skipInstall = process.argv.includes('--skip-install');
const nodeFlag = process.argv.indexOf('--node');
/** Extra Node majors to import on, each with the folder of its binary. */
const otherNodes = (nodeFlag >= 0 ? process.argv[nodeFlag + 1].split(',') : [])
  .map(Number)
  .map((major) => ({ major, bin: nodeBinDir(major) }))
  .filter(({ major, bin }) => bin ?? console.log(`no Node ${major} binary here; not checked`));
const packages = listPackages();
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
const packDir = mkdtempSync(join(tmpdir(), 'tframex-pack-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (file, args, options = {}) =>
  execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
let failures = 0;

function check(name, fn) {
  try {
    const problems = fn() ?? [];
    if (problems.length === 0) {
      console.log(`  ok    ${name}`);
      recordCheck(name, true);
      return true;
    }
    console.log(`  FAIL  ${name}\n${problems.map((p) => `          ${p}`).join('\n')}`);
  } catch (error) {
    const detail = [error.stdout, error.stderr, error.message].filter(Boolean).join('\n');
    console.log(`  FAIL  ${name}\n${detail.replace(/^/gm, '          ')}`);
  }
  recordCheck(name, false);
  failures += 1;
  return false;
}

function manifestProblems(pkg) {
  const m = pkg.manifest;
  const problems = [];
  const need = (ok, what) => ok || problems.push(what);
  need(existsSync(join(pkg.path, 'README.md')), 'README.md is missing');
  need(existsSync(join(pkg.path, 'LICENSE')), 'LICENSE is missing');
  need(typeof m.license === 'string', '"license" is missing');
  need(typeof m.description === 'string' && m.description.length > 0, '"description" is empty');
  need(m.type === 'module', '"type" must be "module"');
  need(m.sideEffects === false, '"sideEffects" must be false');
  need(m.exports?.['.']?.types, 'exports["."] needs a "types" condition');
  need(Array.isArray(m.files) && m.files.includes('dist'), '"files" must list dist');
  need(m.publishConfig?.access === 'public', 'publishConfig.access must be "public"');
  need(m.engines?.node, '"engines.node" is missing');
  if (pkg.isInterface) {
    need(Number(m.version.split('.')[0]) >= 1, 'interface packages start at 1.0.0');
    need(
      !m.dependencies || Object.keys(m.dependencies).length === 0,
      'interface packages have zero runtime dependencies',
    );
  }
  for (const [dep, range] of Object.entries(m.peerDependencies ?? {})) {
    if (byName.has(dep))
      need(
        /^\^\d+\.\d+\.\d+$/.test(range),
        `peer ${dep} needs a bounded caret range, got "${range}"`,
      );
  }
  return problems;
}

function pack(pkg) {
  const out = run('pnpm', ['pack', '--pack-destination', packDir], { cwd: pkg.path });
  const file = out.trim().split('\n').pop().trim();
  return file.startsWith('/') ? file : join(packDir, file);
}

async function publintProblems(pkg) {
  const { messages } = await publint({
    pkgDir: pkg.path,
    level: 'suggestion',
    strict: true,
    pack: 'pnpm',
  });
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg.manifest)}`);
}

function attwProblems(tarball) {
  try {
    run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color']);
    return [];
  } catch (error) {
    return [String(error.stdout || error.message).trim()];
  }
}

/** ESM import and CJS require of the installed package agree, on the given Node binary. */
function importProblems(dir, nodeBinary, packageName) {
  const name = JSON.stringify(packageName);
  const esm = run(
    nodeBinary,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${name}); console.log(Object.keys(m).length);`,
    ],
    { cwd: dir },
  );
  const cjs = run(
    nodeBinary,
    ['--no-warnings', '-e', `console.log(Object.keys(require(${name})).length)`],
    { cwd: dir },
  );
  const problems = [];
  if (!(Number(esm.trim()) > 0)) problems.push(`ESM import gave no exports (${esm.trim()})`);
  if (cjs.trim() !== esm.trim())
    problems.push(`require() gave ${cjs.trim()} exports, import gave ${esm.trim()}`);
  return problems;
}

function smokeInstall(pkg, tarballs) {
  const dir = mkdtempSync(join(tmpdir(), `tframex-smoke-${pkg.dir}-`));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'smoke', private: true, type: 'module' }),
    );
    const peers = Object.keys(pkg.manifest.peerDependencies ?? {}).filter((dep) => byName.has(dep));
    const wanted = [tarballs.get(pkg.name), ...peers.map((dep) => tarballs.get(dep))];
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...wanted], { cwd: dir });
    const problems = importProblems(dir, process.execPath, pkg.name);
    for (const { major, bin } of otherNodes) {
      check(`${pkg.name} imports on Node ${major}`, () =>
        importProblems(dir, join(bin, 'node'), pkg.name),
      );
    }
    writeFileSync(
      join(dir, 'check.ts'),
      `import * as pkg from ${JSON.stringify(pkg.name)};\nexport const names: string[] = Object.keys(pkg);\n`,
    );
    const compilerOptions = {
      noEmit: true,
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2023', 'dom'],
      types: [],
      skipLibCheck: true,
    };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['check.ts'] }),
    );
    run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`Checking ${packages.length} packages as published (tarballs in ${packDir})`);
const tarballs = new Map();
for (const pkg of packages) {
  console.log(pkg.name);
  check(`${pkg.name} manifest`, () => manifestProblems(pkg));
  if (!existsSync(join(pkg.path, 'dist', 'index.js'))) {
    check(`${pkg.name} is built`, () => ['dist/index.js is missing: run the build first']);
    continue;
  }
  let tarball;
  if (!check(`${pkg.name} packs`, () => void (tarball = pack(pkg)))) continue;
  tarballs.set(pkg.name, tarball);
  const lint = await publintProblems(pkg).catch((error) => [String(error)]);
  check(`${pkg.name} publint`, () => lint);
  check(`${pkg.name} are-the-types-wrong`, () => attwProblems(tarball));
}
if (!skipInstall) {
  console.log('Installing each tarball alone into a scratch project');
  for (const pkg of packages) {
    if (tarballs.has(pkg.name))
      check(`${pkg.name} installs and imports alone`, () => smokeInstall(pkg, tarballs));
  }
}
rmSync(packDir, { recursive: true, force: true });
process.exit(failures > 0 ? 1 : 0);
