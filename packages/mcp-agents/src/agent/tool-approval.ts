// Approval before a tool runs: tools whose annotations say `destructiveHint`, and any the user
// lists, go through a hook first. Without a hook such calls are denied, never run silently.
import type { McpTool } from '@tframex/mcp-api';

export interface ToolApprovalRequest {
  readonly agent: string;
  /** The name the model called. */
  readonly name: string;
  readonly tool: McpTool;
  readonly uri?: string;
  readonly arguments: Record<string, unknown>;
  /** Why approval is asked: the tool's destructive hint, or the user's list. */
  readonly reason: 'destructive' | 'listed';
}

/** Returns true to run the call; false (or a throw) denies it and tells the model so. */
export type ToolApprovalHook = (request: ToolApprovalRequest) => boolean | Promise<boolean>;

/**
 * Whether `tool` needs approval: listed by URI (`mcp://db/drop`), server wildcard
 * (`mcp://db/*`), model-facing name or own name; or marked destructive by its server.
 */
export function approvalReason(
  tool: McpTool,
  name: string,
  listed: readonly string[],
): ToolApprovalRequest['reason'] | undefined {
  for (const entry of listed) {
    if (entry === name || entry === tool.name || (tool.uri !== undefined && entry === tool.uri)) {
      return 'listed';
    }
    if (tool.server !== undefined && entry === `mcp://${tool.server}/*`) return 'listed';
  }
  return tool.annotations?.destructiveHint === true ? 'destructive' : undefined;
}
