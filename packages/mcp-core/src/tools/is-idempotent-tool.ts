// Whether calling a tool twice is harmless, from its annotations: what decides if a failed
// tools/call may be retried.
import type { ToolAnnotations } from '@tframex/mcp-api';

/**
 * True when the tool is annotated `readOnlyHint: true` or `idempotentHint: true`. These are
 * the server's hints: trust them only as far as you trust the server.
 */
export function isIdempotentTool(tool: { annotations?: ToolAnnotations | undefined }): boolean {
  return tool.annotations?.readOnlyHint === true || tool.annotations?.idempotentHint === true;
}
