import { describe, expect, it, vi } from 'vitest';
import {
  McpCancelledError,
  McpCircuitOpenError,
  McpConnectionError,
  McpToolError,
} from '@tframex/mcp-api';
import { McpEventHub } from '@tframex/mcp-telemetry-api';
import { CircuitBreaker } from './circuit-breaker.js';

function setup(options: ConstructorParameters<typeof CircuitBreaker>[0] = {}) {
  let nowMs = 1_000;
  const events = new McpEventHub();
  const transitions: string[] = [];
  events.on('circuit:state', (event) =>
    transitions.push(`${event.server}:${event.from}->${event.to}`),
  );
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    recoveryTimeoutMs: 10_000,
    server: 'db',
    events,
    now: () => nowMs,
    ...options,
  });
  return {
    breaker,
    transitions,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const down = () => Promise.reject(new McpConnectionError('refused'));
const ok = () => Promise.resolve('ok');

async function failTimes(breaker: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i += 1) await breaker.execute(down).catch(() => undefined);
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold consecutive failures and then fails fast', async () => {
    const { breaker, transitions } = setup();
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    const fn = vi.fn(ok);
    const error = await breaker.execute(fn).catch((caught: unknown) => caught);
    expect(McpCircuitOpenError.isInstance(error)).toBe(true);
    expect((error as McpCircuitOpenError).retryAfterMs).toBe(10_000);
    expect((error as McpCircuitOpenError).server).toBe('db');
    expect(fn).not.toHaveBeenCalled();
    expect(transitions).toEqual(['db:closed->open']);
  });

  it('counts only consecutive failures: a success in between resets the count', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 2);
    await breaker.execute(ok);
    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(2);
  });

  it('half-opens after the recovery time; a successful probe closes it', async () => {
    const { breaker, transitions, advance } = setup();
    await failTimes(breaker, 3);
    advance(9_999);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(1);
    advance(1);
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual(['db:closed->open', 'db:open->half-open', 'db:half-open->closed']);
  });

  it('a failed probe opens it again for a full recovery period', async () => {
    const { breaker, advance } = setup();
    await failTimes(breaker, 3);
    advance(10_000);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(10_000);
  });

  it('lets only halfOpenMaxProbes calls through while half-open', async () => {
    const { breaker, advance } = setup({ halfOpenMaxProbes: 2 });
    await failTimes(breaker, 3);
    advance(10_000);
    const releases: Array<() => void> = [];
    const slow = () => new Promise<string>((resolve) => releases.push(() => resolve('late')));
    const first = breaker.execute(slow);
    const second = breaker.execute(slow);
    const third = await breaker.execute(slow).catch((error: unknown) => error);
    expect(McpCircuitOpenError.isInstance(third)).toBe(true);
    expect((third as McpCircuitOpenError).retryAfterMs).toBeUndefined();
    expect(breaker.canExecute()).toBe(false);
    for (const release of releases) release();
    await Promise.all([first, second]);
    expect(breaker.state).toBe('closed');
  });

  it('does not count tool errors (the server answered) and ignores cancellations', async () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 5; i += 1) {
      await breaker
        .execute(() => Promise.reject(new McpToolError('bad args')))
        .catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 3);
    advance(10_000);
    await breaker
      .execute(() => Promise.reject(new McpCancelledError('stop')))
      .catch(() => undefined);
    expect(breaker.state).toBe('half-open');
    expect(breaker.canExecute()).toBe(true);
  });

  it('counts raw socket errors as failures', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await breaker
      .execute(() => Promise.reject(Object.assign(new Error('x'), { code: 'ECONNRESET' })))
      .catch(() => undefined);
    expect(breaker.state).toBe('open');
  });

  it('uses a custom isFailure', async () => {
    const { breaker } = setup({
      failureThreshold: 1,
      isFailure: (error) => McpToolError.isInstance(error),
    });
    await breaker.execute(() => Promise.reject(new McpToolError('x'))).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });

  it('records outcomes observed elsewhere and resets', () => {
    const onStateChange = vi.fn();
    const { breaker } = setup({ failureThreshold: 2, onStateChange });
    breaker.recordFailure();
    breaker.recordFailure(new McpToolError('not a failure'));
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(onStateChange.mock.calls).toEqual([
      ['closed', 'open'],
      ['open', 'closed'],
    ]);
  });

  it('rejects bad options with McpConfigError', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(
      expect.objectContaining({ kind: 'config', field: 'failureThreshold' }),
    );
    expect(() => new CircuitBreaker({ recoveryTimeout: 5 } as never)).toThrow(
      /did you mean "recoveryTimeoutMs"/,
    );
  });
});
