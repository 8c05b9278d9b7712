// Prometheus (Debian's 2.42, with promtool) for tests: a throwaway config and TSDB in a temp
// directory, loopback only, a free port; stopped and cleaned up by whoever started it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, startProcess, stopProcess } from './process.mjs';

function scrapeConfig({ targets, scrapeIntervalMs }) {
  const interval = `${Math.max(1, Math.round(scrapeIntervalMs / 1000))}s`;
  const jobs = targets.map(
    (target) =>
      `  - job_name: ${JSON.stringify(target.job)}\n` +
      `    metrics_path: ${JSON.stringify(target.path ?? '/metrics')}\n` +
      `    static_configs:\n      - targets: [${JSON.stringify(target.address)}]\n`,
  );
  return `global:\n  scrape_interval: ${interval}\n  evaluation_interval: ${interval}\nscrape_configs:\n${jobs.join('')}`;
}

export async function startPrometheus(options) {
  const binary = requireBinary('prometheus', 'prometheus');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'tframex-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    scrapeConfig({ targets: options.targets, scrapeIntervalMs: options.scrapeIntervalMs ?? 1000 }),
  );
  const child = await startProcess({
    command: binary,
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=info',
    ],
    ready: /Server is ready to receive web requests/,
    timeoutMs: options.readyTimeoutMs ?? 30_000,
    name: `prometheus on port ${port}`,
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async (path, params) => {
    const response = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = await response.json();
    if (body.status !== 'success')
      throw new Error(`Prometheus ${path} failed: ${body.error ?? response.status}`);
    return body.data;
  };
  let stopped = false;
  return {
    url,
    host: '127.0.0.1',
    port,
    pid: child.pid,
    configFile: config,
    query: (promql) => api('query', { query: promql }).then((data) => data.result),
    targets: () => api('targets', {}).then((data) => data.activeTargets),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      stopped = true;
      await stopProcess(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `promtool <args>` with `input` on stdin; resolves with its exit code and output. */
export function promtool(args, input = '') {
  const binary = requireBinary('promtool', 'prometheus');
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}
