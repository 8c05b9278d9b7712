// Every fault mode, observed by a real client.
import {
  McpAuthError,
  McpConfigError,
  McpConnectionError,
  McpProtocolError,
  McpRateLimitedError,
  McpSessionExpiredError,
  McpTimeoutError,
  McpToolError,
} from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { fault, MCPTestClient, MockMCPServer } from '../index.js';
import { eventually } from '../test-support/eventually.js';

function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

let server: MockMCPServer;
let client: MCPTestClient;

function setup(options: { seed?: number } = {}): MockMCPServer {
  server = new MockMCPServer({ name: 'faulty', ...options });
  server.addTool('echo', ({ text }) => ({ text }));
  server.addTool('other', () => 'fine');
  return server;
}

afterEach(async () => {
  await client?.close();
  await server?.stop();
});

describe.each([
  { transport: 'http', era: 'legacy' },
  { transport: 'http', era: 'modern' },
  { transport: 'memory', era: 'legacy' },
  { transport: 'memory', era: 'modern' },
] as const)('message faults over $transport ($era era)', ({ transport, era }) => {
  async function connect(): Promise<void> {
    if (transport === 'http') await server.start();
    client = new MCPTestClient(server, { era });
    await client.connect();
  }

  it('answers with an injected JSON-RPC error, `times` limited', async () => {
    setup();
    await connect();
    const handle = server.faults.inject({
      tool: 'echo',
      fault: fault.jsonRpcError(-32050, 'database down'),
      times: 1,
    });
    const error = await errorOf(client.callTool('echo', { text: 'a' }));
    expect(McpProtocolError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: -32050,
      message: expect.stringContaining('database down'),
    });
    expect(handle).toMatchObject({ active: false, applied: 1 });
    expect(await client.executeTool('echo', { text: 'b' })).toEqual({ text: 'b' });
    expect(server.callsTo('echo').map((call) => call.outcome.type)).toEqual(['error', 'result']);
    expect(server.callsTo('echo')[0]?.faults).toEqual(['jsonrpc-error']);
  });

  it('answers with an injected tool error result', async () => {
    setup();
    await connect();
    server.faults.inject({ fault: fault.toolError('quota exceeded') }); // only tools/call can take it
    const error = await errorOf(client.executeTool('echo', { text: 'a' }));
    expect(McpToolError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ message: 'quota exceeded', toolName: 'echo' });
    expect(await client.listTools()).toHaveLength(2);
  });

  it('adds latency, which a short timeout observes', async () => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.latency(5_000) });
    const error = await errorOf(client.callTool('echo', { text: 'late' }, { timeoutMs: 150 }));
    expect(McpTimeoutError.isInstance(error)).toBe(true);
    server.faults.clear();
    server.faults.inject({ tool: 'echo', fault: fault.latency(20) });
    expect(await client.executeTool('echo', { text: 'a bit late' })).toEqual({
      text: 'a bit late',
    });
    expect(server.callsTo('echo').at(-1)?.faults).toEqual(['latency']);
  });

  it('stalls: the request is never answered', async () => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.stall() });
    const error = await errorOf(client.callTool('echo', { text: 'x' }, { timeoutMs: 200 }));
    expect(McpTimeoutError.isInstance(error)).toBe(true);
    expect(server.callsTo('echo')[0]?.outcome).toEqual({ type: 'fault', fault: 'stall' });
  });

  it('pads the answer to an oversized payload', async () => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.oversized(2_000_000) });
    const result = await client.callTool('echo', { text: 'big' });
    const padding = result.content.at(-1);
    expect(padding?.type === 'text' && padding.text.length).toBeGreaterThanOrEqual(2_000_000);
    expect(result.structuredContent).toEqual({ text: 'big' });
  });

  it('drops the connection', async () => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.dropConnection(), times: 1 });
    const error = await errorOf(client.callTool('echo', { text: 'x' }, { timeoutMs: 500 }));
    // The SDK client does not fail a legacy request whose SSE answer breaks off: it waits
    // for the answer until its timeout. Everywhere else the break fails the request at once.
    const expected =
      transport === 'http' && era === 'legacy' ? McpTimeoutError : McpConnectionError;
    expect(expected.isInstance(error)).toBe(true);
    expect(server.callsTo('echo')[0]?.outcome).toEqual({ type: 'fault', fault: 'drop' });
    if (transport === 'memory')
      expect(await client.executeTool('echo', { text: 'reconnected' })).toEqual({
        text: 'reconnected',
      });
  });

  it('answers with a malformed frame', async () => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.malformed(), times: 1 });
    const error = await errorOf(client.callTool('echo', { text: 'x' }, { timeoutMs: 500 }));
    // Over HTTP the body fails to parse; in memory the SDK drops the message it cannot read.
    if (transport === 'http') {
      expect(McpProtocolError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: -32700 });
    } else {
      expect(McpTimeoutError.isInstance(error)).toBe(true);
    }
    expect(server.callsTo('echo')[0]?.outcome).toEqual({ type: 'fault', fault: 'malformed' });
  });

  it('serves one request at a time under concurrency: 1', async () => {
    setup();
    const entered: string[] = [];
    const release = new Map<string, () => void>();
    server.addTool('slow', ({ id }, ctx) => {
      entered.push(String(id));
      return new Promise((resolve) => {
        release.set(String(id), () => resolve(`done ${String(id)}`));
        ctx.signal.addEventListener('abort', () => resolve('aborted'));
      });
    });
    await connect();
    server.faults.inject({ tool: 'slow', fault: fault.concurrency(1) });
    const first = client.executeTool('slow', { id: 'a' });
    await eventually(() => expect(entered).toEqual(['a']));
    const second = client.executeTool('slow', { id: 'b' });
    await eventually(() => expect(server.callsTo('slow')).toHaveLength(2));
    expect(entered).toEqual(['a']); // b is queued behind a
    release.get('a')!();
    expect(await first).toBe('done a');
    await eventually(() => expect(entered).toEqual(['a', 'b']));
    release.get('b')!();
    expect(await second).toBe('done b');
    expect(server.callsTo('slow').map((call) => call.faults)).toEqual([
      ['concurrency'],
      ['concurrency'],
    ]);
  });
});

describe('HTTP faults', () => {
  async function connect(era: 'legacy' | 'modern' = 'legacy'): Promise<void> {
    await server.start();
    client = new MCPTestClient(server.url, { era });
    await client.connect();
  }

  it('401 becomes McpAuthError', async () => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.unauthorized() });
    const error = await errorOf(client.callTool('echo', { text: 'x' }));
    expect(McpAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 401 });
    expect(server.callsTo('echo')[0]?.outcome).toEqual({ type: 'http-error', status: 401 });
  });

  it('403 insufficient_scope becomes McpAuthError with that reason', async () => {
    setup();
    await connect('modern');
    server.faults.inject({ tool: 'echo', fault: fault.insufficientScope('files:write') });
    const error = await errorOf(client.callTool('echo', { text: 'x' }));
    expect(McpAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, reason: 'insufficient_scope' });
  });

  it('404 on a session becomes McpSessionExpiredError, and the next call opens a new session', async () => {
    setup();
    await connect();
    const first = client.sessionId;
    server.faults.inject({ tool: 'echo', fault: fault.sessionExpired(), times: 1 });
    const error = await errorOf(client.callTool('echo', { text: 'x' }));
    expect(McpSessionExpiredError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ sessionId: first, retryable: true });
    expect(await client.executeTool('echo', { text: 'again' })).toEqual({ text: 'again' });
    expect(client.sessionId).not.toBe(first);
  });

  it('kill-session ends the session for good', async () => {
    setup();
    await connect();
    const killed = client.sessionId!;
    server.faults.inject({ tool: 'echo', fault: fault.killSession(), times: 1 });
    expect(
      McpSessionExpiredError.isInstance(await errorOf(client.callTool('echo', { text: 'x' }))),
    ).toBe(true);
    expect(server.sessions).not.toContain(killed);
    const probe = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': killed,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list' }),
    });
    expect(probe.status).toBe(404);
    expect(await client.executeTool('echo', { text: 'again' })).toEqual({ text: 'again' });
    const initializes = server.requestsFor('initialize').map((request) => request.sessionId);
    expect(initializes).toHaveLength(2);
    expect(initializes[0]).toBe(killed);
    expect(initializes[1]).toBe(client.sessionId);
  });

  it('429 with Retry-After becomes McpRateLimitedError', async () => {
    setup();
    await connect('modern');
    server.faults.inject({ tool: 'echo', fault: fault.rateLimited(3) });
    const error = await errorOf(client.callTool('echo', { text: 'x' }));
    expect(McpRateLimitedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 3000, source: 'server' });
  });

  it.each([500, 503])('%i becomes a retryable McpConnectionError', async (status) => {
    setup();
    await connect();
    server.faults.inject({ tool: 'echo', fault: fault.serverError(status, 7) });
    const error = await errorOf(client.callTool('echo', { text: 'x' }));
    expect(McpConnectionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status, retryable: true, retryAfterMs: 7000 });
  });

  it('drops the connection before any response', async () => {
    setup();
    await connect('modern');
    server.faults.inject({ tool: 'echo', fault: fault.dropConnection('before-response') });
    expect(
      McpConnectionError.isInstance(await errorOf(client.callTool('echo', { text: 'x' }))),
    ).toBe(true);
  });

  it('lets the first `after` requests through', async () => {
    setup();
    await connect('modern');
    const handle = server.faults.inject({
      tool: 'echo',
      fault: fault.serverError(500),
      after: 2,
      times: 1,
    });
    expect(await client.executeTool('echo', { text: '1' })).toEqual({ text: '1' });
    expect(await client.executeTool('echo', { text: '2' })).toEqual({ text: '2' });
    expect(
      McpConnectionError.isInstance(await errorOf(client.callTool('echo', { text: '3' }))),
    ).toBe(true);
    expect(await client.executeTool('echo', { text: '4' })).toEqual({ text: '4' });
    expect(handle).toMatchObject({ matched: 3, applied: 1, active: false });
  });
});

describe('fault rules', () => {
  it('apply with a seeded probability, identically for the same seed', async () => {
    async function pattern(seed: number): Promise<boolean[]> {
      const mock = new MockMCPServer({ seed });
      mock.addTool('flaky', () => 'ok');
      mock.faults.inject({ tool: 'flaky', fault: fault.toolError('flake'), probability: 0.5 });
      const memory = new MCPTestClient(mock);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 24; i++) outcomes.push((await memory.callTool('flaky')).isError === true);
      await memory.close();
      await mock.stop();
      return outcomes;
    }
    const first = await pattern(42);
    expect(await pattern(42)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await pattern(7)).not.toEqual(first);
  });

  it('are removed by handle or all at once', async () => {
    setup();
    client = new MCPTestClient(server);
    const handle = server.faults.inject({ tool: 'echo', fault: fault.toolError() });
    server.faults.inject({ tool: 'other', fault: fault.toolError() });
    expect(server.faults.list()).toHaveLength(2);
    expect((await client.callTool('echo', { text: 'x' })).isError).toBe(true);
    handle.remove();
    expect((await client.callTool('echo', { text: 'x' })).isError).toBeFalsy();
    server.faults.clear();
    expect(server.faults.list()).toEqual([]);
    expect(await client.executeTool('other')).toBe('fine');
  });

  it('match by method, resource, prompt, era or predicate', async () => {
    setup();
    server.addResource('notes', 'text');
    client = new MCPTestClient(server, { era: 'modern' });
    server.faults.inject({ resource: 'mock:///notes', fault: fault.jsonRpcError(-32002, 'gone') });
    server.faults.inject({ method: 'prompts/list', era: 'legacy', fault: fault.jsonRpcError() });
    server.faults.inject({
      match: (target) => target.params?.['arguments'] !== undefined && target.target === 'other',
      fault: fault.toolError('by predicate'),
    });
    expect(await errorOf(client.readResource('mock:///notes'))).toMatchObject({ code: -32002 });
    expect(await client.listPrompts()).toEqual([]); // the rule is for legacy sessions only
    expect((await client.callTool('other')).isError).toBe(true);
  });

  it('reject malformed rules with McpConfigError naming the field', () => {
    setup();
    const attempt = (rule: unknown) => {
      try {
        server.faults.inject(rule as never);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt({ fault: { type: 'latency', ms: -1 } })).toMatchObject({
      field: 'faults.inject.fault.ms',
    });
    expect(attempt({ fault: { type: 'nope' } })).toSatisfy((e) => McpConfigError.isInstance(e));
    expect(attempt({ fault: fault.toolError(), probability: 2 })).toMatchObject({
      field: 'faults.inject.probability',
    });
    expect(attempt({ fault: fault.concurrency(0) })).toMatchObject({
      field: 'faults.inject.fault.limit',
    });
    expect(attempt({ fault: fault.httpStatus(42) })).toMatchObject({
      field: 'faults.inject.fault.status',
    });
  });
});
