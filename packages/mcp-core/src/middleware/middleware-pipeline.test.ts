import { describe, expect, it } from 'vitest';
import type { McpMiddleware, McpRequest } from '@tframex/mcp-api';
import { MiddlewarePipeline } from './middleware-pipeline.js';

const request = (): McpRequest => ({
  method: 'tools/call',
  params: { name: 'x' },
  server: 'db',
  target: 'x',
  attempt: 1,
  context: new Map(),
});

function tracing(name: string, log: string[], extra: Partial<McpMiddleware> = {}): McpMiddleware {
  return {
    name,
    beforeRequest: (r) => (log.push(`${name}:before`), r),
    afterResponse: (r) => (log.push(`${name}:after`), r),
    onError: () => void log.push(`${name}:error`),
    ...extra,
  };
}

describe('MiddlewarePipeline', () => {
  it('runs before hooks in order and after hooks in reverse, around the server', async () => {
    const log: string[] = [];
    const pipeline = new MiddlewarePipeline();
    pipeline.use(tracing('a', log));
    pipeline.use(tracing('b', log));
    const result = await pipeline.run(request(), async () => (log.push('server'), { result: 42 }));
    expect(result).toBe(42);
    expect(log).toEqual(['a:before', 'b:before', 'server', 'b:after', 'a:after']);
  });

  it('lets a middleware rewrite the request and the response', async () => {
    const pipeline = new MiddlewarePipeline();
    pipeline.use({
      name: 'rename',
      beforeRequest: (r) => ({ ...r, params: { ...r.params, name: 'renamed' } }),
    });
    pipeline.use({
      name: 'wrap',
      afterResponse: (res) => ({ ...res, result: { wrapped: res.result } }),
    });
    const seen: unknown[] = [];
    const result = await pipeline.run(
      request(),
      async (r) => (seen.push(r.params), { result: 'ok' }),
    );
    expect(seen).toEqual([{ name: 'renamed' }]);
    expect(result).toEqual({ wrapped: 'ok' });
  });

  it('short-circuits: the answering middleware skips the rest and the server, outer after hooks still run', async () => {
    const log: string[] = [];
    const pipeline = new MiddlewarePipeline();
    pipeline.use(tracing('outer', log));
    pipeline.use(
      tracing('cache', log, {
        beforeRequest: (r) => (
          log.push('cache:hit'),
          { request: r, result: 'cached', durationMs: 0, source: 'cache' as const }
        ),
      }),
    );
    pipeline.use(tracing('inner', log));
    const result = await pipeline.run(
      request(),
      async () => (log.push('server'), { result: 'fresh' }),
    );
    expect(result).toBe('cached');
    expect(log).toEqual(['outer:before', 'cache:hit', 'outer:after']);
  });

  it('gives errors to onError in reverse order; a recovery flows out through the outer after hooks', async () => {
    const log: string[] = [];
    const pipeline = new MiddlewarePipeline();
    pipeline.use(tracing('outer', log));
    pipeline.use(
      tracing('fallback', log, {
        onError: (_e, r) => (
          log.push('fallback:error'),
          { request: r, result: 'fallback', durationMs: 0, source: 'middleware' as const }
        ),
      }),
    );
    pipeline.use(tracing('inner', log));
    const result = await pipeline.run(request(), async () => {
      throw new Error('down');
    });
    expect(result).toBe('fallback');
    expect(log).toEqual([
      'outer:before',
      'fallback:before',
      'inner:before',
      'inner:error',
      'fallback:error',
      'outer:after',
    ]);
  });

  it('rethrows when nobody recovers, and removal takes effect on the next request', async () => {
    const log: string[] = [];
    const pipeline = new MiddlewarePipeline();
    const remove = pipeline.use(tracing('a', log));
    await expect(
      pipeline.run(request(), async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(log).toEqual(['a:before', 'a:error']);
    remove();
    expect(pipeline.size).toBe(0);
    await pipeline.run(request(), async () => ({ result: 1 }));
    expect(log).toHaveLength(2);
  });
});
