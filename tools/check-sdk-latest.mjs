#!/usr/bin/env node
// The SDK is a caret dependency (`^2.4.0`), so users may get any newer 2.x. This check asks the
// registry for the newest published 2.x of @modelcontextprotocol/client and /server: when it is
// the version the suite just ran on, that run is the proof; when it is newer, the core tests run
// again in a scratch clone of the workspace with the SDK overridden to it.
//   node tools/check-sdk-latest.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordCheck } from './lib/totals.mjs';
import { root } from './lib/workspace.mjs';

const SDK = ['@modelcontextprotocol/client', '@modelcontextprotocol/server'];
function installedVersion(name) {
  // The package's exports hide package.json; core's node_modules link holds the one in use.
  const manifest = join(root, 'packages', 'mcp-core', 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

function newestPublished(name) {
  const out = execFileSync('npm', ['view', `${name}@^2`, 'version', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  const versions = [JSON.parse(out)].flat();
  return versions[versions.length - 1];
}

let newest;
try {
  newest = Object.fromEntries(SDK.map((name) => [name, newestPublished(name)]));
} catch (error) {
  console.log(`  skip  the npm registry did not answer (${String(error.message).split('\n')[0]})`);
  process.exit(0);
}
const stale = SDK.filter((name) => newest[name] !== installedVersion(name));
const name = `core tests on the newest SDK 2.x (${SDK.map((n) => newest[n]).join(', ')})`;
if (stale.length === 0) {
  console.log(`  ok    ${name}: the version the suite ran on`);
  recordCheck(name, true);
  process.exit(0);
}

console.log(`Newer SDK than the lockfile's: ${stale.map((n) => `${n}@${newest[n]}`).join(', ')}`);
const scratch = mkdtempSync(join(tmpdir(), 'tframex-sdk-latest-'));
const sh = (cmd, args) => spawnSync(cmd, args, { cwd: scratch, stdio: 'inherit' }).status ?? 1;
try {
  let status = sh('git', ['clone', '--quiet', '--local', root, scratch]);
  if (status === 0) {
    const manifestPath = join(scratch, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.pnpm = { ...manifest.pnpm, overrides: { ...manifest.pnpm?.overrides, ...newest } };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    status = sh('pnpm', ['install', '--no-frozen-lockfile', '--silent']);
  }
  if (status === 0)
    status = sh(join(scratch, 'node_modules', '.bin', 'nx'), [
      'run-many',
      '-t',
      'test',
      '-p',
      '@tframex/mcp-core',
      '--skip-nx-cache',
      '--outputStyle=static',
    ]);
  console.log(`  ${status === 0 ? 'ok  ' : 'FAIL'}  ${name}`);
  recordCheck(name, status === 0);
  process.exit(status === 0 ? 0 : 1);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
