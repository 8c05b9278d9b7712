// The legacy era's GET event stream carries everything a server sends unasked (requests to
// the client, notifications). Against a node:http server on 127.0.0.1 that resets the
// first attempt to open it, MCPClient opens it again instead of going without.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpNotification } from '@tframex/mcp-api';
import { MCPClient } from './mcp-client.js';
import { testOptions } from '../test-support/test-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SESSION = 'session-1';

/** A minimal legacy Streamable HTTP server whose first GET is reset before any answer. */
async function serverResettingFirstGet(): Promise<{ url: string; gets: () => number }> {
  let gets = 0;
  const streams: ServerResponse[] = [];
  const json = (response: ServerResponse, body: unknown) => {
    response.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': SESSION });
    response.end(JSON.stringify(body));
  };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'GET') {
      gets++;
      if (gets === 1) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': SESSION });
      const notification = {
        jsonrpc: '2.0',
        method: 'notifications/message',
        params: { level: 'info', data: 'over the GET stream' },
      };
      response.write(`event: message\ndata: ${JSON.stringify(notification)}\n\n`);
      streams.push(response);
      return;
    }
    if (request.method === 'DELETE') {
      response.writeHead(200).end();
      return;
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const message = JSON.parse(body) as { id?: number; method: string };
      if (message.id === undefined) {
        response.writeHead(202).end();
      } else if (message.method === 'initialize') {
        json(response, {
          jsonrpc: '2.0',
          id: message.id,
          result: {
            protocolVersion: '2025-11-25',
            capabilities: { logging: {} },
            serverInfo: { name: 'resetting', version: '1.0.0' },
          },
        });
      } else json(response, { jsonrpc: '2.0', id: message.id, result: {} });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const stream of streams) stream.end();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    gets: () => gets,
  };
}

describe('the legacy GET stream', () => {
  it('is opened again after a reset, and what the server sends on it arrives', async () => {
    const server = await serverResettingFirstGet();
    const client = new MCPClient(
      testOptions({
        name: 'resetting',
        serverUrl: server.url,
        protocol: 'legacy',
        sseFallback: false,
      }),
    );
    cleanups.push(() => client.close());
    const arrived = new Promise<McpNotification>((resolve) =>
      client.onNotification('notifications/message', resolve),
    );

    await client.connect();

    expect((await arrived).params).toEqual({ level: 'info', data: 'over the GET stream' });
    expect(server.gets()).toBe(2);
  }, 15_000);
});
