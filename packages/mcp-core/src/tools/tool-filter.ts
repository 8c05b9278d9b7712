// Discovery filters over tools: by capability, tags, annotations, name and server. What
// `client.discoverTools({ capability: 'database', tags: ['sql'] })` runs over each tool.
import { z } from 'zod';
import type { ToolAnnotations } from '@tframex/mcp-api';
import { parseOptions } from '../config/parse-options.js';
import {
  readToolCategories,
  readToolTags,
  readToolVersion,
  type ToolMetaSource,
} from './tool-tags.js';

/** A string (exact, or a glob with `*` and `?`) or a RegExp. */
export type NamePattern = string | RegExp;

export interface ToolFilter {
  /** The tool has one of these categories or tags (case-insensitive). */
  capability?: string | string[];
  /** The tool has every one of these tags (case-insensitive). */
  tags?: string[];
  /**
   * Annotation values the tool must have. A missing hint takes the spec's default
   * (readOnlyHint false, destructiveHint true, idempotentHint false, openWorldHint true).
   */
  annotations?: Partial<ToolAnnotations>;
  /** The tool's name (or its original name on the server) matches. */
  name?: NamePattern | NamePattern[];
  /** The tool's server alias matches. */
  server?: NamePattern | NamePattern[];
  /**
   * The protocol the tool is reached over: `'mcp'` (every MCP tool), an era (`'legacy'`,
   * `'modern'`) or a dated MCP version (`'2025-11-25'`) that the server negotiated.
   */
  protocol?: string;
  /**
   * The tool's own version, as declared in `_meta` (`version`, also FastMCP's and namespaced
   * keys): exact, a prefix at a dot (`'1'` and `'1.4'` match `'1.4.2'`) or a glob (`'2.*'`).
   * Tools that declare no version do not match.
   */
  version?: string;
}

/** The parts of a tool a filter looks at: MCP's `Tool`, or an McpTool with its server. */
export interface FilterableTool extends ToolMetaSource {
  name: string;
  annotations?: ToolAnnotations | undefined;
  /** Alias of the server, when the tool carries it (McpTool does). */
  server?: string | undefined;
  /** The tool's own name on its server, when `name` is a flattened one. */
  originalName?: string | undefined;
}

/** What a filter knows of where a tool comes from. */
export interface ToolFilterContext {
  server?: string;
  /** The MCP version the server negotiated (`'2025-11-25'`). */
  protocolVersion?: string;
  /** The era the server speaks. */
  protocolEra?: string;
}

export type ToolPredicate = (tool: FilterableTool, context?: ToolFilterContext) => boolean;

const HINT_DEFAULTS: Readonly<Record<string, boolean>> = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};

const pattern = z.union([z.string(), z.instanceof(RegExp)], {
  error: 'a name, a glob ("db_*") or a RegExp',
});
const patterns = z
  .union([pattern, z.array(pattern, { error: 'names, globs or RegExps' })])
  .optional();
const filterSchema = z.strictObject({
  capability: z
    .union([z.string(), z.array(z.string())], { error: 'a capability or a list of them' })
    .optional(),
  tags: z.array(z.string(), { error: 'a list of tags' }).optional(),
  annotations: z
    .record(z.string(), z.unknown(), { error: 'an object of annotation values' })
    .optional(),
  name: patterns,
  server: patterns,
  protocol: z
    .string({ error: "'mcp', an era ('legacy', 'modern') or an MCP version ('2025-11-25')" })
    .min(1)
    .optional(),
  version: z.string({ error: "a version ('1.4'), prefix ('1') or glob ('2.*')" }).min(1).optional(),
});

/** `'1'` and `'1.4'` match `'1.4.2'`; `'2.*'` is a glob; otherwise exact. */
function compileVersion(wanted: string): (version: string) => boolean {
  if (/[*?]/.test(wanted)) {
    const regExp = globToRegExp(wanted);
    return (version) => regExp.test(version);
  }
  return (version) => version === wanted || version.startsWith(`${wanted}.`);
}

/** `'mcp'` is every MCP tool; otherwise the era or the negotiated version must be it. */
function protocolMatches(wanted: string, context: ToolFilterContext): boolean {
  const protocol = wanted.toLowerCase();
  if (protocol === 'mcp') return true;
  return protocol === context.protocolEra || protocol === context.protocolVersion;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's');
}

function compilePatterns(
  value: NamePattern | NamePattern[] | undefined,
): ((text: string) => boolean) | undefined {
  if (value === undefined) return undefined;
  const tests = (Array.isArray(value) ? value : [value]).map((entry) => {
    if (typeof entry === 'string') {
      if (!/[*?]/.test(entry)) return (text: string) => text === entry;
      const regExp = globToRegExp(entry);
      return (text: string) => regExp.test(text);
    }
    // A private copy without g/y: those flags make test() stateful.
    const regExp = new RegExp(entry.source, entry.flags.replace(/[gy]/g, ''));
    return (text: string) => regExp.test(text);
  });
  return (text) => tests.some((test) => test(text));
}

const lower = (values: readonly string[]) => values.map((value) => value.toLowerCase());

/** Validates `filter` once (McpConfigError on bad input) and returns a fast predicate. */
export function compileToolFilter(filter: ToolFilter): ToolPredicate {
  const parsed = parseOptions(filterSchema, filter, {
    subject: 'tool filter',
    prefix: 'filter',
    aliases: {
      tag: 'tags',
      category: 'capability',
      capabilities: 'capability',
      annotation: 'annotations',
    },
  });
  const capabilities =
    parsed.capability === undefined
      ? undefined
      : lower(Array.isArray(parsed.capability) ? parsed.capability : [parsed.capability]);
  const tags = parsed.tags ? lower(parsed.tags) : undefined;
  const annotations = parsed.annotations ? Object.entries(parsed.annotations) : undefined;
  const nameMatches = compilePatterns(filter.name);
  const serverMatches = compilePatterns(filter.server);
  const versionMatches = parsed.version !== undefined ? compileVersion(parsed.version) : undefined;
  const protocol = parsed.protocol;

  return (tool, context = {}) => {
    if (protocol !== undefined && !protocolMatches(protocol, context)) return false;
    if (versionMatches) {
      const version = readToolVersion(tool);
      if (version === undefined || !versionMatches(version)) return false;
    }
    if (
      nameMatches &&
      !nameMatches(tool.name) &&
      !(tool.originalName !== undefined && nameMatches(tool.originalName))
    ) {
      return false;
    }
    if (serverMatches) {
      const server = context.server ?? tool.server;
      if (server === undefined || !serverMatches(server)) return false;
    }
    if (annotations) {
      const actual: Record<string, unknown> = tool.annotations ?? {};
      for (const [key, expected] of annotations) {
        const value = Object.hasOwn(actual, key) ? actual[key] : HINT_DEFAULTS[key];
        if (value !== expected) return false;
      }
    }
    if (tags || capabilities) {
      const toolTags = lower(readToolTags(tool));
      if (tags && !tags.every((tag) => toolTags.includes(tag))) return false;
      if (capabilities) {
        const offered = [...lower(readToolCategories(tool)), ...toolTags];
        if (!capabilities.some((capability) => offered.includes(capability))) return false;
      }
    }
    return true;
  };
}

/** Whether `tool` passes `filter` (every given criterion must hold). */
export function matchesToolFilter(
  tool: FilterableTool,
  filter: ToolFilter,
  context?: ToolFilterContext,
): boolean {
  return compileToolFilter(filter)(tool, context);
}
