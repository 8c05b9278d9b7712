import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { McpCircuitOpenError, McpConnectionError, McpToolError } from '@tframex/mcp-api';
import { ManualClock } from './manual-clock.js';
import { MemoryCircuitStateStore } from './memory-circuit-state-store.js';
import { MCPLoadBalancer } from './load-balancer.js';
import { createSeededRandom } from './seeded-random.js';

const targets = (...ids: string[]) => ids.map((id) => ({ id, target: `target-${id}` }));
const refused = () =>
  new McpConnectionError('refused', {
    cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
  });
const reset = () =>
  new McpConnectionError('reset', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });

describe('MCPLoadBalancer strategies', () => {
  it('round-robin cycles through the targets', async () => {
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b', 'c') });
    const used: string[] = [];
    for (let i = 0; i < 5; i += 1)
      await balancer.execute(async (_target, id) => void used.push(id));
    expect(used).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('random follows the injected randomness, so a seed replays the same run', async () => {
    const run = async (seed: number) => {
      const balancer = new MCPLoadBalancer({
        targets: targets('a', 'b', 'c'),
        strategy: 'random',
        random: createSeededRandom(seed),
      });
      const used: string[] = [];
      for (let i = 0; i < 30; i += 1) used.push(balancer.pick().id);
      return used;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['a', 'b', 'c']));
    const random = createSeededRandom(42);
    const candidates = ['a', 'b', 'c'];
    // Every pick rotates the candidate list, so the index comes from the rotated order.
    let cursor = 0;
    const expected = first.map(() => {
      const rotated = [...candidates.slice(cursor), ...candidates.slice(0, cursor)];
      const chosen = rotated[Math.floor(random() * 3)] as string;
      cursor = (candidates.indexOf(chosen) + 1) % 3;
      return chosen;
    });
    expect(first).toEqual(expected);
  });

  it('least-connections sends the next call where the fewest are running', async () => {
    const balancer = new MCPLoadBalancer({
      targets: targets('a', 'b'),
      strategy: 'least-connections',
    });
    const release: Array<() => void> = [];
    const pending = balancer.execute(
      (_t, id) => new Promise<string>((resolve) => release.push(() => resolve(id))),
    );
    expect(balancer.status().map((s) => [s.id, s.inFlight])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    expect(balancer.pick().id).toBe('b');
    const pendingB = balancer.execute(
      (_t, id) => new Promise<string>((resolve) => release.push(() => resolve(id))),
    );
    expect(balancer.pick().id).toBe('a');
    for (const r of release) r();
    expect(await Promise.all([pending, pendingB])).toEqual(['a', 'b']);
    expect(balancer.status().every((s) => s.inFlight === 0)).toBe(true);
  });
});

describe('MCPLoadBalancer health', () => {
  it('skips targets marked unhealthy until marked healthy or the mark expires', async () => {
    const clock = new ManualClock();
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b'), clock });
    balancer.markUnhealthy('a', { forMs: 5_000 });
    expect([balancer.pick().id, balancer.pick().id]).toEqual(['b', 'b']);
    expect(balancer.status()[0]).toMatchObject({ id: 'a', healthy: false, reason: 'marked' });
    await clock.advance(5_000);
    expect(balancer.isHealthy('a')).toBe(true);
    balancer.markUnhealthy('b');
    await clock.advance(1e9);
    expect(balancer.isHealthy('b')).toBe(false);
    balancer.markHealthy('b');
    expect(balancer.isHealthy('b')).toBe(true);
  });

  it('reports clearly when no target is healthy', () => {
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b') });
    balancer.markUnhealthy('a');
    balancer.markUnhealthy('b');
    let error: unknown;
    try {
      balancer.pick();
    } catch (caught) {
      error = caught;
    }
    expect(McpConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /No healthy target among 2: a \(marked unhealthy\), b \(marked unhealthy\)/,
    );
    expect(() => new MCPLoadBalancer({ targets: [] }).pick()).toThrow(/no targets/);
  });

  it('skips a target whose circuit is open and says when all circuits are open', async () => {
    let nowMs = 0;
    const balancer = new MCPLoadBalancer({
      targets: targets('a', 'b'),
      circuitBreaker: { failureThreshold: 1, recoveryTimeoutMs: 1_000, now: () => nowMs },
    });
    await expect(
      balancer.execute(() => Promise.reject(reset()), { idempotent: false }),
    ).rejects.toThrow('reset');
    expect(balancer.status()[0]).toMatchObject({ id: 'a', circuit: 'open', healthy: false });
    expect(balancer.pick().id).toBe('b');
    await expect(balancer.execute(() => Promise.reject(reset()))).rejects.toThrow('reset');
    const error = await balancer.execute(async () => 'never').catch((caught: unknown) => caught);
    expect(McpCircuitOpenError.isInstance(error)).toBe(true);
    expect((error as McpCircuitOpenError).retryAfterMs).toBe(1_000);
    nowMs = 1_000;
    await expect(balancer.execute(async (_t, id) => id)).resolves.toBe('a');
  });

  it('shares the circuits of the targets between balancers on one store, by target id', async () => {
    const store = new MemoryCircuitStateStore();
    const options = {
      targets: targets('a', 'b'),
      circuitBreaker: { failureThreshold: 1, recoveryTimeoutMs: 60_000, store },
    };
    const [first, second] = [new MCPLoadBalancer(options), new MCPLoadBalancer(options)];
    await expect(
      first.execute(() => Promise.reject(reset()), { idempotent: false }),
    ).rejects.toThrow('reset');
    expect((await store.read('a')).state).toBe('open');
    // the second balancer has not seen it yet: it picks a, whose shared circuit refuses at
    // once, and the call moves on to b without reaching a
    const reached: string[] = [];
    await expect(
      second.execute(async (_target, id) => {
        reached.push(id);
        return id;
      }),
    ).resolves.toBe('b');
    expect(reached).toEqual(['b']);
    expect(second.status()[0]).toMatchObject({ id: 'a', circuit: 'open' });
  });

  it('checkHealth marks failing targets unhealthy and recovered ones healthy again', async () => {
    const clock = new ManualClock();
    const healthy = new Map([
      ['target-a', true],
      ['target-b', false],
    ]);
    const balancer = new MCPLoadBalancer({
      targets: targets('a', 'b', 'c'),
      clock,
      healthCheckTimeoutMs: 100,
      healthCheck: async (target, signal) => {
        if (target === 'target-c') {
          await new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(new Error('timeout'))),
          );
        }
        return healthy.get(target);
      },
    });
    const checking = balancer.checkHealth();
    await clock.advance(100);
    await checking;
    expect(balancer.status().map((s) => [s.id, s.healthy, s.reason])).toEqual([
      ['a', true, undefined],
      ['b', false, 'health-check'],
      ['c', false, 'health-check'],
    ]);
    healthy.set('target-b', true);
    const again = balancer.checkHealth();
    await clock.advance(100);
    await again;
    expect(balancer.isHealthy('b')).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs health checks periodically until closed, leaving no timer behind', async () => {
    const clock = new ManualClock();
    const healthCheck = vi.fn(async () => true);
    const balancer = new MCPLoadBalancer({ targets: targets('a'), clock, healthCheck });
    balancer.startHealthChecks(1_000);
    await clock.advance(3_000);
    expect(healthCheck).toHaveBeenCalledTimes(3);
    balancer.close();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('MCPLoadBalancer failover', () => {
  it('moves a call that never reached its target to the next one', async () => {
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b') });
    const fn = vi.fn(async (_t: string, id: string) => {
      if (id === 'a') throw refused();
      return id;
    });
    await expect(balancer.execute(fn)).resolves.toBe('b');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('does not replay a non-idempotent call after a reset, but does an idempotent one', async () => {
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b') });
    const fn = vi.fn(async (_t: string, id: string) => {
      if (id === 'a') throw reset();
      return id;
    });
    await expect(balancer.execute(fn)).rejects.toThrow('reset');
    expect(fn).toHaveBeenCalledTimes(1);
    fn.mockClear();
    await expect(balancer.execute(fn, { idempotent: true })).resolves.toBe('b');
  });

  it('never fails over on tool errors, and rejects with the last error when all fail', async () => {
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b', 'c') });
    const toolError = vi.fn(async () => {
      throw new McpToolError('bad args');
    });
    await expect(balancer.execute(toolError, { idempotent: true })).rejects.toThrow('bad args');
    expect(toolError).toHaveBeenCalledTimes(1);
    const errors = [refused(), refused(), refused()];
    let call = 0;
    await expect(balancer.execute(async () => Promise.reject(errors[call++]))).rejects.toBe(
      errors[2],
    );
    expect(call).toBe(3);
  });

  it('respects maxFailovers', async () => {
    const balancer = new MCPLoadBalancer({ targets: targets('a', 'b', 'c'), maxFailovers: 1 });
    const fn = vi.fn(async () => Promise.reject(refused()));
    await expect(balancer.execute(fn)).rejects.toThrow('refused');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('rejects bad options and unknown ids with McpConfigError', () => {
    expect(
      () => new MCPLoadBalancer({ targets: targets('a'), strategy: 'fastest' as never }),
    ).toThrow(expect.objectContaining({ kind: 'config', field: 'strategy' }));
    expect(() => new MCPLoadBalancer({ targets: targets('a', 'a') })).toThrow(/appears twice/);
    expect(() => new MCPLoadBalancer({ targets: targets('a') }).markUnhealthy('zzz')).toThrow(
      expect.objectContaining({ kind: 'config' }),
    );
  });
});

describe('MCPLoadBalancer over real HTTP servers', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  async function listen(name: string): Promise<string> {
    const server = createServer((_request, response) => response.end(name));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  it('fails over from a server that refuses connections to one that answers', async () => {
    const closedUrl = await listen('gone');
    const closing = servers.pop() as Server;
    await new Promise((resolve) => closing.close(resolve));
    const liveUrl = await listen('live');
    const balancer = new MCPLoadBalancer({
      targets: [
        { id: 'down', target: closedUrl },
        { id: 'up', target: liveUrl },
      ],
      circuitBreaker: { failureThreshold: 1 },
    });
    const get = (url: string) => fetch(url).then((response) => response.text());
    await expect(balancer.execute(get)).resolves.toBe('live');
    expect(balancer.status()).toMatchObject([
      { id: 'down', circuit: 'open', healthy: false },
      { id: 'up', circuit: 'closed', healthy: true },
    ]);
    await expect(balancer.execute(get)).resolves.toBe('live');
  });
});
