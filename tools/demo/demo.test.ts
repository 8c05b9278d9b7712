// Runs the demo as users do (`node tools/demo/demo.mjs`, built packages) and checks that
// every step shows up, that it exits as it should, and that nothing it started outlives it:
// the demo runs in its own process group, so every process it spawned, directly or not, is
// found by group id afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = fileURLToPath(new URL('./demo.mjs', import.meta.url));

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The demo's process group (its pid: it runs detached). */
  group: number;
  /** Child process ids the demo printed. */
  pids: number[];
}

interface RunOptions {
  env?: Record<string, string>;
  /** Called with the output so far each time more arrives. */
  onStdout?: (stdout: string, pid: number) => void;
}

const groups = new Set<number>();

function runDemo(options: RunOptions = {}): Promise<DemoRun> {
  const child = spawn(process.execPath, [DEMO], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', OPENAI_BASE_URL: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const group = child.pid!;
  groups.add(group);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(stdout, group);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const pids = [...stdout.matchAll(/\bpid (\d+)/g)].map((match) => Number(match[1]));
      resolve({ code, signal, stdout, stderr, group, pids });
    });
  });
}

/** Processes of a process group still present (zombies included), by `ps`. */
function membersOf(group: number): number[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, pgid]) => pgid === group && pid !== undefined && !Number.isNaN(pid))
    .map(([pid]) => pid!);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What is left of a run once a short grace period (for the kernel to reap exits) is over. */
async function leftovers(run: DemoRun): Promise<number[]> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const left = [...new Set([...membersOf(run.group), ...run.pids.filter(isRunning)])];
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterEach(() => {
  // Whatever a failed test leaves behind is killed, so it cannot disturb the next one.
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // the group is gone: good
    }
  }
  groups.clear();
});

describe('the demo', () => {
  it('runs every step, exits 0 and leaves nothing running', async () => {
    const run = await runDemo();
    const { stdout } = run;
    expect(run.code, `${stdout}\n${run.stderr}`).toBe(0);

    // 1-2: three servers, two transports, the era each one negotiated.
    expect(stdout).toMatch(
      /everything-http\s+streamable-http\s+pid \d+\s+http:\/\/127\.0\.0\.1:\d+\/mcp/,
    );
    expect(stdout).toMatch(/^\s+everything\s+legacy\s+2025-11-25\s.*pid \d+/m);
    expect(stdout).toMatch(/^\s+everything-http\s+legacy\s+2025-11-25\s/m);
    expect(stdout).toMatch(/^\s+mock\s+modern\s+2026-07-28\s+inventory/m);
    // 3: tool counts and filters.
    expect(stdout).toMatch(/^\s+everything\s+1\d tools/m);
    expect(stdout).toMatch(/^\s+mock\s+4 tools/m);
    expect(stdout).toContain('→ lookup-sku, list-warehouses, reserve-stock');
    expect(stdout).toMatch(/readOnlyHint: true[\s\S]*→ \d+ of \d+: /);
    // 4: progress, as plain lines (stdout is not a terminal), outliving a shorter timeout.
    expect(stdout).toMatch(/\[#{2,}\.+\]\s+1\/10\s+10%/);
    expect(stdout).toMatch(/\[#{24}\]\s+10\/10 100%/);
    expect(stdout).toMatch(
      /✓ done in [\d.]+ s \([\d.]+× timeoutMs\): each of \d+ progress notifications/,
    );
    // 5: resources from both kinds of server.
    expect(stdout).toMatch(/demo:\/\/resource\/static\/document\/features\.md\n.*text\/markdown/);
    expect(stdout).toMatch(/inventory:\/\/stock\/A-100\n.*"stock":12/);
    // 6: subscription updates in both eras.
    expect(stdout).toMatch(
      /mock\s+subscriptions\/listen\s+inventory:\/\/stock\/A-100.*→ update in/,
    );
    expect(stdout).toMatch(
      /everything\s+resources\/subscribe\s+.*toggle-subscriber-updates\s+→ update in/,
    );
    // 7: retries surviving injected faults, with the retry events.
    expect(stdout).toMatch(/retry\s+attempt 2 after \d+(\.\d)? ms\s+connection\s+.*HTTP 503/);
    expect(stdout).toMatch(/retry\s+attempt 2 after 1\d{3} ms\s+rate-limited\s+.*HTTP 429/);
    expect(stdout).toMatch(/the mock recorded 4 calls: HTTP 503, result, HTTP 429, result/);
    // 8: the registry: flattened names and calls through mcp:// addresses.
    expect(stdout).toMatch(
      /servers\s+everything connected · everything-http connected · mock connected/,
    );
    expect(stdout).toMatch(/mock__lookup-sku\s+mcp:\/\/mock\/lookup-sku/);
    expect(stdout).toMatch(
      /call\s+mcp:\/\/mock\/lookup-sku \{ sku: 'B-200' \}\s+→ \{"sku":"B-200"/,
    );
    expect(stdout).toMatch(/invoke\s+mcp:\/\/everything\/get-sum .*→ The sum of 2 and 40 is 42/);
    // Resources: SQL on PGlite through mcp-postgres-server, files through server-filesystem.
    expect(stdout).toMatch(/execute\s+✓ mcp-postgres-server: .*→ \[\{"name":"O'Brien"\}\]/);
    expect(stdout).toMatch(/read\s+✓ documents\/report\.pdf.*→ 13 bytes, \{"revenue":42000\}/);
    expect(stdout).toMatch(/list\s+✓ documents\/ .*→ .*2026\/q1\.json/);
    // Redis: two workers share one bucket (or the step says redis-server is missing).
    expect(stdout).toMatch(
      /worker-b\s+refused at once: the shared budget is spent|skipped\s+redis-server is not installed/,
    );
    // Agents: a scripted model double drives DataAnalyst through mcp:// tools.
    expect(stdout).toContain('SCRIPTED MODEL DOUBLE, not a real LLM');
    expect(stdout).toMatch(/tool\s+✓ mcp:\/\/mock\/lookup-sku \{ sku: 'B-200' \}/);
    expect(stdout).toMatch(/tool\s+✓ mcp:\/\/everything\/get-sum .*→ The sum of 0 and 12 is 12/);
    expect(stdout).toMatch(/answer\s+12 in total/);
    expect(stdout).toMatch(/3 model calls, 4 tool calls/);
    // 9: the summary, one row per server, and the run time.
    expect(stdout).toMatch(/server\s+transport\s+era\s+tools\s+calls\s+requests\s+retries\s+p50/);
    expect(stdout).toMatch(/^\s+everything\s+stdio\s+legacy\s+1\d\s+\d+\s+\d+\s+\d+\s+[\d.]+ ms$/m);
    expect(stdout).toMatch(
      /^\s+everything-http\s+streamable-http\s+legacy\s+1\d\s+\d+\s+\d+\s+0\s+[\d.]+ ms$/m,
    );
    expect(stdout).toMatch(/^\s+mock\s+streamable-http\s+modern\s+4\s+\d+\s+\d+\s+2\s+[\d.]+ ms$/m);
    // The mcp-auth step: a DPoP-bound token, its copy refused, a workload identity.
    expect(stdout).toMatch(/dpop\s+whoami → reporting-agent\s+token bound to key \S+/);
    expect(stdout).toMatch(/copy\s+the same token without the key → refused/);
    expect(stdout).toMatch(/workload\s+platform JWT → JWT bearer grant → whoami → jobs\/indexer/);
    // The shared-cache step: B is answered from the cache for what A fetched, until the list changes.
    expect(stdout).toMatch(/B tools\/list\s+search {2}from the cache, server saw 1/);
    expect(stdout).toMatch(/B tools\/list\s+search, checkout {2}from the server, server saw \d/);
    // The steps of other packages start servers and clients of their own (the resources step
    // two children).
    expect(stdout).toMatch(
      /stopped 4 child processes, \d+ mock servers?, \d+ clients · nothing left running/,
    );
    // The monitor step: /metrics and the dashboard served, a scrape, and its own count of
    // requests per server agrees with the demo's (taken from its own listener a moment
    // earlier, so the monitor may have seen a request more, never fewer).
    expect(stdout).toMatch(
      /^\s+monitor\s+http\s+http:\/\/127\.0\.0\.1:\d+\/metrics {2}dashboard http:\/\/127\.0\.0\.1:\d+\/$/m,
    );
    expect(stdout).toMatch(/scrape\s+\d+ samples, \d+ KiB of OpenMetrics/);
    expect(stdout).toMatch(/status\s+Connected: true {2}Latency: [\d.]+ms {2}Requests\/min: \d+/);
    for (const name of ['everything', 'everything-http', 'mock']) {
      const demoRow = new RegExp(
        `^\\s+${name}\\s+(?:stdio|streamable-http)\\s+\\S+\\s+\\d+\\s+\\d+\\s+(\\d+)`,
        'm',
      );
      const monitorRow = new RegExp(`^\\s+${name}\\s+connected\\s+(\\d+)`, 'm');
      const seen = Number(monitorRow.exec(stdout)?.[1]);
      expect(seen).toBeGreaterThanOrEqual(Number(demoRow.exec(stdout)?.[1]));
      expect(seen).toBeGreaterThan(0);
    }
    expect(stdout).toMatch(/mcp:\/\/mock\/lookup-sku\s+\d+\s/);
    expect(stdout).toMatch(/\d+ tool calls seen; alerts fired: 0/);
    expect(stdout).toMatch(/✓ All steps passed in [\d.]+ s/);

    // Plain output when not on a terminal: no colours, no cursor movement, no stack traces.
    expect(stdout).not.toContain('\x1b[');
    expect(`${stdout}\n${run.stderr}`).not.toMatch(/^\s+at /m);

    expect(run.pids.length).toBe(2);
    expect(await leftovers(run)).toEqual([]);
  });

  it.each([
    ['while the servers start and the clients connect', /▸ Start the servers/],
    ['while a long tool call is in flight', /\]\s+2\/10/],
  ])('stops everything and exits 130 on Ctrl-C %s', async (_when, trigger) => {
    let sent = false;
    const run = await runDemo({
      onStdout: (stdout, pid) => {
        // Only the demo gets the signal (a terminal would signal its children too): it
        // has to stop them itself.
        if (!sent && trigger.test(stdout)) {
          sent = true;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    expect(sent, run.stdout).toBe(true);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(130);
    expect(run.stdout).toMatch(
      /■ Interrupted: stopping everything…\n {2}stopped .* · nothing left running\n$/,
    );
    expect(run.stdout).not.toMatch(/Failed at|All steps passed/);
    expect(await leftovers(run)).toEqual([]);
  });

  it('says which step failed, exits 1 and stops everything', async () => {
    const run = await runDemo({ env: { DEMO_FAIL_AT: 'subscriptions' } });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/✗ Failed at "Subscriptions": DEMO_FAIL_AT asked this step to fail/);
    expect(run.stdout).toMatch(
      /stopped 2 child processes, 1 mock server, 3 clients · nothing left running/,
    );
    expect(run.stdout).not.toContain('All steps passed');
    expect(run.stdout).not.toMatch(/^\s+at /m);
    expect(await leftovers(run)).toEqual([]);
  });
});
