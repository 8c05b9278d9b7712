import { getHeapSpaceStatistics } from 'node:v8';

// Load generation and statistics. Everything here runs inside one runner process, so
// process.cpuUsage() is that process's CPU: the client's alone when the server lives in
// another process (HTTP, stdio), client plus server for in-memory runs.

/** Sorted-copy percentile (nearest rank) of a Float64Array or number[]. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The middle value; the mean of the two middle values when there is an even number. */
export function median(values) {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Runs `calls` calls of `call()` with `concurrency` in flight and measures each one.
 * Returns per-call latency (median, p99 in ms), throughput (calls/s), CPU per call (µs)
 * and the number of failed calls (a failure is counted, never thrown: the run goes on).
 */
export async function runLoad(call, { calls, concurrency, deadline = Infinity }) {
  const latencies = new Float64Array(calls);
  let next = 0;
  let done = 0;
  let failures = 0;
  let firstError;
  const worker = async () => {
    for (;;) {
      if (next >= calls || performance.now() > deadline) return;
      const index = next++;
      const start = performance.now();
      try {
        await call();
      } catch (error) {
        failures++;
        firstError ??= error;
      }
      latencies[index] = performance.now() - start;
      done++;
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const measured = done < calls ? latencies.subarray(0, done) : latencies;
  return {
    calls: done,
    concurrency,
    medianMs: median(measured),
    p99Ms: percentile(measured, 99),
    callsPerSec: (done / wallMs) * 1000,
    cpuUsPerCall: (cpu.user + cpu.system) / done,
    failures,
    ...(firstError ? { firstError: String(firstError?.message ?? firstError) } : {}),
  };
}

/** Median of each numeric field over repeated runs of the same configuration. */
export function medianOfRuns(runs) {
  const out = { runs: runs.length };
  for (const key of ['medianMs', 'p99Ms', 'callsPerSec', 'cpuUsPerCall', 'serverCpuUsPerCall']) {
    if (runs.some((run) => run[key] !== undefined)) out[key] = median(runs.map((run) => run[key]));
  }
  out.calls = runs.reduce((sum, run) => sum + run.calls, 0);
  out.failures = runs.reduce((sum, run) => sum + run.failures, 0);
  const firstError = runs.find((run) => run.firstError)?.firstError;
  if (firstError) out.firstError = firstError;
  return out;
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** Bytes of the heap that hold compiled code (grows as the JIT warms up: not the client's data). */
function codeBytes() {
  return getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

/**
 * Forces full collections until the heap stops shrinking (needs --expose-gc). Returns
 * process.memoryUsage() plus `code` (bytes of compiled code in the heap) and `heapData`
 * (heapUsed without them).
 */
export async function settleHeap() {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc');
  let last = Infinity;
  for (let i = 0; i < 8; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const used = process.memoryUsage().heapUsed;
    if (i >= 2 && used >= last - 1024) break;
    last = used;
  }
  const usage = process.memoryUsage();
  const code = codeBytes();
  return { ...usage, code, heapData: usage.heapUsed - code };
}

/** Counts MaxListenersExceededWarnings from now on; `take()` reads and resets the count. */
export function countListenerWarnings() {
  let count = 0;
  let sample;
  process.on('warning', (warning) => {
    if (warning?.name !== 'MaxListenersExceededWarning') return;
    count++;
    sample ??= warning.message;
  });
  return {
    /** Warnings are emitted on a later tick: let them arrive first. */
    async take() {
      await new Promise((resolve) => setImmediate(resolve));
      const result = { count, ...(sample ? { sample } : {}) };
      count = 0;
      sample = undefined;
      return result;
    },
  };
}
