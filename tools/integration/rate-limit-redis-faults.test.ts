// Redis killed in the middle of a shared rate limit and started again: 4 worker processes
// (MCPClient + RateLimitHandler on a RedisRateLimitStore with a local MemoryRateLimitStore
// fallback) keep calling through the outage on local limits, say so, and share the one
// limit again once Redis is back. Nothing hangs and no call fails.
import { startRedis } from '@tframex/test-services';
import { expect, it } from 'vitest';
import {
  evalshaCalls,
  redisInfo,
  startCountingServer,
  startWorker,
  type CountingServer,
  type Worker,
} from './rate-limit-workers.js';

const PROCESSES = 4;
const CALLERS = 10;
const RATE = 100; // per second, shared (and each process's own while Redis is away)
const BURST = 5;

it('Redis killed mid-run and restarted: local limits during the outage, shared again after', async () => {
  const redis = await startRedis();
  let server: CountingServer | undefined;
  const workers: Worker[] = [];
  try {
    server = await startCountingServer();
    for (let i = 1; i <= PROCESSES; i++) {
      const options = { redisUrl: redis.url, serverUrl: server.url, callers: CALLERS };
      workers.push(startWorker({ ...options, name: `w${i}`, fallback: true }));
    }
    await Promise.all(workers.map((worker) => worker.ready));
    for (const worker of workers) worker.go();
    await server.reach(200);

    const killedAt = await server.mark('killed');
    await redis.kill();
    // Calls go on, on each process's own bucket.
    await server.reach(killedAt + 400);
    await server.mark('restarting');
    await redis.restart();
    // Shared again once every worker's connection is back (and takes reach the new server).
    await expect
      .poll(async () => Number(await redisInfo(redis.url, 'connected_clients')), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(PROCESSES + 1);
    await expect.poll(() => evalshaCalls(redis.url), { timeout: 30_000 }).toBeGreaterThan(0);
    const sharedAt = await server.mark('shared');
    await server.reach(sharedAt + 300);
    await server.mark('end');
    const summaries = await Promise.all(workers.map((worker) => worker.stop()));
    const { arrivalsMs, marks } = await server.stop();

    const at = (label: string) => marks.find((mark) => mark.label === label)!;
    const rate = (from: string, to: string) => {
      const calls = at(to).calls - at(from).calls;
      const seconds = (at(to).atMs - at(from).atMs) / 1000;
      return { calls, seconds, perSecond: calls / seconds };
    };
    const outage = rate('killed', 'restarting');
    const after = rate('shared', 'end');
    console.log(
      `outage: ${outage.calls} calls in ${outage.seconds.toFixed(2)} s (${outage.perSecond.toFixed(0)}/s);`,
      `shared again: ${after.calls} in ${after.seconds.toFixed(2)} s (${after.perSecond.toFixed(0)}/s)`,
    );
    // The documented bound: while Redis is away each process keeps to its own limit, so at
    // most PROCESSES × (BURST + RATE × outage) calls, plus what the shared bucket had granted
    // before the kill (at most one second's worth here) still on its way.
    expect(outage.calls).toBeLessThanOrEqual(
      PROCESSES * (BURST + RATE * outage.seconds) + BURST + RATE,
    );
    // Back on one shared bucket: about RATE, far below the outage's PROCESSES × RATE.
    expect(after.calls).toBeLessThanOrEqual(BURST + RATE * after.seconds + BURST);
    expect(arrivalsMs.length).toBeGreaterThanOrEqual(at('end').calls);
    for (const summary of summaries) {
      expect(summary.errors).toEqual([]); // no call failed, none hung (every worker stopped)
      expect(summary.fallbackNotices).toBeGreaterThan(0); // the fallback was reported
    }
  } finally {
    for (const worker of workers) worker.kill();
    server?.kill();
    await redis.stop();
  }
});
