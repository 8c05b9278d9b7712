// TFrameX's generic secure resource: list, read, templates and watch over any MCP server, with
// plain transports refused and cached reads kept encrypted.
import { MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { MCPResource, type CacheEntry, type ResourceChange } from '../src/index.js';

export async function main(): Promise<{
  entries: string[];
  record: unknown;
  change: ResourceChange;
}> {
  let revision = 1;
  const server = new MockMCPServer({ name: 'secure' });
  server.addResource('sensitive-data/salaries.json', () => ({ revision, total: 1_000_000 }));
  server.addResourceTemplate('records://{id}', (_uri, { id }) => ({ id, classified: true }));
  await server.start();
  // A 2025-11-25 session: its results carry no cache hints, so the configured TTL applies.
  const mcpClient = new MCPTestClient(server, { name: 'secure', era: 'legacy' });
  try {
    const store = new Map<string, CacheEntry>();
    const secure = new MCPResource({
      client: mcpClient,
      uri: 'mcp://secure/sensitive-data',
      encryptTransport: true,
      encryptAtRest: true,
      cache: { ttlMs: 60_000, store },
    });
    const entries = (await secure.list()).map((entry) => entry.path);
    await secure.read('salaries.json');
    if (
      store.size !== 1 ||
      [...store.values()].some(
        (entry) => entry.content !== undefined || /total/.test(entry.encrypted ?? ''),
      )
    ) {
      throw new Error('the cache holds plain text');
    }
    const [template] = await secure.templates();
    const record = await secure.readTemplate(template!, { id: '7' });

    let changed!: (change: ResourceChange) => void;
    const next = new Promise<ResourceChange>((resolve) => (changed = resolve));
    const watch = await secure.watch('salaries.json', (change) => changed(change));
    revision = 2;
    server.notifyResourceUpdated('mock:///sensitive-data/salaries.json');
    const change = await next;
    await watch.close();
    if ((change.value as { revision: number }).revision !== 2)
      throw new Error('watch missed the update');
    return { entries, record, change };
  } finally {
    await mcpClient.close();
    await server.stop();
  }
}
