// The kinds of typed resource MCPResource knows, and what the rest of an mcp:// URI means for each.

/** Typed resources; a resource without a type is generic (list, read, templates, watch). */
export const RESOURCE_TYPES = [
  'postgresql',
  'filesystem',
  's3',
  'rest',
  'keyvalue',
  'messagequeue',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Whether `value` names a typed resource. */
export function isResourceType(value: unknown): value is ResourceType {
  return typeof value === 'string' && (RESOURCE_TYPES as readonly string[]).includes(value);
}
