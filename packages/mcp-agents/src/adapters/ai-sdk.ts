// Tools from any McpToolSource as Vercel AI SDK tools (`ai` 6 or 7): each call goes through the
// source's session, with its retries, limits and telemetry. Tools whose server marks them
// destructive ask for the AI SDK's tool approval (`needsApproval`).
import type { McpTool, McpToolSource } from '@tframex/mcp-api';
import { dynamicTool, jsonSchema, type JSONSchema7, type Tool } from 'ai';
import { adapterOutput, adapterTools, type McpAdapterOptions } from './adapter-tools.js';

export interface AiSdkToolsOptions extends McpAdapterOptions {
  /** Ask for approval before tools marked `destructiveHint` run (default true). */
  approveDestructive?: boolean;
}

/** `{ [name]: Tool }` for `generateText({ tools })` / `streamText({ tools })`. */
export async function createAiSdkTools(
  from: McpToolSource | readonly McpTool[],
  options: AiSdkToolsOptions = {},
): Promise<Record<string, Tool>> {
  const tools = await adapterTools(from, options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const out: Record<string, Tool> = {};
  for (const [name, tool] of tools) {
    out[name] = dynamicTool({
      description: tool.description,
      inputSchema: jsonSchema(tool.inputSchema as JSONSchema7),
      ...(options.approveDestructive !== false && tool.annotations?.destructiveHint === true
        ? { needsApproval: true }
        : {}),
      execute: async (input, { abortSignal }) =>
        adapterOutput(
          tool,
          await tool.invoke((input ?? {}) as Record<string, unknown>, {
            timeoutMs,
            ...(abortSignal ? { signal: abortSignal } : {}),
          }),
        ),
    });
  }
  return out;
}
