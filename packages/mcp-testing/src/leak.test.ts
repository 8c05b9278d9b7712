// Starting and stopping many servers, with real clients, sessions, streams, faults and child
// processes in play, must leave no socket, server, timer or process behind.
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import {
  fault,
  MCPTestClient,
  MockAuthorizationServer,
  MockMCPServer,
  mockServerCommand,
} from './index.js';
import { eventually } from './test-support/eventually.js';

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'ProcessWrap', 'PipeWrap'] as const;

function census(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED.map((type) => [type, 0]));
  for (const type of process.getActiveResourcesInfo()) if (type in counts) counts[type]! += 1;
  return counts;
}

/**
 * Waits until `check` passes: destroyed sockets and exited processes finish closing on later
 * ticks. Polls with plain sleeps (vi.waitFor's own timers would be counted as leaks), and
 * counts only after each sleep's timer has fired.
 */
async function settles(check: () => void, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function cycle(round: number): Promise<void> {
  const server = new MockMCPServer({ name: `leak-${round}` });
  server.addTool('echo', ({ text }) => ({ text }));
  server.addTool(
    'hang',
    (_args, ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'))),
  );
  switch (round % 4) {
    case 0: {
      // A legacy session with its GET stream, and a request the server never answers.
      await server.start();
      const client = new MCPTestClient(server.url, { era: 'legacy' });
      await client.executeTool('echo', { text: 'a' });
      await eventually(() =>
        expect(server.httpRequests.some((r) => r.method === 'GET')).toBe(true),
      );
      server.faults.inject({ tool: 'echo', fault: fault.stall() });
      void client.callTool('echo', { text: 'b' }, { timeoutMs: 60_000 }).catch(() => undefined);
      await server.waitForRequest(
        (r) => r.method === 'tools/call' && r.arguments?.['text'] === 'b',
      );
      await server.stop();
      await client.close();
      break;
    }
    case 1: {
      // Modern requests, one stuck in injected latency and one in a handler, over the SDK client.
      await server.start();
      const client = new Client(
        { name: 'leak', version: '1.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      await client.callTool({ name: 'echo', arguments: { text: 'a' } });
      await client.listen({ toolsListChanged: true });
      server.faults.inject({ tool: 'echo', fault: fault.latency(60_000) });
      void client.callTool({ name: 'echo', arguments: { text: 'b' } }).catch(() => undefined);
      void client.callTool({ name: 'hang', arguments: {} }).catch(() => undefined);
      await eventually(() => expect(server.requestsFor('tools/call')).toHaveLength(3));
      await server.stop();
      await client.close();
      break;
    }
    case 2: {
      // In memory, with a concurrency queue holding a request.
      server.faults.inject({ tool: 'hang', fault: fault.concurrency(1) });
      const client = new MCPTestClient(server, { era: round % 8 === 2 ? 'legacy' : 'auto' });
      void client.callTool('hang').catch(() => undefined);
      void client.callTool('hang').catch(() => undefined);
      await eventually(() => expect(server.requestsFor('tools/call')).toHaveLength(2));
      await client.close();
      await server.stop();
      break;
    }
    case 3: {
      // An OAuth-protected server and its authorization server; a test waiting on a request.
      const authServer = new MockAuthorizationServer({
        clients: [{ clientId: 'c', clientSecret: 's' }],
      });
      await authServer.start();
      server.setAuth({ type: 'oauth', authorizationServer: authServer });
      await server.start();
      const { accessToken } = authServer.issueToken({ clientId: 'c' });
      const client = new MCPTestClient(server.url, {
        auth: { name: 't', headers: () => ({ authorization: `Bearer ${accessToken}` }) },
      });
      await client.executeTool('echo', { text: 'a' });
      const waiting = server
        .waitForRequest('prompts/list', { timeoutMs: 60_000 })
        .catch(() => undefined);
      await client.close();
      await server.stop();
      await waiting;
      await authServer.stop();
      break;
    }
  }
}

describe('resource hygiene', () => {
  it('leaves nothing open after 200 servers start and stop', { timeout: 180_000 }, async () => {
    await cycle(0); // warm up: the first fetch creates undici's long-lived timers
    await cycle(1);
    const before = census();
    for (let round = 0; round < 200; round++) await cycle(round);
    await settles(() => {
      const after = census();
      for (const type of WATCHED)
        expect({ type, count: Math.min(after[type]!, before[type]!) }).toEqual({
          type,
          count: after[type],
        });
    });
  });

  it('leaves no child process after stdio servers come and go', { timeout: 120_000 }, async () => {
    const fixture = fileURLToPath(new URL('./stdio/test-support/stdio-server.ts', import.meta.url));
    const before = census();
    const pids: number[] = [];
    for (let round = 0; round < 3; round++) {
      const client = new MCPTestClient(mockServerCommand(fixture), {
        era: round === 0 ? 'auto' : 'legacy',
      });
      pids.push((await client.executeTool('pid')) as number);
      await client.close();
    }
    await settles(() => {
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      const after = census();
      for (const type of WATCHED)
        expect({ type, count: Math.min(after[type]!, before[type]!) }).toEqual({
          type,
          count: after[type],
        });
    });
  });
});
