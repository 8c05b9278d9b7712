// Test totals: vitest JSON reports of every package plus the workspace checks, summed.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.mjs';

const REPORT = 'test-output/vitest-report.json';
export const CHECKS_FILE = join(root, 'test-output', 'workspace-checks.json');

/** Where each project with tests writes its vitest report. */
export function testProjectDirs() {
  const dirs = [];
  for (const parent of ['packages', 'tools']) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(base, entry.name, 'vitest.config.ts'))) {
        dirs.push(join(parent, entry.name));
      }
    }
  }
  return dirs;
}

/** The reports of a project's extra Node legs (`vitest-report.node26.json`, ...). */
function legReports(dir) {
  const out = join(root, dir, 'test-output');
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((name) => /^vitest-report\.[a-z0-9-]+\.json$/.test(name))
    .map((name) => ({ file: join(out, name), leg: name.split('.')[1] }));
}

export function clearReports() {
  for (const dir of testProjectDirs()) {
    rmSync(join(root, dir, REPORT), { force: true });
    for (const { file } of legReports(dir)) rmSync(file, { force: true });
  }
  rmSync(CHECKS_FILE, { force: true });
}

/** Records one workspace check (boundary rule, publint, smoke install...) as passed or failed. */
export function recordCheck(name, passed) {
  mkdirSync(join(root, 'test-output'), { recursive: true });
  const checks = existsSync(CHECKS_FILE) ? JSON.parse(readFileSync(CHECKS_FILE, 'utf8')) : [];
  checks.push({ name, passed });
  writeFileSync(CHECKS_FILE, JSON.stringify(checks, null, 2));
}

function countReport(file, leg) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let failed = report.numFailedTests;
  const notes = [];
  // A file that failed to load has no failing test, but it is a failure all the same.
  for (const suite of report.testResults ?? []) {
    const anyFailed = (suite.assertionResults ?? []).some((test) => test.status === 'failed');
    if (suite.status === 'failed' && !anyFailed) {
      failed += 1;
      const where = leg ? `${suite.name} (${leg})` : suite.name;
      notes.push(`${where}: ${String(suite.message ?? 'failed to run').split('\n')[0]}`);
    }
  }
  return { passed: report.numPassedTests, failed, notes };
}

export function computeTotals() {
  let passed = 0;
  let failed = 0;
  const notes = [];
  for (const dir of testProjectDirs()) {
    const file = join(root, dir, REPORT);
    if (!existsSync(file)) {
      failed += 1;
      notes.push(`${dir}: no test report (its tests did not run)`);
      continue;
    }
    for (const { file: report, leg } of [{ file, leg: undefined }, ...legReports(dir)]) {
      const counted = countReport(report, leg);
      passed += counted.passed;
      failed += counted.failed;
      notes.push(...counted.notes);
    }
  }
  if (existsSync(CHECKS_FILE)) {
    for (const check of JSON.parse(readFileSync(CHECKS_FILE, 'utf8'))) {
      if (check.passed) passed += 1;
      else {
        failed += 1;
        notes.push(`check failed: ${check.name}`);
      }
    }
  }
  return { passed, failed, notes };
}
