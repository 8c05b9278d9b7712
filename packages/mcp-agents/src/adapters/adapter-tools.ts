// What the framework adapters share: which tools to adapt, and how a tool result becomes the
// value a framework hands its model (text, or structured content; a tool error throws).
import {
  McpToolError,
  type CallToolResult,
  type McpTool,
  type McpToolSource,
} from '@tframex/mcp-api';
import { assignLlmNames } from '../tools/llm-tool-names.js';
import { toModelToolResult } from '../tools/tool-result-content.js';

export interface McpAdapterOptions {
  /** Only these tools (`mcp://server/tool` or `mcp://server/*`); default every tool of the source. */
  uris?: string[];
  /** Only tools of these servers (when `uris` is not given). */
  servers?: string[];
  /** Time budget of each call, in ms (default 60 000). */
  timeoutMs?: number;
  /** Cancels listing the tools. */
  signal?: AbortSignal;
}

/** The tools to adapt, by the name the model will see (`^[a-zA-Z0-9_-]{1,64}$`, unique). */
export async function adapterTools(
  from: McpToolSource | readonly McpTool[],
  options: McpAdapterOptions,
): Promise<Map<string, McpTool>> {
  const request = options.signal ? { signal: options.signal } : {};
  let tools: McpTool[];
  if (Array.isArray(from)) tools = [...(from as readonly McpTool[])];
  else {
    const source = from as McpToolSource;
    tools = options.uris
      ? (await Promise.all(options.uris.map((uri) => source.resolveTools(uri, request)))).flat()
      : await source.listTools({
          ...request,
          ...(options.servers ? { servers: options.servers } : {}),
        });
  }
  return assignLlmNames(tools);
}

/** Structured content where the tool gave some, else all of its content as text. */
export function adapterOutput(tool: McpTool, result: CallToolResult): unknown {
  const text = toModelToolResult(result, false).text;
  if (result.isError) {
    throw new McpToolError(text, {
      ...(tool.server !== undefined ? { server: tool.server } : {}),
      toolName: tool.originalName ?? tool.name,
      result,
    });
  }
  return result.structuredContent ?? text;
}
