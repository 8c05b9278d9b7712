// A MockMCPServer that streams: custom notifications, log messages, a snapshot resource and
// an append-only resource (JSON lines) that tools change, and a publish tool. The default
// export serves it over stdio (tframex-mock-mcp).
import { MockMCPServer } from '@tframex/mcp-testing';
import type { LoggingLevel } from '@tframex/mcp-api';

export const SNAPSHOT_URI = 'mock:///status';
export const FEED_URI = 'mock:///feed';

export function createStreamServer(name = 'stream'): MockMCPServer {
  const server = new MockMCPServer({ name });
  let status: Record<string, unknown> = { state: 'idle' };
  const feed: string[] = [];
  const published: unknown[] = [];

  server.addResource(SNAPSHOT_URI, () => status, { name: 'status', mimeType: 'application/json' });
  server.addResource(FEED_URI, () => feed.join('\n'), { name: 'feed', mimeType: 'text/plain' });

  server.addTool('emit', async (args, context) => {
    const { events, method } = args as { events: unknown[]; method?: string };
    for (const event of events) {
      await context.sdk.mcpReq.notify({
        method: method ?? 'notifications/events',
        params: event as Record<string, unknown>,
      });
    }
    return { sent: events.length };
  });
  server.addTool('log', async (args, context) => {
    const { entries } = args as { entries: { level: LoggingLevel; data: unknown }[] };
    for (const { level, data } of entries) await context.log(level, data);
    return { logged: entries.length };
  });
  server.addTool('set-status', (args) => {
    status = args as Record<string, unknown>;
    server.notifyResourceUpdated(SNAPSHOT_URI);
    return 'ok';
  });
  server.addTool('append', (args) => {
    const { entries, raw } = args as { entries?: unknown[]; raw?: string[] };
    for (const entry of entries ?? []) feed.push(JSON.stringify(entry));
    for (const line of raw ?? []) feed.push(line);
    server.notifyResourceUpdated(FEED_URI);
    return { length: feed.length };
  });
  server.addTool('truncate-feed', () => {
    feed.length = 0;
    server.notifyResourceUpdated(FEED_URI);
    return 'ok';
  });
  server.addTool('publish', (args) => {
    const { event } = args as { stream: string; event: { type?: string } };
    if (event.type === 'forbidden') throw new Error('events of type forbidden are refused');
    published.push(args);
    return { accepted: published.length };
  });
  server.addTool('published', () => published);
  return server;
}

export default () => createStreamServer();
