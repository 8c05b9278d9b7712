// Debian packages the test suite runs for real (openssl for throwaway certificates, Redis,
// PostgreSQL, ...). Installed with apt-get when missing and we are root; no service is
// started by the install (a policy-rc.d refuses it): the tests start and stop what they use.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

/**
 * What the suite needs: the Debian package, and a file or command whose presence says it is
 * installed. Packages add their needs here.
 */
export const SUITE_PACKAGES = [
  { pkg: 'openssl', probe: 'openssl' },
  { pkg: 'redis-server', probe: 'redis-server' },
  { pkg: 'postgresql', probe: '/usr/lib/postgresql/15/bin/postgres' },
  // mcp-monitor: a real Prometheus scrapes metricsHandler() (promtool ships with it) ...
  { pkg: 'prometheus', probe: 'promtool' },
  // ... and the dashboard page is rendered in headless Chromium.
  { pkg: 'chromium', probe: 'chromium' },
];

const present = ({ probe }) =>
  probe.startsWith('/')
    ? existsSync(probe)
    : spawnSync('sh', ['-c', `command -v ${probe}`], { stdio: 'ignore' }).status === 0;

const POLICY = '/usr/sbin/policy-rc.d';

/**
 * Installs what is missing. Returns the packages still missing afterwards (empty when all is
 * well), so the caller can say what to install by hand.
 */
export function ensureDebianPackages(wanted = SUITE_PACKAGES, log = console.log) {
  const missing = wanted.filter((entry) => !present(entry));
  if (missing.length === 0) return [];
  const names = missing.map((entry) => entry.pkg);
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!apt || process.getuid?.() !== 0) return names;
  log(`Installing Debian packages the tests use: ${names.join(', ')}`);
  const hadPolicy = existsSync(POLICY);
  // Exit code 101 tells invoke-rc.d not to start services the packages bring.
  if (!hadPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
      stdio: 'inherit',
      env,
    });
  } finally {
    if (!hadPolicy) rmSync(POLICY, { force: true });
  }
  return wanted.filter((entry) => !present(entry)).map((entry) => entry.pkg);
}
