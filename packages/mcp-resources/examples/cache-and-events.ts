// TFrameX's key-value and message-queue resources on Redis, through the mcp-redis MCP server:
// an object set comes back as the same object; an event lands on a Redis stream.
import { MCPTestClient } from '@tframex/mcp-testing';
import { startRedis } from '../../../tools/test-services/index.mjs';
import { MCPResource, type PublishReceipt } from '../src/index.js';
import { npmServer } from '../src/test-support/servers.js';

export async function main(): Promise<{ user: unknown; receipt: PublishReceipt }> {
  const redis = await startRedis();
  const mcpClient = new MCPTestClient(
    npmServer('mcp-redis/build/index.js', [], { REDIS_URL: redis.url }),
    {
      name: 'cache',
    },
  );
  try {
    const kv = new MCPResource({ client: mcpClient, uri: 'mcp://cache/redis', type: 'keyvalue' });
    await kv.set('user:123', { name: 'Alice', role: 'admin' });
    const user = await kv.get('user:123'); // the same object back
    if (JSON.stringify(user) !== JSON.stringify({ name: 'Alice', role: 'admin' })) {
      throw new Error(`expected Alice back, got ${JSON.stringify(user)}`);
    }

    const mq = new MCPResource({
      client: mcpClient,
      uri: 'mcp://queue/events',
      type: 'messagequeue',
    });
    const receipt = await mq.publish('user.created', { id: 123, email: 'alice@example.com' });
    const stream = (await mcpClient.executeTool('redis_command', {
      command: 'XRANGE',
      args: ['user.created', '-', '+'],
    })) as Array<[string, string[]]>;
    if (stream[0]?.[0] !== receipt.id) throw new Error('the event is not on the stream');
    return { user, receipt };
  } finally {
    await mcpClient.close();
    await redis.stop();
  }
}
