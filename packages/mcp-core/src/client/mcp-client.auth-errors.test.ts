// How MCPClient reports a server's authorization refusals, against a node:http server on
// 127.0.0.1 that refuses every request: as McpAuthError with the reason recovery needs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { McpAuthError } from '@tframex/mcp-api';
import { MCPClient } from './mcp-client.js';
import { testOptions } from '../test-support/test-options.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Answers every request 403 with a Bearer insufficient_scope challenge. */
async function refusingServer(): Promise<string> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(403, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer error="insufficient_scope", scope="mcp:admin"',
      });
      response.end(JSON.stringify({ error: 'insufficient_scope' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe('403 insufficient_scope', () => {
  it.each(['legacy', 'modern'] as const)(
    'is an McpAuthError with reason insufficient_scope (%s era)',
    async (protocol) => {
      const client = new MCPClient(
        testOptions({
          name: 'scoped',
          serverUrl: await refusingServer(),
          protocol,
          sseFallback: false,
          retryAttempts: 0,
        }),
      );
      cleanups.push(() => client.close());

      const error = await client.connect().then(
        () => undefined,
        (reason: unknown) => reason,
      );

      expect(McpAuthError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'insufficient_scope', status: 403 });
    },
  );
});
