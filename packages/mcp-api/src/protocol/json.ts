// JSON values and JSON Schema, as MCP carries them.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A JSON Schema object (draft 2020-12 by default in MCP). Kept open: servers send
 * whatever keywords they like, and tools must pass them through untouched.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  description?: string;
  enum?: unknown[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

/** The `_meta` member MCP allows on most objects. */
export type McpMeta = Record<string, unknown>;
