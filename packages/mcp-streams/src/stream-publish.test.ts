import { McpConfigError, McpToolError } from '@tframex/mcp-api';
import { MCPTestClient } from '@tframex/mcp-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPStream } from './mcp-stream.js';
import { createStreamServer } from './test-support/stream-server.js';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setup(era: 'legacy' | 'modern') {
  const server = createStreamServer();
  await server.start({ transport: 'http' });
  const client = new MCPTestClient(server, { name: 'stream', era });
  stops.push(
    () => server.stop(),
    () => client.close(),
  );
  return { server, client };
}

describe.each(['legacy', 'modern'] as const)('publish over HTTP (%s)', (era) => {
  it("calls the server's publish tool with the stream and the event", async () => {
    const { client, server } = await setup(era);
    const stream = new MCPStream({ client, uri: 'mcp://stream/events' });
    const result = await stream.publish({ type: 'user_action', user_id: 123, action: 'login' });
    expect(result.isError).toBeFalsy();
    expect(server.callsTo('publish').map((call) => call.arguments)).toEqual([
      { stream: 'events', event: { type: 'user_action', user_id: 123, action: 'login' } },
    ]);
  });

  it('says plainly when the server has no such tool, and when it refuses the event', async () => {
    const { client } = await setup(era);
    const named = new MCPStream({ client, uri: 'mcp://stream/events', publish: { tool: 'xadd' } });
    await expect(named.publish({ type: 'a' })).rejects.toSatisfy(
      (e) =>
        McpConfigError.isInstance(e) &&
        e.field === 'publish.tool' &&
        /no "xadd" tool/.test(e.message) &&
        /MCP has no client-to-server publish/.test(e.message),
    );
    const stream = new MCPStream({ client, uri: 'mcp://stream/events' });
    await expect(stream.publish({ type: 'forbidden' })).rejects.toSatisfy(
      (e) =>
        McpToolError.isInstance(e) &&
        e.toolName === 'publish' &&
        /refused.*events of type forbidden are refused/.test(e.message),
    );
    await expect(stream.publish('not an event' as never)).rejects.toSatisfy(
      (e) => McpConfigError.isInstance(e) && e.field === 'event',
    );
  });

  it('maps events onto any tool with publish.arguments', async () => {
    const { client, server } = await setup(era);
    const stream = new MCPStream({
      client,
      uri: 'mcp://stream/events',
      publish: {
        tool: 'append',
        arguments: (event, { stream: name }) => ({ entries: [{ ...event, stream: name }] }),
      },
    });
    await stream.publish({ type: 'data_update', data: { id: 1 } });
    expect(server.callsTo('append')[0]?.arguments).toEqual({
      entries: [{ type: 'data_update', data: { id: 1 }, stream: 'events' }],
    });
  });
});
