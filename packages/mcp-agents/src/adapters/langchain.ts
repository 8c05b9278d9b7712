// Tools from any McpToolSource as LangChain structured tools (`@langchain/core` 1.x): the JSON
// Schema is the tool's own, each call goes through the source's session.
import type { McpTool, McpToolSource } from '@tframex/mcp-api';
import { DynamicStructuredTool } from '@langchain/core/tools';
import { adapterOutput, adapterTools, type McpAdapterOptions } from './adapter-tools.js';

/** LangChain tools for `model.bindTools(tools)` or an agent's `tools`. */
export async function createLangChainTools(
  from: McpToolSource | readonly McpTool[],
  options: McpAdapterOptions = {},
): Promise<DynamicStructuredTool[]> {
  const tools = await adapterTools(from, options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return [...tools].map(
    ([name, tool]) =>
      new DynamicStructuredTool({
        name,
        description: tool.description,
        schema: tool.inputSchema as Record<string, unknown>,
        func: async (input: unknown, _runManager, config) => {
          const output = adapterOutput(
            tool,
            await tool.invoke((input ?? {}) as Record<string, unknown>, {
              timeoutMs,
              ...(config?.signal ? { signal: config.signal } : {}),
            }),
          );
          return typeof output === 'string' ? output : JSON.stringify(output);
        },
      }),
  );
}
