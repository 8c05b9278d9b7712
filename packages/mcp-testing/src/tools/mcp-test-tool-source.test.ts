// MCPTestToolSource against MockMCPServers through MCPTestClient (both eras, HTTP and memory)
// and against a plain-object session: names, lookups, changes, schemas, per-call context.
import {
  FLAT_TOOL_NAME_PATTERN,
  findTool,
  McpConfigError,
  McpConnectionError,
  type McpSession,
  type McpToolsChangedEvent,
  type Tool,
} from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { MCPTestClient, MCPTestToolSource, MockMCPServer } from '../index.js';
import { eventually } from '../test-support/eventually.js';

const LONG = 'a_tool_name_that_goes_on_and_on_well_past_what_llm_apis_accept_in_a_name';

function buildDb(): MockMCPServer {
  const server = new MockMCPServer({ name: 'db' });
  server.addTool('query', ({ sql }) => [{ sql }], {
    description: 'Runs SQL',
    inputSchema: {
      type: 'object',
      properties: { sql: { $ref: '#/$defs/Sql' } },
      required: ['sql'],
      $defs: { Sql: { type: 'string', description: 'one statement' } },
    },
    annotations: { readOnlyHint: true },
  });
  server.addTool('database/query', () => 'slashed');
  server.addTool(LONG, () => 'long');
  server.addTool('ask', async (_args, ctx) => {
    const answer = await ctx.ask('sampling/createMessage', {
      messages: [{ role: 'user', content: { type: 'text', text: 'summarise' } }],
      maxTokens: 8,
    });
    return (answer['content'] as { text: string }).text;
  });
  return server;
}

function buildApi(): MockMCPServer {
  const server = new MockMCPServer({ name: 'api' });
  server.addTool('query', ({ q }) => ({ hits: [String(q)] }));
  server.addTool('weather', ({ city }) => ({ city, temp: 22 }));
  return server;
}

const started: MockMCPServer[] = [];
const clients: MCPTestClient[] = [];
let source: MCPTestToolSource | undefined;

afterEach(async () => {
  await source?.close();
  source = undefined;
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

describe.each([
  { label: 'HTTP, legacy', http: true, era: 'legacy' as const },
  { label: 'HTTP, modern', http: true, era: 'modern' as const },
  { label: 'memory, legacy', http: false, era: 'legacy' as const },
  { label: 'memory, modern', http: false, era: 'modern' as const },
])('MCPTestToolSource over $label', ({ http, era }) => {
  async function open() {
    const db = buildDb();
    const api = buildApi();
    started.push(db, api);
    if (http) await Promise.all([db.start(), api.start()]);
    // Over HTTP by URL: a MockMCPServer target that is not running is reached in memory.
    const dbClient = new MCPTestClient(http ? db.url : db, { era, name: 'db' });
    const apiClient = new MCPTestClient(http ? api.url : api, { era, name: 'api' });
    clients.push(dbClient, apiClient);
    source = new MCPTestToolSource({ servers: { db: dbClient, api: apiClient } });
    return { db, api, dbClient, apiClient, source };
  }

  it('hands out tools with flattened, collision-free names and inlined schemas', async () => {
    const { source, dbClient } = await open();
    const tools = await source.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['db__query', 'api__query', 'api__weather']));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(FLAT_TOOL_NAME_PATTERN);
    const slashed = tools.find((tool) => tool.originalName === 'database/query')!;
    expect(slashed.name).not.toBe('db__database/query');
    expect(slashed).toMatchObject({ server: 'db', uri: 'mcp://db/database/query' });
    const query = tools.find((tool) => tool.name === 'db__query')!;
    expect(query).toMatchObject({
      description: 'Runs SQL',
      server: 'db',
      originalName: 'query',
      uri: 'mcp://db/query',
      annotations: { readOnlyHint: true },
    });
    expect(query.inputSchema).toEqual({
      type: 'object',
      properties: { sql: { type: 'string', description: 'one statement' } },
      required: ['sql'],
    });
    expect((await query.invoke({ sql: 'SELECT 1' })).structuredContent).toBeDefined();
    expect(source.getSession('db')).toBe(dbClient);
    expect(source.serverNames).toEqual(['db', 'api']);
    expect((await source.listTools({ servers: ['api'] })).map((tool) => tool.name)).toEqual([
      'api__query',
      'api__weather',
    ]);
  });

  it('resolves mcp:// addresses and flattened names', async () => {
    const { source } = await open();
    const weather = await source.resolveTool('mcp://api/weather');
    expect(weather.name).toBe('api__weather');
    const result = await weather.invoke({ city: 'London' });
    expect(result.structuredContent).toEqual({ city: 'London', temp: 22 });
    expect((await source.resolveTools('mcp://db/*')).map((tool) => tool.originalName)).toEqual([
      'query',
      'database/query',
      LONG,
      'ask',
    ]);
    // An LLM answers with the flattened name, before or after any listing.
    const fresh = new MCPTestToolSource({
      servers: { db: source.getSession('db')!, api: source.getSession('api')! },
    });
    try {
      expect((await fresh.findTool('api__query'))?.originalName).toBe('query');
      expect(await fresh.findTool('api__nothing')).toBeUndefined();
      const long = (await source.listTools()).find((tool) => tool.originalName === LONG)!;
      expect(long.name.length).toBeLessThanOrEqual(64);
      expect((await findTool(fresh, long.name))?.originalName).toBe(LONG);
    } finally {
      await fresh.close();
    }
    for (const uri of ['mcp://nowhere/x', 'mcp://db/nothing', 'mcp://db/*']) {
      const error = await source.resolveTool(uri).catch((caught: unknown) => caught);
      expect(McpConfigError.isInstance(error)).toBe(true);
    }
    const unknownServer = await source.resolveTools('mcp://nowhere/x').catch((e: unknown) => e);
    expect((unknownServer as Error).message).toContain('known servers: db, api');
    const unknownTool = await source.resolveTools('mcp://db/nothing').catch((e: unknown) => e);
    expect((unknownTool as Error).message).toContain('it has: query, database/query');
  });

  it('caches each list until the server says it changed, and tells listeners', async () => {
    const { source, api } = await open();
    const changes: McpToolsChangedEvent[] = [];
    source.onToolsChanged((event) => changes.push(event));
    source.onToolsChanged(() => {
      throw new Error('a broken listener');
    });
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    await source.listTools();
    await source.listTools();
    await source.findTool('api__weather');
    expect(api.requestsFor('tools/list')).toHaveLength(1);
    api.addTool('forecast', () => 'rain');
    await eventually(() => expect(changes).toContainEqual({ server: 'api' }));
    // The broken listener did not stop the other one, and its error is not lost.
    expect((await warned).message).toContain('a broken listener');
    expect((await source.findTool('api__forecast'))?.originalName).toBe('forecast');
    expect(api.requestsFor('tools/list')).toHaveLength(2);
  });

  it('passes the call context on: signal, progress and server-request handlers', async () => {
    const { source, dbClient } = await open();
    dbClient.setServerRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      model: 'session-model',
      content: { type: 'text', text: 'from the session' },
    }));
    const ask = await source.resolveTool('mcp://db/ask');
    const result = await ask.invoke(
      {},
      {
        serverRequestHandlers: {
          'sampling/createMessage': async () => ({
            role: 'assistant',
            model: 'agent-model',
            content: { type: 'text', text: 'from the agent' },
          }),
        },
      },
    );
    const answered = result.structuredContent ?? result.content;
    // Legacy in-memory sessions cannot tell which call a server request belongs to.
    const own = http || era === 'modern';
    expect(JSON.stringify(answered)).toContain(own ? 'from the agent' : 'from the session');
  });

  it('leaves out a server that fails and names it; rejects when all fail', async () => {
    const { source, api } = await open();
    await api.stop();
    if (!http) await source.getSession('api')!.close();
    const collected = await source.collectTools();
    expect(collected.tools.every((tool) => tool.server === 'db')).toBe(true);
    expect(collected.failures.map((failure) => failure.server)).toEqual(['api']);
    expect(McpConnectionError.isInstance(collected.failures[0]!.error)).toBe(true);
    const none = await source.listTools({ servers: ['api'] }).catch((e: unknown) => e);
    expect(McpConnectionError.isInstance(none)).toBe(true);
  });
});

describe('MCPTestToolSource with any McpSession', () => {
  /** A session written by hand: the seam, not MCPTestClient, is what the source needs. */
  function plainSession(name: string, tools: Tool[]): McpSession {
    return {
      name,
      serverInfo: { name, version: '1' },
      capabilities: { tools: {} },
      protocolVersion: '2025-11-25',
      protocolEra: 'legacy',
      instructions: undefined,
      listTools: async () => tools,
      callTool: async (tool, args) => ({
        content: [{ type: 'text', text: `${tool}:${JSON.stringify(args)}` }],
      }),
      listResources: async () => [],
      listResourceTemplates: async () => [],
      readResource: async () => ({ contents: [] }),
      listPrompts: async () => [],
      getPrompt: async () => ({ messages: [] }),
      complete: async () => ({ values: [] }),
      setLoggingLevel: async () => undefined,
      ping: async () => undefined,
      subscribe: async () => ({
        filter: {},
        close: async () => undefined,
        closed: new Promise(() => undefined),
      }),
      onNotification: () => () => undefined,
      close: async () => undefined,
    };
  }

  it('serves tools of a plain-object session, listing every time when it cannot watch', async () => {
    let listed = 0;
    const session = plainSession('local', [{ name: 'sum', inputSchema: { type: 'object' } }]);
    const counting: McpSession = {
      ...session,
      listTools: async (o) => (listed++, session.listTools(o)),
    };
    source = new MCPTestToolSource({ servers: { local: counting } });
    const sum = await source.resolveTool('mcp://local/sum');
    expect(sum.name).toBe('local__sum');
    expect((await sum.invoke({ a: 1 })).content).toEqual([{ type: 'text', text: 'sum:{"a":1}' }]);
    await source.listTools();
    expect(listed).toBe(2);
  });

  it('refuses bad configuration with McpConfigError naming the server', () => {
    const session = plainSession('x', []);
    expect(() => new MCPTestToolSource({ servers: { 'bad alias': session } })).toThrow(
      McpConfigError,
    );
    expect(() => new MCPTestToolSource({ servers: { ok: {} as McpSession } })).toThrow(
      /not an McpSession/,
    );
    expect(() => new MCPTestToolSource({ servers: { ok: session }, maxNameLength: 10 })).toThrow(
      McpConfigError,
    );
    const valid = new MCPTestToolSource({ servers: { ok: session } });
    expect(() => valid.add('ok', session)).toThrow(/already registered/);
    expect(() => new MCPTestToolSource(undefined as never)).toThrow(McpConfigError);
  });
});
