// The optional McpSession members (state, closed, request, notify, listPage, server-request
// handlers, restored subscriptions) through MCPTestClient, in both eras over HTTP, in memory and
// over stdio. Written against the McpSession seam: any session (MCPClient too) owes the same.
import { fileURLToPath } from 'node:url';
import {
  McpConfigError,
  McpConnectionError,
  McpProtocolError,
  paginate,
  type McpServerRequestContext,
  type McpSessionState,
  type McpSubscriptionEvent,
} from '@tframex/mcp-api';
import { CLIENT_CAPABILITIES_META_KEY } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { fault, MCPTestClient, mockServerCommand, type MockMCPServer } from '../index.js';
import type { MCPTestClientOptions } from './mcp-test-client.js';
import { eventually } from '../test-support/eventually.js';
import { buildSeamServer, SEAM_TOOLS } from './test-support/seam-server.js';

const fixture = fileURLToPath(new URL('./test-support/seam-server.ts', import.meta.url));

interface Target {
  label: string;
  kind: 'http' | 'memory' | 'stdio';
  era: 'legacy' | 'modern';
}

const TARGETS: Target[] = [
  { label: 'HTTP, legacy', kind: 'http', era: 'legacy' },
  { label: 'HTTP, modern', kind: 'http', era: 'modern' },
  { label: 'memory, legacy', kind: 'memory', era: 'legacy' },
  { label: 'memory, modern', kind: 'memory', era: 'modern' },
  { label: 'stdio, legacy', kind: 'stdio', era: 'legacy' },
  { label: 'stdio, modern', kind: 'stdio', era: 'modern' },
];

/** Whether a server request can be traced to the client request it was made for. */
const attributable = (target: Target) => target.era === 'modern' || target.kind === 'http';

function sampled(text: string): Record<string, unknown> {
  return { role: 'assistant', model: 'fake-model', content: { type: 'text', text } };
}

function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

/** A subscription listener that records events and lets a test wait for one. */
function recorder() {
  const events: McpSubscriptionEvent[] = [];
  const waiters: Array<{ event: McpSubscriptionEvent; resolve: () => void }> = [];
  const same = (a: McpSubscriptionEvent, b: McpSubscriptionEvent) =>
    JSON.stringify(a) === JSON.stringify(b);
  return {
    events,
    listener: (event: McpSubscriptionEvent) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!same(waiter.event, event)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    /** Resolves once `event` has arrived (at once if it already has). */
    next: (event: McpSubscriptionEvent): Promise<void> =>
      events.some((seen) => same(seen, event))
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ event, resolve })),
  };
}

/** Resolves with the next state change to `state`. */
function nextState(client: MCPTestClient, state: McpSessionState): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = client.onStateChange((change) => {
      if (change.state !== state) return;
      stop();
      resolve(change.error);
    });
  });
}

let server: MockMCPServer | undefined;
let client: MCPTestClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.stop();
  client = undefined;
  server = undefined;
});

async function open(target: Target, options: MCPTestClientOptions = {}): Promise<MCPTestClient> {
  if (target.kind === 'stdio') {
    client = new MCPTestClient(mockServerCommand(fixture), {
      name: 'seams',
      era: target.era,
      ...options,
    });
    return client;
  }
  server = buildSeamServer();
  if (target.kind === 'http') await server.start();
  client = new MCPTestClient(server, { era: target.era, ...options });
  return client;
}

describe.each(TARGETS)(
  'McpSession seams of MCPTestClient over $label',
  { timeout: 60_000 },
  (target) => {
    // In-memory connections take the same paths; a stdio child per test is slow.
    it.skipIf(target.kind === 'stdio')(
      'reports its state from idle to closed, and settles closed',
      async () => {
        const session = await open(target);
        const changes: string[] = [];
        session.onStateChange((change) => changes.push(`${change.previous}>${change.state}`));
        expect(session.state).toBe('idle');
        let settled = false;
        void session.closed.then(() => (settled = true));
        await session.connect();
        expect(session.state).toBe('connected');
        await session.close();
        await session.closed;
        expect(settled).toBe(true);
        expect(session.state).toBe('closed');
        expect(changes).toEqual(['idle>connecting', 'connecting>connected', 'connected>closed']);
        const refused = await errorOf(session.listTools());
        expect(McpConnectionError.isInstance(refused)).toBe(true);
      },
    );

    it('sends any request and notification', async () => {
      const session = await open(target);
      const result = await session.request('tools/call', {
        name: 'echo',
        arguments: { text: 'generic' },
      });
      expect(result['structuredContent']).toEqual({ text: 'generic' });
      const unknown = await errorOf(session.request('tframex/no-such-method', { x: 1 }));
      expect(McpProtocolError.isInstance(unknown)).toBe(true);
      expect(unknown).toMatchObject({ method: 'tframex/no-such-method' });
      // Method not found; the stateless 2026-07-28 HTTP handler calls it an invalid request.
      expect([-32601, -32600]).toContain((unknown as McpProtocolError).code);
      await session.notify('notifications/tframex/hello', { from: 'test' });
      if (server) {
        const heard = server;
        await eventually(() =>
          expect(heard.notifications.map((n) => n.method)).toContain('notifications/tframex/hello'),
        );
      }
    });

    it('lists one page at a time with cursors', async () => {
      const session = await open(target);
      const first = await session.listPage('tools');
      expect(first.items.map((tool) => tool.name)).toEqual(SEAM_TOOLS.slice(0, 4));
      expect(typeof first.nextCursor).toBe('string');
      const second = await session.listPage('tools', { cursor: first.nextCursor! });
      expect(second.items.map((tool) => tool.name)).toEqual(SEAM_TOOLS.slice(4, 8));
      const last = await session.listPage('tools', { cursor: second.nextCursor! });
      expect(last.items.map((tool) => tool.name)).toEqual(SEAM_TOOLS.slice(8));
      expect(last.nextCursor).toBeUndefined();
      const walked: string[] = [];
      for await (const tool of paginate(session, 'tools')) walked.push(tool.name);
      expect(walked).toEqual(SEAM_TOOLS);
      expect((await session.listTools()).map((tool) => tool.name)).toEqual(SEAM_TOOLS);
      const resources = await session.listPage('resources');
      expect(resources.items.map((resource) => resource.uri)).toEqual(['mock:///notes']);
      const bad = await errorOf(session.listPage('tools', { cursor: 'not-a-cursor' }));
      expect(McpProtocolError.isInstance(bad)).toBe(true);
      expect(bad).toMatchObject({ code: -32602 });
    });

    it('answers server requests with its handler, saying which request they came for', async () => {
      const session = await open(target);
      const contexts: McpServerRequestContext[] = [];
      session.setServerRequestHandler('sampling/createMessage', async (params, context) => {
        contexts.push(context);
        const messages = params['messages'] as Array<{ content: { text: string } }>;
        return sampled(`session heard ${messages[0]!.content.text}`);
      });
      expect(await session.executeTool('ask', { text: 'hi' })).toBe('session heard hi');
      expect(contexts).toHaveLength(1);
      expect(contexts[0]).toMatchObject({ server: 'seams', method: 'sampling/createMessage' });
      expect(contexts[0]!.signal).toBeInstanceOf(AbortSignal);
      expect(contexts[0]!.relatedRequest).toEqual(
        attributable(target) ? { method: 'tools/call', target: 'ask' } : undefined,
      );
    });

    // In-memory connections take the same paths; a stdio child per test is slow.
    it.skipIf(target.kind === 'stdio')(
      'prefers the handlers a request brings where it can tell the request',
      async () => {
        const session = await open(target);
        session.setServerRequestHandler('sampling/createMessage', async () => sampled('session'));
        const own = (name: string) => ({
          serverRequestHandlers: { 'sampling/createMessage': async () => sampled(name) },
        });
        const [first, second, plain] = await Promise.all([
          session.executeTool('ask', { text: 'a' }, own('first')),
          session.executeTool('ask', { text: 'b' }, own('second')),
          session.executeTool('ask', { text: 'c' }),
        ]);
        if (attributable(target))
          expect([first, second, plain]).toEqual(['first', 'second', 'session']);
        else expect([first, second, plain]).toEqual(['session', 'session', 'session']);
      },
    );

    // In-memory connections take the same paths; a stdio child per test is slow.
    it.skipIf(target.kind === 'stdio')(
      'announces a handler installed after it connected',
      async () => {
        const session = await open(target);
        await session.connect();
        const replaced = nextState(session, 'reconnecting');
        const back = nextState(session, 'connected');
        session.setServerRequestHandler('roots/list', async () => ({
          roots: [{ uri: 'file:///work', name: 'work' }],
        }));
        await replaced;
        await back;
        expect(await session.executeTool('roots')).toEqual([{ uri: 'file:///work', name: 'work' }]);
        if (server && target.kind === 'http' && target.era === 'legacy') {
          const initializes = server.requestsFor('initialize');
          expect(initializes.at(-1)?.params?.['capabilities']).toMatchObject({ roots: {} });
          const watched = server;
          // The first session ends once nothing uses it any more.
          await eventually(() => expect(watched.sessions).toHaveLength(1));
        }
        if (server && target.era === 'modern') {
          const call = server.callsTo('roots').at(-1);
          const meta = call?.params?.['_meta'] as Record<string, unknown> | undefined;
          expect(meta?.[CLIENT_CAPABILITIES_META_KEY]).toMatchObject({ roots: {} });
        }
      },
    );

    it('restores subscriptions after a lost connection and says so', async () => {
      const session = await open(target);
      const notes = recorder();
      const subscription = await session.subscribe(
        { resources: ['mock:///notes'] },
        notes.listener,
      );
      const tools = recorder();
      await session.subscribe({ toolsListChanged: true }, tools.listener);
      await loseConnection(target, session);
      await notes.next({ type: 'restored' });
      await tools.next({ type: 'restored' });
      expect(session.state).toBe('connected');
      await session.executeTool('touch', { uri: 'mock:///notes' });
      await notes.next({ type: 'resource-updated', uri: 'mock:///notes' });
      await subscription.close();
      expect(await subscription.closed).toBe('local');
    });

    // In-memory connections take the same paths; a stdio child per test is slow.
    it.skipIf(target.kind === 'stdio')(
      'keeps listeners apart: one that throws is reported and the others still hear',
      async () => {
        const session = await open(target);
        const reported: unknown[] = [];
        session.on('listener:error', (event) => reported.push(event));
        const heard: string[] = [];
        session.onNotification('notifications/resources/updated', () => {
          throw new Error('handler bug');
        });
        session.onNotification('notifications/resources/updated', (n) =>
          heard.push(String(n.params?.['uri'])),
        );
        const events: McpSubscriptionEvent[] = [];
        await session.subscribe({ resources: ['mock:///notes'] }, () => {
          throw new Error('listener bug');
        });
        await session.subscribe({ resources: ['mock:///notes'] }, (event) => events.push(event));
        session.onStateChange(() => {
          throw new Error('state listener bug');
        });
        await session.executeTool('touch', { uri: 'mock:///notes' });
        await eventually(() => expect(heard).toEqual(['mock:///notes']));
        await eventually(() => expect(events).toHaveLength(1));
        await session.close();
        expect(reported).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ source: 'notification-handler', server: 'seams' }),
            expect.objectContaining({ source: 'subscription-listener' }),
            expect.objectContaining({ source: 'other', event: 'state-change' }),
          ]),
        );
      },
    );
  },
);

/** Breaks the connection the way each transport loses one. */
async function loseConnection(target: Target, session: MCPTestClient): Promise<void> {
  if (target.kind === 'stdio') {
    // The server drops the connection in the middle of a call: its process exits.
    await session.executeTool('inject', { type: 'drop', tool: 'echo' });
    const failed = await errorOf(session.callTool('echo', { text: 'x' }));
    expect(McpConnectionError.isInstance(failed)).toBe(true);
    return;
  }
  // In memory the connection closes; over HTTP every socket breaks (the legacy session's GET
  // stream, the modern listen stream) while the server keeps serving.
  server!.dropConnections();
}

describe('McpSession seams of MCPTestClient: giving up and bad input', () => {
  it('restores subscriptions on a new legacy session after the server forgot the old one', async () => {
    server = buildSeamServer();
    await server.start();
    client = new MCPTestClient(server, { era: 'legacy' });
    const events: McpSubscriptionEvent[] = [];
    await client.subscribe({ resources: ['mock:///notes'] }, (event) => events.push(event));
    const first = client.sessionId;
    server.faults.inject({ fault: fault.killSession(), times: 1 });
    await errorOf(client.ping());
    await eventually(() => expect(events).toContainEqual({ type: 'restored' }));
    expect(client.sessionId).not.toBe(first);
    await client.executeTool('touch', { uri: 'mock:///notes' });
    await eventually(() =>
      expect(events).toContainEqual({ type: 'resource-updated', uri: 'mock:///notes' }),
    );
  });

  it('closes for good when a lost connection cannot be restored', async () => {
    server = buildSeamServer();
    client = new MCPTestClient(server, { era: 'legacy', reconnectAttempts: 0 });
    const subscription = await client.subscribe({ resources: ['mock:///notes'] }, () => undefined);
    const states: string[] = [];
    client.onStateChange((change) => states.push(change.state));
    server.faults.inject({ tool: 'echo', fault: fault.dropConnection(), times: 1 });
    await errorOf(client.callTool('echo', { text: 'x' }));
    await client.closed;
    expect(client.state).toBe('closed');
    expect(states).toEqual(['reconnecting', 'closed']);
    expect(await subscription.closed).toBe('remote');
    const refused = await errorOf(client.listTools());
    expect(McpConnectionError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ retryable: false });
    expect((refused as Error).message).toContain('could not restore');
  });

  it('goes idle when a connection nothing depends on is lost, and connects again on use', async () => {
    server = buildSeamServer();
    client = new MCPTestClient(server, { era: 'legacy' });
    await client.connect();
    server.faults.inject({ tool: 'echo', fault: fault.dropConnection(), times: 1 });
    const idle = nextState(client, 'idle');
    await errorOf(client.callTool('echo', { text: 'x' }));
    await idle;
    expect(await client.executeTool('echo', { text: 'again' })).toEqual({ text: 'again' });
    expect(client.state).toBe('connected');
  });

  it('refuses a server-request handler for an unknown method', () => {
    client = new MCPTestClient('http://127.0.0.1:1/mcp');
    expect(() => client!.setServerRequestHandler('tasks/get' as never, async () => ({}))).toThrow(
      McpConfigError,
    );
    expect(() => new MCPTestClient('http://127.0.0.1:1/mcp', { reconnectAttempts: -1 })).toThrow(
      McpConfigError,
    );
  });
});
