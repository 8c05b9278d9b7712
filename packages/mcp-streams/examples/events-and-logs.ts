// The TFrameX stream examples: events as an async iterable, publish, and a filtered log stream,
// against a real MCP server (MockMCPServer in memory) that pushes notifications.
/* eslint-disable @nx/enforce-module-boundaries -- an example imports the package by its
   name, as users do, and runs against the testing kit's real MCP server */
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { MCPStream, type McpStreamEvent } from '@tframex/mcp-streams';

function streamServer(): MockMCPServer {
  const server = new MockMCPServer({ name: 'stream' });
  server.addTool('publish', async ({ event }, context) => {
    // The server announces what was published to everyone listening.
    await context.sdk.mcpReq.notify({
      method: 'notifications/events',
      params: { type: 'data_update', data: event as Record<string, unknown> },
    });
    return { accepted: true };
  });
  server.addTool('work', async (_args, context) => {
    await context.log('info', { service: 'api', message: 'request served' });
    await context.log('error', { service: 'db', message: 'slow query' });
    await context.log('critical', { service: 'api', message: 'out of memory' });
    return 'done';
  });
  return server;
}

export async function main(): Promise<{ updates: unknown[]; errors: McpStreamEvent[] }> {
  const server = streamServer();
  const mcpClient = new MCPTestClient(server, { name: 'stream' });
  const updates: unknown[] = [];
  const processUpdate = async (data: unknown) => {
    updates.push(data);
  };
  try {
    const stream = new MCPStream({
      client: mcpClient,
      uri: 'mcp://stream/notifications/events',
      bufferSize: 1000,
    });
    {
      await using subscription = await stream.subscribe();
      await stream.publish({ type: 'user_action', user_id: 123, action: 'login' });
      for await (const event of subscription) {
        console.log(`Event: ${event.type} - ${JSON.stringify(event.data)}`);
        if (event.type === 'data_update') await processUpdate(event.data);
        break; // one event is enough for the example
      }
    }

    const logs = new MCPStream({ client: mcpClient, uri: 'mcp://stream/logs' });
    const errors: McpStreamEvent[] = [];
    {
      await using subscription = await logs.subscribe({
        filters: { level: ['error', 'critical'], service: 'api' },
      });
      await mcpClient.callTool('work');
      for await (const event of subscription) {
        errors.push(event);
        break;
      }
    }
    if (updates.length !== 1 || errors[0]?.level !== 'critical') {
      throw new Error(`unexpected outcome: ${JSON.stringify({ updates, errors })}`);
    }
    return { updates, errors };
  } finally {
    await mcpClient.close();
    await server.stop();
  }
}
