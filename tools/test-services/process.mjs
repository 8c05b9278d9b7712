// Starting and stopping a server process for tests, waiting on what it prints (never on a
// timer) to know it is ready.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** A TCP port nobody listens on right now, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The binary's path, or an Error naming the Debian package that brings it. */
export function requireBinary(binary, debianPackage) {
  if (binary.startsWith('/')) {
    if (existsSync(binary)) return binary;
  } else {
    const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
    if (found.status === 0) return found.stdout.trim();
  }
  throw new Error(
    `${binary} is not installed: run the tests with \`npm test\` (which installs it as root) or \`apt-get install ${debianPackage}\``,
  );
}

// Children still running when the test process exits are killed: a crashed test run never
// leaves a server behind.
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Spawns `command` and resolves once a line of its output matches `ready`; rejects when it
 * exits first or `timeoutMs` passes (a safety net against a hang, not a schedule).
 */
export function startProcess({ command, args, ready, timeoutMs = 30_000, name, spawnOptions }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
    live.add(child);
    let output = '';
    let settled = false;
    const timer = setTimeout(() => {
      fail(
        new Error(`${name} did not become ready within ${timeoutMs} ms:\n${output.slice(-2000)}`),
      );
      child.kill('SIGKILL');
    }, timeoutMs);
    const fail = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const onData = (chunk) => {
      if (settled) return;
      output += chunk.toString('utf8');
      if (ready.test(output)) {
        settled = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      live.delete(child);
      fail(
        new Error(
          `${name} exited (${signal ?? code}) before it was ready:\n${output.slice(-2000)}`,
        ),
      );
    });
  });
}

/** Signals `child` and resolves when it has exited. */
export function stopProcess(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}
