// The benchmark's MCP server, on the official SDK only (no @tframex code on the server side,
// so both clients meet exactly the same server). Two tools:
//   echo { text }  answers at once with one text block: the trivial tool of every timed run;
//   work           sleeps `workMs`, one call at a time per server instance: one instance
//                  serves one legacy session (HTTP), one stdio or in-memory connection,
//                  so a session works its requests one after another, like a
//                  single-threaded server per connection.
//
// As a child process (`node server.mjs --http [--work-ms 20]` or `--stdio`):
//   --http   node:http on 127.0.0.1, an ephemeral port, path /mcp, both protocol eras on
//            one URL (legacy: sessionful Streamable HTTP; modern: createMcpHandler); the
//            URL goes to the parent over IPC as { type: 'ready', url }.
//   --mock-gate  instead, MockMCPServer with fault.concurrency(1) on `work` (the pool control).
//   --stdio  serveStdio: both eras, the era picked by the client's opening message.
// The HTTP child stops when the parent disconnects or on SIGTERM/SIGINT.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import {
  McpServer,
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  isLegacyRequest,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const echoInput = z.object({ text: z.string() });

/** A factory of SDK servers with the benchmark's tools. */
export function createServerFactory({ workMs = 20 } = {}) {
  return () => {
    const server = new McpServer({ name: 'bench-server', version: '1.0.0' });
    server.registerTool(
      'echo',
      { description: 'Answers with its input', inputSchema: echoInput },
      async ({ text }) => ({ content: [{ type: 'text', text }] }),
    );
    // One call at a time on this instance: each call waits for the one before it.
    let tail = Promise.resolve();
    server.registerTool('work', { description: `Takes ${workMs} ms, one at a time` }, () => {
      const run = tail.then(() => delay(workMs));
      tail = run;
      return run.then(() => ({ content: [{ type: 'text', text: 'done' }] }));
    });
    return server;
  };
}

/** Legacy era: sessionful Streamable HTTP, one SDK server instance per session. */
function createLegacySessions(factory) {
  const sessions = new Map();
  const notFound = () =>
    Response.json(
      { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null },
      { status: 404 },
    );
  return {
    get size() {
      return sessions.size;
    },
    async fetch(request) {
      const id = request.headers.get('mcp-session-id');
      if (id) {
        const session = sessions.get(id);
        return session ? session.transport.handleRequest(request) : notFound();
      }
      if (request.method !== 'POST') return notFound();
      const server = factory();
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sessionId) => sessions.set(sessionId, { server, transport }),
        onsessionclosed: (sessionId) => {
          const session = sessions.get(sessionId);
          sessions.delete(sessionId);
          void session?.server.close().catch(() => undefined);
        },
      });
      await server.connect(transport);
      return transport.handleRequest(request);
    },
    async close() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.server.close().catch(() => undefined)));
    },
  };
}

/** Starts the HTTP server; resolves with { url, close, sessions }. */
export async function startHttpServer({ workMs = 20, port = 0 } = {}) {
  const factory = createServerFactory({ workMs });
  const legacy = createLegacySessions(factory);
  const modern = createMcpHandler(factory, { legacy: 'reject' });
  const handler = toNodeHandler({
    fetch: async (request) =>
      (await isLegacyRequest(request)) ? legacy.fetch(request) : modern.fetch(request),
  });
  const sockets = new Set();
  const http = createServer((req, res) => {
    if (req.url === '/stats') {
      // The server's own CPU time, so that runs can report server CPU per call too.
      const cpu = process.cpuUsage();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ cpuUs: cpu.user + cpu.system, sessions: legacy.size }));
      return;
    }
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    void handler(req, res);
  });
  http.keepAliveTimeout = 60_000;
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => http.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${http.address().port}/mcp`;
  return {
    url,
    sessions: () => legacy.size,
    async close() {
      await legacy.close();
      await modern.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * The control of the pool section: MockMCPServer (legacy era) whose `work` tool sits behind
 * `fault.concurrency(1)`. That fault is one gate for the whole server, not one per session.
 */
async function startMockGate({ workMs }) {
  const { MockMCPServer, fault } = await import('@tframex/mcp-testing');
  const mock = new MockMCPServer({ name: 'bench-mock' });
  mock.addTool('work', async () => {
    await delay(workMs);
    return 'done';
  });
  mock.faults.inject({ tool: 'work', fault: fault.concurrency(1) });
  const url = await mock.start({ era: 'legacy' });
  return { url, sessions: () => mock.sessionIds?.length ?? 0, close: () => mock.stop() };
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--work-ms');
  const workMs = at >= 0 ? Number(args[at + 1]) : 20;
  if (args.includes('--stdio')) {
    const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
    serveStdio(createServerFactory({ workMs }));
    return;
  }
  const server = args.includes('--mock-gate')
    ? await startMockGate({ workMs })
    : await startHttpServer({ workMs });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.on('message', (message) => {
    if (message?.type === 'stop') void stop();
    if (message?.type === 'sessions')
      process.send?.({ type: 'sessions', count: server.sessions() });
  });
  process.send?.({ type: 'ready', url: server.url, pid: process.pid });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
