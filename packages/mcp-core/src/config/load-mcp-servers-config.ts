// Reads the `mcpServers` JSON that Claude Desktop, Cursor, Cline, VS Code (`servers`) and
// TFrameX's servers_config.json use, into one MCPConfigOptions per server. Files load as
// they are: tool-specific extras (alwaysAllow, autoApprove, timeout, ...) are ignored.
import { readFile, stat } from 'node:fs/promises';
import { isValidServerAlias, McpConfigError } from '@tframex/mcp-api';
import { type ConfigProblem, configError } from './config-problem.js';
import { expandEnv, type ExpandEnvOptions } from './expand-env.js';
import type { MCPConfigOptions } from './mcp-config.js';
import { MCPConfigOptionsSchema } from './mcp-config-schema.js';
import { checkMCPConfig } from './parse-mcp-config.js';
import { parseJsonc } from './parse-jsonc.js';
import { redactMCPConfig } from './redact-mcp-config.js';
import { withRedactedConfigViews } from './redacted-config-views.js';
import { withRedactedView } from '../security/redacted-view.js';

export interface LoadMcpServersConfigOptions extends ExpandEnvOptions {
  /** Largest file read, in bytes (default 1 MiB). */
  maxFileBytes?: number;
}

const TYPE_NAMES: Readonly<Record<string, 'stdio' | 'streamable-http' | 'sse'>> = {
  stdio: 'stdio',
  http: 'streamable-http',
  'streamable-http': 'streamable-http',
  streamablehttp: 'streamable-http',
  streamable_http: 'streamable-http',
  sse: 'sse',
};
/** Keys with a meaning in these files, beyond MCPConfig's own option names. */
const FILE_KEYS = new Set(['type', 'transport', 'transportType', 'url', 'disabled']);
/** MCPConfig options that cannot come from JSON. */
const CODE_ONLY = new Set(['transport', 'auth']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Expands every string in `value` (arrays and records too); problems go to `add`. */
function expandDeep(
  value: unknown,
  field: string,
  options: ExpandEnvOptions,
  add: (problem: ConfigProblem) => void,
): unknown {
  if (typeof value === 'string') {
    const result = expandEnv(value, options);
    if (result.ok) return result.value;
    const { variable } = result.failure;
    add(
      result.failure.reason === 'missing'
        ? {
            field,
            expected: `environment variable ${variable} to be set`,
            missing: true,
            hint: `or give a default: \${${variable}:-value}`,
          }
        : {
            field,
            expected: 'well-formed ${VAR} references ($$ for a literal $)',
            received: value,
            secret: true,
          },
    );
    return value;
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandDeep(item, `${field}.${index}`, options, add));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        expandDeep(item, `${field}.${key}`, options, add),
      ]),
    );
  }
  return value;
}

/** One server entry of the file as MCPConfigOptions, or undefined when it is disabled. */
function toOptions(
  alias: string,
  entry: Record<string, unknown>,
  field: string,
  options: ExpandEnvOptions,
  add: (problem: ConfigProblem) => void,
): MCPConfigOptions | undefined {
  if (entry.disabled === true) return undefined;
  const known = new Set(Object.keys(MCPConfigOptionsSchema.shape));
  const out: Record<string, unknown> = { name: alias };
  const rawType = [entry.type, entry.transportType, entry.transport].find(
    (value) => typeof value === 'string',
  ) as string | undefined;
  let type: 'stdio' | 'streamable-http' | 'sse' | undefined;
  if (rawType !== undefined) {
    type = TYPE_NAMES[rawType.toLowerCase()];
    if (!type) {
      add({
        field: `${field}.type`,
        expected: '"stdio", "http", "streamable-http" or "sse"',
        received: rawType,
      });
      return undefined;
    }
  }
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'url') out.serverUrl = expandDeep(value, `${field}.url`, options, add);
    else if (!FILE_KEYS.has(key) && known.has(key) && !CODE_ONLY.has(key) && key !== 'name') {
      out[key] = expandDeep(value, `${field}.${key}`, options, add);
    }
  }
  if (type === 'sse') out.transportType = 'sse';
  if (type === 'stdio' && out.command === undefined) {
    add({ field: `${field}.command`, expected: 'a command for a stdio server', missing: true });
  }
  if ((type === 'sse' || type === 'streamable-http') && out.serverUrl === undefined) {
    add({ field: `${field}.url`, expected: `a url for a ${rawType} server`, missing: true });
  }
  return out as MCPConfigOptions;
}

/**
 * Reads an `mcpServers` document (already parsed) into MCPConfigOptions per server alias:
 * `{ "mcpServers": { alias: { command, args, env, cwd } | { url, headers, type } } }`, or
 * VS Code's `{ "servers": { ... } }`. `type` (or `transport`/`transportType`) may be `stdio`,
 * `http`/`streamable-http`/`streamableHttp` or `sse`; without it, `url` means Streamable HTTP
 * with SSE fallback and `command` means stdio. Entries with `disabled: true` are skipped.
 * Every string goes through `${VAR}` expansion (see `expandEnv`). MCPConfig option names
 * (timeoutMs, retryAttempts, apiKey, ...) are taken too; other keys are ignored. Each entry
 * is validated as an MCPConfig, and every problem of every server is reported in one
 * McpConfigError with paths such as `mcpServers.github.env.GITHUB_TOKEN`.
 */
export function parseMcpServersConfig(
  document: unknown,
  options: ExpandEnvOptions = {},
  origin = 'MCP servers config',
): Record<string, MCPConfigOptions> {
  const problems: ConfigProblem[] = [];
  const add = (problem: ConfigProblem) => problems.push(problem);
  const sections = isRecord(document)
    ? (['mcpServers', 'servers'] as const).filter((key) => document[key] !== undefined)
    : [];
  if (!isRecord(document) || sections.length === 0) {
    throw configError(origin, [
      {
        field: '',
        expected: 'an object with "mcpServers" (or VS Code\'s "servers")',
        received: document,
      },
    ]);
  }
  const result: Record<string, MCPConfigOptions> = {};
  const seen = new Set<string>();
  for (const section of sections) {
    const servers = document[section];
    if (!isRecord(servers)) {
      add({
        field: section,
        expected: 'an object of server aliases to server settings',
        received: servers,
      });
      continue;
    }
    for (const [alias, entry] of Object.entries(servers)) {
      const field = `${section}.${alias}`;
      if (!isValidServerAlias(alias)) {
        add({
          field,
          expected:
            'a server alias: a letter or digit, then letters, digits, "_", "." or "-" (at most 64)',
          received: alias,
        });
        continue;
      }
      if (seen.has(alias)) {
        add({ field, expected: 'each alias once across mcpServers and servers', received: alias });
        continue;
      }
      seen.add(alias);
      if (!isRecord(entry)) {
        add({
          field,
          expected: 'server settings: { command, args, env } or { url, headers }',
          received: entry,
        });
        continue;
      }
      const before = problems.length;
      const serverOptions = toOptions(alias, entry, field, options, add);
      if (!serverOptions || problems.length > before) continue;
      const checked = checkMCPConfig(serverOptions, field);
      // Report file keys (url) under the name the file uses.
      problems.push(
        ...checked.problems.map((problem) => ({
          ...problem,
          field:
            problem.field === `${field}.serverUrl` && entry.url !== undefined
              ? `${field}.url`
              : problem.field,
        })),
      );
      Object.defineProperty(result, alias, {
        value: withRedactedConfigViews(serverOptions),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  if (problems.length > 0) throw configError(origin, problems);
  return withRedactedView(result, () =>
    Object.fromEntries(
      Object.entries(result).map(([alias, entry]) => [alias, redactMCPConfig(entry)]),
    ),
  );
}

/**
 * Loads an `mcpServers` config from a file path (JSON, comments and trailing commas
 * allowed, as in VS Code's mcp.json) or an already-parsed object. See `parseMcpServersConfig`.
 */
export async function loadMcpServersConfig(
  source: string | object,
  options: LoadMcpServersConfigOptions = {},
): Promise<Record<string, MCPConfigOptions>> {
  if (typeof source !== 'string') return parseMcpServersConfig(source, options);
  const maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
  const fail = (expected: string, cause?: unknown) =>
    new McpConfigError(`Cannot load MCP servers config ${source}: expected ${expected}`, {
      field: 'source',
      expected,
      received: source,
      cause,
    });
  let text: string;
  try {
    const info = await stat(source);
    if (!info.isFile()) throw fail('a file');
    if (info.size > maxFileBytes)
      throw fail(`a file of at most ${maxFileBytes} bytes (maxFileBytes)`);
    text = await readFile(source, 'utf8');
  } catch (error) {
    if (McpConfigError.isInstance(error)) throw error;
    throw fail('a readable file', error);
  }
  let document: unknown;
  try {
    document = parseJsonc(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw fail(`JSON (comments and trailing commas allowed): ${(error as Error).message}`, error);
  }
  return parseMcpServersConfig(document, options, `MCP servers config ${source}`);
}
