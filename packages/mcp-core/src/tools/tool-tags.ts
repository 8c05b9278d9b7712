// Tags and categories servers attach to tools in `_meta`, read across the conventions in use:
// a plain `_meta.tags`, FastMCP's `_meta.fastmcp.tags` (and `_meta._fastmcp.tags` from
// FastMCP 2), and namespaced keys such as `_meta["com.example/tags"]`.

/** The part of a tool this module reads. */
export interface ToolMetaSource {
  _meta?: Record<string, unknown> | undefined;
}

const NAMESPACES = ['fastmcp', '_fastmcp'];
const TAG_KEYS = ['tags'];
const CATEGORY_KEYS = ['category', 'categories', 'capability', 'capabilities'];
const MAX_VALUES = 256;
const MAX_VALUE_LENGTH = 256;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function collect(into: string[], value: unknown): void {
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  for (const item of values.slice(0, MAX_VALUES)) {
    if (typeof item !== 'string') continue;
    const text = item.trim();
    if (text.length > 0 && text.length <= MAX_VALUE_LENGTH && !into.includes(text)) into.push(text);
    if (into.length >= MAX_VALUES) return;
  }
}

function read(tool: ToolMetaSource, keys: readonly string[]): string[] {
  const meta = tool._meta;
  if (!isRecord(meta)) return [];
  const found: string[] = [];
  const scopes = [meta, ...NAMESPACES.map((name) => meta[name]).filter(isRecord)];
  for (const scope of scopes) for (const key of keys) collect(found, scope[key]);
  for (const [key, value] of Object.entries(meta)) {
    const slash = key.lastIndexOf('/');
    if (slash > 0 && keys.includes(key.slice(slash + 1))) collect(found, value);
  }
  return found;
}

/** The tool's tags, deduplicated, in the order found; `[]` when it has none. */
export function readToolTags(tool: ToolMetaSource): string[] {
  return read(tool, TAG_KEYS);
}

/**
 * The tool's categories/capabilities (`category`, `categories`, `capability`, `capabilities`,
 * in the same places as tags), deduplicated; `[]` when it has none.
 */
export function readToolCategories(tool: ToolMetaSource): string[] {
  return read(tool, CATEGORY_KEYS);
}

/**
 * The tool's own version (`version` in the same places as tags: `_meta.version`,
 * `_meta.fastmcp.version`, `_meta["com.example/version"]`), or undefined.
 */
export function readToolVersion(tool: ToolMetaSource): string | undefined {
  return read(tool, ['version'])[0];
}
