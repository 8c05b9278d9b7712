// TFrameX's five meta-tools, which let a model reach MCP resources and prompts through tool
// calls: list_mcp_servers, list_mcp_resources, read_mcp_resource, list_mcp_prompts,
// use_mcp_prompt. They work on any McpToolSource's sessions.
import {
  defineMcpTool,
  McpConfigError,
  type CallToolResult,
  type McpSession,
  type McpTool,
  type McpToolSource,
} from '@tframex/mcp-api';

const serverArg = {
  server_alias: { type: 'string', description: 'Alias of the MCP server (see list_mcp_servers)' },
};

function sessionOf(source: McpToolSource, alias: unknown): McpSession {
  const session = typeof alias === 'string' ? source.getSession(alias) : undefined;
  if (!session) {
    throw new McpConfigError(
      `No MCP server "${String(alias)}"; known servers: ${source.serverNames.join(', ') || 'none'}`,
      { field: 'server_alias', expected: source.serverNames.join(', '), received: alias },
    );
  }
  return session;
}

/** The servers to look at: the one named, or all. */
function sessionsOf(source: McpToolSource, alias: unknown): McpSession[] {
  if (typeof alias === 'string' && alias !== '') return [sessionOf(source, alias)];
  return source.serverNames
    .map((name) => source.getSession(name))
    .filter((session): session is McpSession => session !== undefined);
}

async function perServer<T>(
  sessions: McpSession[],
  list: (session: McpSession) => Promise<T[]>,
): Promise<Record<string, T[] | { error: string }>> {
  const out: Record<string, T[] | { error: string }> = {};
  await Promise.all(
    sessions.map(async (session) => {
      try {
        out[session.name] = await list(session);
      } catch (error) {
        out[session.name] = { error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return out;
}

export function mcpMetaTools(source: McpToolSource): McpTool[] {
  return [
    defineMcpTool({
      name: 'list_mcp_servers',
      description: 'Lists the connected MCP servers with their names and capabilities.',
      run: (_args, context) =>
        Promise.all(
          source.serverNames.map(async (alias) => {
            const session = source.getSession(alias);
            let error: string | undefined;
            // A lazily connecting session knows its server only once it has talked to it.
            if (session && session.serverInfo === undefined) {
              await session.ping(context).catch((cause: unknown) => {
                error = cause instanceof Error ? cause.message : String(cause);
              });
            }
            return {
              alias,
              server: session?.serverInfo?.name,
              version: session?.serverInfo?.version,
              capabilities: Object.keys(session?.capabilities ?? {}),
              instructions: session?.instructions,
              ...(error !== undefined ? { error } : {}),
            };
          }),
        ),
    }),
    defineMcpTool({
      name: 'list_mcp_resources',
      description: 'Lists the resources of one MCP server, or of all of them.',
      inputSchema: { type: 'object', properties: serverArg },
      run: async (args, context) =>
        perServer(sessionsOf(source, args['server_alias']), async (session) =>
          (await session.listResources(context)).map((resource) => ({
            uri: resource.uri,
            name: resource.name,
            description: resource.description,
            mimeType: resource.mimeType,
          })),
        ),
    }),
    defineMcpTool({
      name: 'read_mcp_resource',
      description: 'Reads one resource of an MCP server by its URI.',
      inputSchema: {
        type: 'object',
        properties: { ...serverArg, resource_uri: { type: 'string' } },
        required: ['server_alias', 'resource_uri'],
      },
      run: async (args, context): Promise<CallToolResult> => {
        const result = await sessionOf(source, args['server_alias']).readResource(
          String(args['resource_uri']),
          context,
        );
        return {
          content: result.contents.map((contents) =>
            'text' in contents
              ? { type: 'text' as const, text: contents.text }
              : { type: 'resource' as const, resource: contents },
          ),
        };
      },
    }),
    defineMcpTool({
      name: 'list_mcp_prompts',
      description: 'Lists the prompts of one MCP server, or of all of them.',
      inputSchema: { type: 'object', properties: serverArg },
      run: async (args, context) =>
        perServer(sessionsOf(source, args['server_alias']), async (session) =>
          (await session.listPrompts(context)).map((prompt) => ({
            name: prompt.name,
            description: prompt.description,
            arguments: prompt.arguments,
          })),
        ),
    }),
    defineMcpTool({
      name: 'use_mcp_prompt',
      description: 'Gets a prompt of an MCP server, filled with arguments, as messages.',
      inputSchema: {
        type: 'object',
        properties: {
          ...serverArg,
          prompt_name: { type: 'string' },
          arguments: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['server_alias', 'prompt_name'],
      },
      run: async (args, context) => {
        const raw = args['arguments'];
        const promptArgs: Record<string, string> = {};
        if (typeof raw === 'object' && raw !== null) {
          for (const [key, value] of Object.entries(raw)) promptArgs[key] = String(value);
        }
        const result = await sessionOf(source, args['server_alias']).getPrompt(
          String(args['prompt_name']),
          promptArgs,
          context,
        );
        return result.messages.map((message) => ({
          role: message.role,
          content: message.content.type === 'text' ? message.content.text : message.content,
        }));
      },
    }),
  ];
}
