// Size and depth limits for JSON Schemas from servers we do not control: a hostile schema
// must be refused with a clear error before anything recursive (a validator compiler, an
// LLM API) touches it.
import { McpSecurityError } from '@tframex/mcp-api';

export interface SchemaLimits {
  /** Deepest nesting of objects and arrays (default 64). */
  maxDepth?: number;
  /** Most values in the schema, counting every object, array and primitive (default 20 000). */
  maxNodes?: number;
}

export const DEFAULT_MAX_SCHEMA_DEPTH = 64;
export const DEFAULT_MAX_SCHEMA_NODES = 20_000;

/**
 * Throws McpSecurityError (rule `schema-depth`) when `schema` nests deeper than `maxDepth`
 * or holds more than `maxNodes` values. Iterative, so it cannot overflow the stack itself;
 * a cyclic object runs into `maxNodes`.
 */
export function assertSchemaWithinLimits(
  schema: unknown,
  limits: SchemaLimits = {},
  context: { tool?: string; server?: string } = {},
): void {
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_SCHEMA_DEPTH;
  const maxNodes = limits.maxNodes ?? DEFAULT_MAX_SCHEMA_NODES;
  const what = context.tool ? `The schema of tool "${context.tool}"` : 'The schema';
  const stack: Array<[unknown, number]> = [[schema, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    nodes += 1;
    if (nodes > maxNodes) {
      throw new McpSecurityError(`${what} has more than ${maxNodes} nodes (maxSchemaNodes)`, {
        rule: 'schema-depth',
        server: context.server,
      });
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      throw new McpSecurityError(`${what} nests deeper than ${maxDepth} levels (maxSchemaDepth)`, {
        rule: 'schema-depth',
        server: context.server,
      });
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push([child, depth + 1]);
  }
}
