// The names the model sees: every tool gets one matching `^[a-zA-Z0-9_-]{1,64}$`, unique in
// the request. A tool keeps its own name where it can; a clash or an unfit name gets a
// sanitised, numbered one.
import { FLAT_TOOL_NAME_PATTERN, type McpTool } from '@tframex/mcp-api';

const MAX = 64;

function sanitize(name: string): string {
  const safe = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  return (safe === '' ? 'tool' : safe).slice(0, MAX);
}

/** Model-facing name → tool, in the order given; a tool listed twice is named once. */
export function assignLlmNames(tools: readonly McpTool[]): Map<string, McpTool> {
  const byName = new Map<string, McpTool>();
  const seen = new Set<McpTool | string>();
  for (const tool of tools) {
    // The same tool twice (the same object, or the same mcp:// URI): the first one stands.
    if (seen.has(tool) || (tool.uri !== undefined && seen.has(tool.uri))) continue;
    seen.add(tool);
    if (tool.uri !== undefined) seen.add(tool.uri);
    let name = FLAT_TOOL_NAME_PATTERN.test(tool.name) ? tool.name : sanitize(tool.name);
    for (let n = 2; byName.has(name); n++) {
      const suffix = `_${n}`;
      name = `${sanitize(tool.name).slice(0, MAX - suffix.length)}${suffix}`;
    }
    byName.set(name, tool);
  }
  return byName;
}
