// CircuitBreaker on a shared McpCircuitStateStore: breakers on one store and key (as in
// several processes) open, probe and close as one circuit. Run on the in-process store and on
// a plain object wrapping it (counting calls, and failing on demand).
import { describe, expect, it, vi } from 'vitest';
import {
  McpCancelledError,
  McpCircuitOpenError,
  McpConfigError,
  McpConnectionError,
  type McpCircuitStateStore,
} from '@tframex/mcp-api';
import { McpEventHub } from '@tframex/mcp-telemetry-api';
import { CircuitBreaker } from './circuit-breaker.js';
import { MemoryCircuitStateStore } from './memory-circuit-state-store.js';

const down = () => Promise.reject(new McpConnectionError('refused'));
const ok = () => Promise.resolve('ok');

/** A plain-object store over another, counting calls and failing while `broken`. */
function countingStore(inner: McpCircuitStateStore) {
  const calls = { read: 0, recordFailure: 0, recordSuccess: 0, acquireProbe: 0 };
  const control = { broken: false };
  const guard = <T>(name: keyof typeof calls, run: () => Promise<T>) => {
    calls[name] += 1;
    return control.broken ? Promise.reject(new McpConnectionError('store down')) : run();
  };
  const store: McpCircuitStateStore = {
    read: (key) => guard('read', () => inner.read(key)),
    recordFailure: (key, options) =>
      guard('recordFailure', () => inner.recordFailure(key, options)),
    recordSuccess: (key) => guard('recordSuccess', () => inner.recordSuccess(key)),
    acquireProbe: (key, options) => guard('acquireProbe', () => inner.acquireProbe(key, options)),
  };
  return { store, calls, control };
}

function setup(count = 2) {
  let nowMs = 1_000_000;
  const now = () => nowMs;
  const shared = countingStore(new MemoryCircuitStateStore({ now }));
  const storeErrors: unknown[] = [];
  const transitions: string[][] = [];
  const breakers = Array.from({ length: count }, (_, i) => {
    const events = new McpEventHub();
    const seen: string[] = [];
    transitions.push(seen);
    events.on('circuit:state', (event) => seen.push(`${event.from}->${event.to}`));
    return new CircuitBreaker({
      failureThreshold: 2,
      recoveryTimeoutMs: 10_000,
      server: 'db',
      store: shared.store,
      holder: `process-${i}`,
      events,
      now,
      onStoreError: (error) => storeErrors.push(error),
    });
  });
  return {
    breakers,
    transitions,
    storeErrors,
    ...shared,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<McpCircuitOpenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(McpCircuitOpenError.isInstance(error)).toBe(true);
  return error as McpCircuitOpenError;
}

describe('CircuitBreaker with a store', () => {
  it('opens for every breaker on the store when one sees the server fail', async () => {
    const { breakers, transitions } = setup();
    const [a, b] = breakers as [CircuitBreaker, CircuitBreaker];
    await a.execute(down).catch(() => undefined);
    await b.execute(down).catch(() => undefined); // failures count together: 2 = threshold
    expect(a.state).toBe('closed'); // a has not looked since
    const fn = vi.fn(ok);
    const error = await refusal(a.execute(fn));
    expect(fn).not.toHaveBeenCalled();
    expect(error.retryAfterMs).toBe(10_000);
    expect(error.server).toBe('db');
    expect(a.state).toBe('open');
    expect(transitions).toEqual([['closed->open'], ['closed->open']]);
  });

  it('after recovery lets exactly one caller over all breakers probe; success closes for all', async () => {
    const { breakers, advance, transitions } = setup(3);
    for (const breaker of breakers.slice(0, 2)) await breaker.execute(down).catch(() => undefined);
    advance(10_000);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const probe = vi.fn(async () => {
      await gate;
      return 'ok';
    });
    const calls = breakers.flatMap((breaker) => [1, 2, 3].map(() => breaker.execute(probe)));
    const settled = Promise.allSettled(calls);
    await expect.poll(() => probe.mock.calls.length).toBe(1);
    release();
    const outcomes = await settled;
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(McpCircuitOpenError.isInstance((outcome as PromiseRejectedResult).reason)).toBe(true);
    }
    expect(probe).toHaveBeenCalledTimes(1);
    for (const breaker of breakers) await breaker.execute(ok);
    expect(breakers.map((breaker) => breaker.state)).toEqual(['closed', 'closed', 'closed']);
    expect(transitions[2]).toEqual(['closed->half-open', 'half-open->closed']);
  });

  it('a failed probe opens the circuit again for all, for a full recovery period', async () => {
    const { breakers, advance } = setup();
    const [a, b] = breakers as [CircuitBreaker, CircuitBreaker];
    await a.execute(down).catch(() => undefined);
    await a.execute(down).catch(() => undefined);
    advance(10_000);
    await expect(b.execute(down)).rejects.toBeInstanceOf(McpConnectionError); // b probed
    advance(5_000);
    expect((await refusal(a.execute(ok))).retryAfterMs).toBe(5_000);
    expect(b.state).toBe('open');
  });

  it('a dead holder keeps the probe only for probeLeaseMs', async () => {
    let nowMs = 0;
    const store = new MemoryCircuitStateStore({ now: () => nowMs });
    const options = { failureThreshold: 1, recoveryTimeoutMs: 100, probeLeaseMs: 500, store };
    const crashed = new CircuitBreaker({ ...options, now: () => nowMs });
    const survivor = new CircuitBreaker({ ...options, now: () => nowMs });
    await crashed.execute(down).catch(() => undefined);
    nowMs += 100;
    void crashed.execute(() => new Promise(() => undefined)); // takes the probe, never ends
    await expect.poll(() => store.read('default').then((r) => r.state)).toBe('half-open');
    await refusal(survivor.execute(ok));
    nowMs += 500;
    expect(await survivor.execute(ok)).toBe('ok');
    expect(crashed.canExecute()).toBe(false); // it still counts its own probe in flight
  });

  it('a cancelled probe gives its lease back: another breaker probes at once', async () => {
    let nowMs = 0;
    const store = new MemoryCircuitStateStore({ now: () => nowMs });
    const options = { failureThreshold: 1, recoveryTimeoutMs: 100, probeLeaseMs: 60_000, store };
    const [a, b] = [new CircuitBreaker({ ...options }), new CircuitBreaker({ ...options })];
    await a.execute(down).catch(() => undefined);
    nowMs += 100;
    const cancelled = new McpCancelledError('the caller gave up');
    await expect(a.execute(() => Promise.reject(cancelled))).rejects.toBe(cancelled);
    expect(await b.execute(ok)).toBe('ok'); // b probed without waiting for the lease
    expect(b.state).toBe('closed');
  });

  it('reads once per call while closed and records successes only when they change something', async () => {
    const { breakers, calls } = setup(1);
    const breaker = breakers[0]!;
    for (let i = 0; i < 3; i++) await breaker.execute(ok);
    expect(calls).toEqual({ read: 3, recordFailure: 0, recordSuccess: 0, acquireProbe: 0 });
    await breaker.execute(down).catch(() => undefined);
    await breaker.execute(ok);
    expect(calls).toMatchObject({ read: 5, recordFailure: 1, recordSuccess: 1 });
    expect(breaker.consecutiveFailures).toBe(0);
  });

  it('decides on a record read ahead (readShared) while closed, and reads again otherwise', async () => {
    const { breakers, calls } = setup(1);
    const breaker = breakers[0]!;
    await breaker.execute(ok, { sharedRecord: breaker.readShared() });
    expect(calls.read).toBe(1);
    const stale = breaker.readShared()!;
    await breaker.execute(down).catch(() => undefined);
    await breaker.execute(down).catch(() => undefined);
    // read ahead before the circuit opened: 'closed', decided on it like a call in flight
    const readsBefore = calls.read;
    await expect(breaker.execute(ok, { sharedRecord: stale })).resolves.toBe('ok');
    expect(calls.read).toBe(readsBefore);
    const open = breaker.readShared()!;
    expect((await open).state).toBe('open');
    // a refusal is decided on a fresh read
    await refusal(breaker.execute(ok, { sharedRecord: open }));
    expect(calls.read).toBe(readsBefore + 2);
    expect(new CircuitBreaker().readShared()).toBeUndefined();
  });

  it('while the store fails: decides locally, says so, never hangs; the shared record wins once it answers', async () => {
    const { breakers, control, storeErrors, calls } = setup(2);
    const [a, b] = breakers as [CircuitBreaker, CircuitBreaker];
    await a.execute(down).catch(() => undefined); // shared: 1 failure
    control.broken = true;
    expect(await a.execute(ok)).toBe('ok'); // closed locally: calls go on
    expect(storeErrors.length).toBeGreaterThan(0);
    await a.execute(down).catch(() => undefined);
    await a.execute(down).catch(() => undefined);
    expect(a.state).toBe('open'); // opened locally, not failing open
    await refusal(a.execute(ok));
    control.broken = false;
    expect(await b.execute(ok)).toBe('ok'); // the shared circuit never opened
    expect(await a.execute(ok)).toBe('ok');
    expect(a.state).toBe('closed');
    expect(calls.recordFailure).toBe(1); // failures while the store was away stayed local
  });

  it('reports a store failure once through console.warn without onStoreError', async () => {
    const shared = countingStore(new MemoryCircuitStateStore());
    shared.control.broken = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const breaker = new CircuitBreaker({ store: shared.store, server: 'db' });
      await breaker.execute(ok);
      await breaker.execute(ok);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('deciding locally');
    } finally {
      warn.mockRestore();
    }
  });

  it('keys circuits by storeKey (default: the server alias) and records outside execute', async () => {
    const store = new MemoryCircuitStateStore();
    const breaker = new CircuitBreaker({ store, server: 'db', failureThreshold: 1 });
    const other = new CircuitBreaker({ store, server: 'x', storeKey: 'db' });
    breaker.recordFailure();
    await expect.poll(() => store.read('db').then((r) => r.state)).toBe('open');
    await refusal(other.execute(ok));
    other.reset();
    await expect.poll(() => store.read('db').then((r) => r.state)).toBe('closed');
    expect(await breaker.execute(ok)).toBe('ok');
  });

  it('rejects bad store options with McpConfigError naming the field', () => {
    const bad = (options: object, field: string) =>
      expect(() => new CircuitBreaker(options)).toThrow(
        expect.objectContaining({ name: McpConfigError.name, field }),
      );
    bad({ store: {} }, 'store');
    bad({ store: new MemoryCircuitStateStore(), storeKey: '' }, 'storeKey');
    bad({ holder: 7 }, 'holder');
    bad({ probeLeaseMs: 0 }, 'probeLeaseMs');
    bad({ onStoreError: 'x' }, 'onStoreError');
  });
});
