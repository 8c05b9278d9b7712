// McpTool: what an agent can call. Made from a server's tool by MCPToolAdapter (mcp-core),
// or from a plain function with defineMcpTool.
import type { McpRequestOptions } from './request-options.js';
import type { JsonSchema } from './protocol/json.js';
import type { CallToolResult, ToolAnnotations } from './protocol/tool.js';

/** Per-invocation context: cancellation, time budget, progress. */
export type McpToolContext = McpRequestOptions;

export interface McpTool {
  /** The name an LLM sees: `server__tool` for MCP tools, within 64 characters. */
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /** JSON Schema for the arguments, with `$ref`s resolved where the producer could. */
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly annotations?: ToolAnnotations;
  /** `mcp://server/tool` for tools that live on an MCP server. */
  readonly uri?: string;
  /** Alias of the server, for tools that live on an MCP server. */
  readonly server?: string;
  /** The tool's own name on its server, before flattening. */
  readonly originalName?: string;
  /** Runs the tool. A failing tool resolves with `isError: true`. */
  invoke(args: Record<string, unknown>, context?: McpToolContext): Promise<CallToolResult>;
}

export interface DefineMcpToolOptions {
  name: string;
  description: string;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  title?: string;
  /**
   * The function. Its return value is wrapped by `toCallToolResult`; a throw becomes a
   * result with `isError: true`.
   */
  run: (args: Record<string, unknown>, context: McpToolContext) => unknown;
}

function isCallToolResult(value: unknown): value is CallToolResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { content?: unknown }).content)
  );
}

/**
 * Wraps a plain return value into a CallToolResult: a CallToolResult passes through, a string
 * becomes text content, `undefined` becomes empty content, and any other value becomes JSON
 * text plus `structuredContent`.
 */
export function toCallToolResult(value: unknown): CallToolResult {
  if (isCallToolResult(value)) return value;
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (value === undefined) return { content: [] };
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** Makes an McpTool from a plain function: the minimal default producer of the interface. */
export function defineMcpTool(options: DefineMcpToolOptions): McpTool {
  const { run, ...description } = options;
  return {
    ...description,
    inputSchema: options.inputSchema ?? { type: 'object', properties: {} },
    async invoke(args, context = {}) {
      try {
        return toCallToolResult(await run(args, context));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { content: [{ type: 'text', text: message }], isError: true };
      }
    },
  };
}
