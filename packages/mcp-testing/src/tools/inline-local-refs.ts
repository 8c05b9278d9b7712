// Inlines the local `$ref`s of a tool's JSON Schema (`#/$defs/...`, `#/definitions/...`, any
// `#/...` pointer), because many LLM APIs refuse schemas with references. Deliberately small:
// a recursive reference stays a `$ref` (with the definitions it needs kept), remote
// references stay as they are, and a schema that would grow past `maxNodes` is left whole.
import type { JsonSchema } from '@tframex/mcp-api';

export interface InlineLocalRefsOptions {
  /** Most schema nodes the result may have (default 10 000); beyond it the schema is kept as is. */
  maxNodes?: number;
}

type Json = unknown;

const DEFAULT_MAX_NODES = 10_000;

class TooLarge extends Error {}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node a local JSON pointer (`#/a/b~1c`) names, or undefined. */
function resolvePointer(root: Json, ref: string): Json {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: Json = root;
  for (const raw of ref.slice(2).split('/')) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** A copy of `schema` with its local, non-recursive `$ref`s replaced by what they point to. */
export function inlineLocalRefs(
  schema: JsonSchema,
  options: InlineLocalRefsOptions = {},
): JsonSchema {
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  let nodes = 0;
  let keptRef = false;

  const walk = (node: Json, expanding: readonly string[]): Json => {
    if (++nodes > maxNodes) throw new TooLarge();
    if (Array.isArray(node)) return node.map((item) => walk(item, expanding));
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#')) {
      const target = resolvePointer(schema, ref);
      if (target === undefined || expanding.includes(ref)) {
        keptRef = true;
        return node;
      }
      const { $ref: _ref, ...siblings } = node;
      const inlined = walk(target, [...expanding, ref]);
      if (Object.keys(siblings).length === 0) return inlined;
      // Keywords beside the reference (a description, say) apply too; they win on conflict.
      const rest = walk(siblings, expanding) as Record<string, Json>;
      return isObject(inlined) ? { ...inlined, ...rest } : { allOf: [inlined], ...rest };
    }
    const copy: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = walk(value, expanding);
    return copy;
  };

  let result: Record<string, Json> = {};
  try {
    // The root's definitions are dropped or kept whole below: no need to walk them.
    for (const [key, value] of Object.entries(schema as Record<string, Json>)) {
      if (key !== '$defs' && key !== 'definitions') result[key] = walk(value, []);
    }
    if (typeof result['$ref'] === 'string') result = walk(result, []) as Record<string, Json>;
  } catch (error) {
    if (error instanceof TooLarge) return schema;
    throw error;
  }
  if (keptRef) {
    // A kept `$ref` points into the original definitions: keep those as they were.
    if (schema.$defs !== undefined) result['$defs'] = schema.$defs;
    if (schema.definitions !== undefined) result['definitions'] = schema.definitions;
  }
  return result as JsonSchema;
}
