// Every child process the orchestrator starts goes through here, so that all of them are
// stopped on the way out: normal end, error, Ctrl-C or SIGTERM. (Stdio servers are
// children of a runner: they exit when the runner's pipe to them closes.)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const live = new Set();
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  timer.unref();
}

/** Stops every live child; used on exit and on signals. */
export function stopAll() {
  for (const child of live) stop(child);
}

let installed = false;
function installExitHandlers() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping ${live.size} child process(es)`);
      stopAll();
      process.exit(130);
    });
  }
}

function track(child) {
  installExitHandlers();
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** Extra node flags for runners, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
let runnerFlags = [];
export function setRunnerFlags(flags) {
  runnerFlags = flags;
}

/** Starts the bench HTTP server in a child; resolves with { url, stop() }. */
export async function startServerChild({ workMs = 20, mockGate = false } = {}) {
  const args = ['--http', '--work-ms', String(workMs), ...(mockGate ? ['--mock-gate'] : [])];
  const child = track(
    fork(here('./server.mjs'), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    }),
  );
  const url = await new Promise((resolve, reject) => {
    child.once('message', (message) => {
      if (message?.type === 'ready') resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`the server child exited (${code})`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => stop(child), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs one task in a fresh runner process (node --expose-gc) and resolves with its result. */
export function runTask(task, options, { timeoutMs = 10 * 60_000 } = {}) {
  const child = track(
    fork(here('./runner.mjs'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--expose-gc', '--no-warnings', ...runnerFlags],
    }),
  );
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settle(reject, new Error(`task ${task} took longer than ${timeoutMs} ms`));
      stop(child);
    }, timeoutMs);
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    child.on('message', (message) => {
      if (message?.type === 'result') settle(resolve, message.result);
      else if (message?.type === 'error')
        settle(reject, new Error(`task ${task} failed in the runner:\n${message.message}`));
    });
    child.on('exit', (code, signal) =>
      settle(
        reject,
        new Error(`the runner of ${task} exited (${signal ?? code}) without a result`),
      ),
    );
    child.send({ task, options });
  });
}
