// MCPTestClient as an McpEventSource: the events MCPClient emits, with the same meaning, so a
// monitor can be tested against MockMCPServer through MCPTestClient alone.
import { McpTimeoutError } from '@tframex/mcp-api';
import type {
  McpClientEvents,
  McpConnectionStateEvent,
  McpRequestEndEvent,
  McpRequestStartEvent,
} from '@tframex/mcp-telemetry-api';
import { afterEach, describe, expect, it } from 'vitest';
import { fault, MCPTestClient, MockMCPServer } from '../index.js';
import { eventually } from '../test-support/eventually.js';

interface Target {
  label: string;
  http: boolean;
  era: 'legacy' | 'modern';
}

const TARGETS: Target[] = [
  { label: 'HTTP, legacy', http: true, era: 'legacy' },
  { label: 'HTTP, modern', http: true, era: 'modern' },
  { label: 'memory, legacy', http: false, era: 'legacy' },
  { label: 'memory, modern', http: false, era: 'modern' },
];

function buildServer(): MockMCPServer {
  const server = new MockMCPServer({ name: 'watched' });
  server.addTool('echo', ({ text }) => ({ text }));
  server.addTool('broken', () => {
    throw new Error('out of stock');
  });
  server.addTool(
    'slow',
    (_args, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'))),
  );
  server.addPrompt('greet', ({ name }) => `Hello ${name}`, {
    arguments: [{ name: 'name', required: true }],
  });
  server.addResource('notes', 'remember');
  return server;
}

/** Collects every event of the given kinds. */
function record<K extends keyof McpClientEvents>(client: MCPTestClient, ...events: K[]) {
  const seen: Array<{ event: K; payload: McpClientEvents[K] }> = [];
  for (const event of events) client.on(event, (payload) => seen.push({ event, payload }));
  return {
    all: seen,
    of: <E extends K>(event: E) =>
      seen.filter((entry) => entry.event === event).map((entry) => entry.payload) as Array<
        McpClientEvents[E]
      >,
  };
}

let server: MockMCPServer;
let client: MCPTestClient;

afterEach(async () => {
  await client?.close();
  await server?.stop();
});

describe.each(TARGETS)('MCPTestClient telemetry over $label', (target) => {
  async function open(): Promise<void> {
    server = buildServer();
    if (target.http) await server.start();
    client = new MCPTestClient(server, { era: target.era });
  }

  it('emits request:start and request:end with the call, its endpoint and its outcome', async () => {
    await open();
    const events = record(client, 'request:start', 'request:end');
    await client.callTool('echo', { text: 'hi' });
    const [start] = events.of('request:start') as McpRequestStartEvent[];
    const [end] = events.of('request:end') as McpRequestEndEvent[];
    expect(start).toMatchObject({
      server: 'watched',
      method: 'tools/call',
      tool: 'echo',
      target: 'echo',
      attempt: 1,
      connection: 0,
      transport: target.http ? 'streamable-http' : 'memory',
    });
    expect(start!.callId).toBe(start!.requestId);
    expect(end).toMatchObject({
      requestId: start!.requestId,
      callId: start!.callId,
      outcome: 'ok',
      protocolVersion: client.protocolVersion,
    });
    expect(end!.durationMs).toBeGreaterThanOrEqual(0);
    expect(end!.errorKind).toBeUndefined();
    if (target.http) {
      const url = new URL(server.url);
      expect(end).toMatchObject({ serverAddress: '127.0.0.1', serverPort: Number(url.port) });
      expect(end!.bytesSent).toBeGreaterThan(20);
      expect(end!.bytesReceived).toBeGreaterThan(20);
    } else {
      expect(end!.serverAddress).toBeUndefined();
      expect(end!.bytesSent).toBeUndefined();
    }
    expect(end!.sessionId).toBe(
      target.http && target.era === 'legacy' ? client.sessionId : undefined,
    );

    await client.getPrompt('greet', { name: 'Ada' });
    await client.readResource('mock:///notes');
    const ends = events.of('request:end') as McpRequestEndEvent[];
    expect(ends.at(-2)).toMatchObject({ method: 'prompts/get', prompt: 'greet', target: 'greet' });
    expect(ends.at(-1)).toMatchObject({
      method: 'resources/read',
      resourceUri: 'mock:///notes',
      target: 'mock:///notes',
    });
  });

  it('tells tool errors, JSON-RPC errors, timeouts and cancellations apart', async () => {
    await open();
    await client.connect();
    const events = record(client, 'request:end');
    await client.callTool('broken');
    server.faults.inject({ tool: 'echo', fault: fault.jsonRpcError(-32050, 'db down'), times: 1 });
    await client.callTool('echo', { text: 'x' }).catch(() => undefined);
    await client.callTool('slow', {}, { timeoutMs: 50 }).catch(() => undefined);
    const controller = new AbortController();
    server.clearRecords();
    const cancelled = client.callTool('slow', {}, { signal: controller.signal });
    await server.waitForRequest('tools/call');
    controller.abort('enough');
    await cancelled.catch(() => undefined);
    const ends = events.of('request:end') as McpRequestEndEvent[];
    expect(ends.map((end) => [end.tool, end.outcome, end.errorKind, end.errorCode])).toEqual([
      ['broken', 'tool-error', 'tool', undefined],
      ['echo', 'error', 'protocol', -32050],
      ['slow', 'timeout', 'timeout', undefined],
      ['slow', 'cancelled', 'cancelled', undefined],
    ]);
    expect(McpTimeoutError.isInstance(ends[2]!.error)).toBe(true);
  });

  it('reports connection states, with how long a session lasted', async () => {
    await open();
    const events = record(client, 'connection:state');
    await client.connect();
    const protocolVersion = client.protocolVersion;
    await client.close();
    const states = events.of('connection:state') as McpConnectionStateEvent[];
    expect(states.map((event) => `${event.previous}>${event.state}`)).toEqual([
      'disconnected>connecting',
      'connecting>connected',
      'connected>closed',
    ]);
    expect(states[2]!.sessionDurationMs).toBeGreaterThanOrEqual(0);
    expect(states[1]).toMatchObject({ server: 'watched', protocolVersion });
    // The end of a session says which session it was.
    expect(states[2]).toMatchObject({ protocolVersion });
  });

  it('reports notifications and list changes', async () => {
    await open();
    const events = record(client, 'notification', 'list:changed');
    // 2026-07-28 servers send list changes on a subscription stream only.
    await client.subscribe({ toolsListChanged: true }, () => undefined);
    if (target.http && target.era === 'legacy') {
      // Legacy sessions hear unprompted notifications on their GET stream, once it is open.
      await eventually(() =>
        expect(server.httpRequests.some((r) => r.method === 'GET' && r.status === 200)).toBe(true),
      );
    }
    server.addTool('fresh', () => 'new');
    await eventually(() =>
      expect(events.of('list:changed')).toContainEqual({ server: 'watched', list: 'tools' }),
    );
    expect(events.of('notification')).toContainEqual(
      expect.objectContaining({ server: 'watched', method: 'notifications/tools/list_changed' }),
    );
  });

  it('gives a snapshot for a monitor that attaches late', async () => {
    await open();
    expect(client.snapshot().servers).toEqual([
      expect.objectContaining({ server: 'watched', state: 'disconnected', inFlight: 0, queued: 0 }),
    ]);
    await client.callTool('echo', { text: 'a' });
    await client.callTool('broken');
    const slow = client.callTool('slow', {}, { timeoutMs: 60_000 });
    await server.waitForRequest((request) => request.target === 'slow');
    const [snapshot] = client.snapshot().servers;
    expect(snapshot).toMatchObject({
      state: 'connected',
      inFlight: 1,
      protocolVersion: client.protocolVersion,
      lastError: { kind: 'tool', message: 'out of stock' },
    });
    expect(snapshot!.lastSuccessAt).toBeGreaterThan(0);
    expect(snapshot!.connections[0]).toMatchObject({ state: 'connected', inFlight: 1 });
    expect(snapshot!.connections[0]!.connectedAt).toBeGreaterThan(0);
    await client.close();
    await slow.catch(() => undefined);
    expect(client.snapshot().servers[0]).toMatchObject({ state: 'closed', inFlight: 0 });
  });
});

describe('MCPTestClient telemetry listeners', () => {
  it('isolates a listener that throws and reports it as listener:error', async () => {
    server = buildServer();
    client = new MCPTestClient(server, { era: 'legacy' });
    const errors: McpClientEvents['listener:error'][] = [];
    client.on('listener:error', (event) => errors.push(event));
    client.on('request:end', () => {
      throw new Error('listener bug');
    });
    const ends: unknown[] = [];
    client.on('request:end', (event) => ends.push(event));
    await client.callTool('echo', { text: 'x' });
    expect(ends).toHaveLength(1);
    expect(errors).toEqual([
      expect.objectContaining({
        server: 'watched',
        source: 'event-listener',
        event: 'request:end',
      }),
    ]);
  });

  it('stops telling a listener that was removed', async () => {
    server = buildServer();
    client = new MCPTestClient(server, { era: 'legacy' });
    const ends: unknown[] = [];
    const stop = client.on('request:end', (event) => ends.push(event));
    await client.callTool('echo', { text: 'x' });
    stop();
    const listener = (event: unknown) => ends.push(event);
    client.on('request:start', listener);
    client.off('request:start', listener);
    await client.callTool('echo', { text: 'y' });
    expect(ends).toHaveLength(1);
  });

  it('warns when a listener throws and nobody listens for listener:error', async () => {
    server = buildServer();
    client = new MCPTestClient(server, { era: 'legacy' });
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    client.onNotification('*', () => {
      throw new Error('handler bug');
    });
    await client.subscribe({ resources: ['mock:///notes'] }, () => undefined);
    server.notifyResourceUpdated('mock:///notes');
    const warning = await warned;
    expect(warning.name).toBe('MCPTestClientListenerError');
    expect(warning.message).toContain('handler bug');
  });
});
