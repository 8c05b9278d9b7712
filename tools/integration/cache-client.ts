// A client process for the shared-cache test: an MCPClient with cachingMiddleware on a
// RedisCacheStore (values encrypted by an MCPSecurity when a key is given). Reads one JSON
// command a line on stdin ({ id, op: 'list-tools' | 'read-resource', uri? }) and answers one
// JSON line each ({ id, cached, result }); prints { invalidated: method } once a list_changed
// has been dropped from the store. Prints "ready" once connected.
//   node --import tsx cache-client.ts <server url> <redis url> <encryption key> <groupDropGuardMs>
import { createInterface } from 'node:readline';
import type { McpRequestEndEvent } from '@tframex/mcp-telemetry-api';
import { cachingMiddleware, MCPClient, MCPSecurity } from '@tframex/mcp-core';
import { RedisCacheStore } from '@tframex/mcp-redis';

const [serverUrl, redisUrl, encryptionKey, groupDropGuardMs = '2000'] = process.argv.slice(2);
const store = new RedisCacheStore({
  url: redisUrl!,
  groupDropGuardMs: Number(groupDropGuardMs),
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
const cache = cachingMiddleware({
  store,
  ttlMs: 60_000,
  // MockMCPServer hints `cacheScope: private`, which keeps answers out of a shared store
  honourServerHints: false,
  ...(encryptionKey ? { cipher: new MCPSecurity({ encryptionKey }) } : {}),
});
const client = new MCPClient({
  name: 'shop',
  serverUrl: serverUrl!,
  protocol: 'legacy',
  retryAttempts: 0,
  // the tool list is refreshed by the test's commands, not on a timer
  toolsChangedDebounceMs: 600_000,
});
client.use(cache);
client.onNotification('*', (notification) => {
  void cache.onNotification(notification, client.name).then(() => {
    if (notification.method.endsWith('/list_changed'))
      process.stdout.write(`${JSON.stringify({ invalidated: notification.method })}\n`);
  });
});
const ends: McpRequestEndEvent[] = [];
client.on('request:end', (event) => ends.push(event));
await client.connect();
process.stdout.write('ready\n');

interface Command {
  id: number;
  op: 'list-tools' | 'read-resource';
  uri?: string;
}

async function run(command: Command): Promise<unknown> {
  if (command.op === 'list-tools')
    return (await client.listTools({ refresh: true })).map((tool) => tool.name);
  const result = await client.readResource(command.uri!);
  return result.contents.map((content) => ('text' in content ? content.text : ''));
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line) as Command;
  ends.length = 0;
  try {
    const result = await run(command);
    const cached = ends.some((end) => end.cached === true);
    process.stdout.write(`${JSON.stringify({ id: command.id, cached, result })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id: command.id, error: String(error) })}\n`);
  }
}
await client.close();
await store.close();
