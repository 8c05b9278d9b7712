// mcp://<server>/<name>: how tools, resources and streams on registered servers are named.
import { McpConfigError } from './errors/mcp-config-error.js';

export interface McpUri {
  /** Alias of the server the name lives on. */
  server: string;
  /** The tool, resource or stream name; may contain `/`. `*` when `wildcard`. */
  name: string;
  /** `mcp://server/*`: everything of that server. */
  wildcard: boolean;
}

const SCHEME = 'mcp://';
const SERVER_ALIAS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Whether `alias` can name a server in an mcp:// URI (letters, digits, `_ . -`, ≤ 64). */
export function isValidServerAlias(alias: string): boolean {
  return SERVER_ALIAS.test(alias);
}

function invalid(uri: unknown, why: string): never {
  throw new McpConfigError(`Invalid mcp:// URI ${JSON.stringify(uri)}: ${why}`, {
    field: 'uri',
    expected: 'mcp://<server>/<name>',
    received: uri,
  });
}

/** Whether `value` starts with the mcp:// scheme (it may still be malformed). */
export function isMcpUri(value: unknown): value is string {
  return typeof value === 'string' && value.slice(0, SCHEME.length).toLowerCase() === SCHEME;
}

/** Parses `mcp://server/name`. Malformed input throws McpConfigError naming the problem. */
export function parseMcpUri(uri: string): McpUri {
  if (!isMcpUri(uri)) invalid(uri, 'it does not start with mcp://');
  const rest = uri.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  if (slash <= 0)
    invalid(
      uri,
      slash === 0 ? 'the server alias is empty' : 'there is no /<name> after the server',
    );
  const server = rest.slice(0, slash);
  if (!isValidServerAlias(server)) {
    invalid(
      uri,
      `server alias "${server}" may hold only letters, digits, "_", "." and "-" (at most 64)`,
    );
  }
  const rawName = rest.slice(slash + 1);
  if (rawName.length === 0) invalid(uri, 'the name after the server is empty');
  if (/[?#\s]/.test(rawName))
    invalid(uri, 'the name holds "?", "#" or whitespace; percent-encode them');
  if (rawName === '*') return { server, name: '*', wildcard: true };
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return invalid(uri, 'the name holds a malformed percent-escape');
  }
  return { server, name, wildcard: false };
}

/** Formats a server alias and a name as an mcp:// URI; `parseMcpUri` gives them back. */
export function formatMcpUri(
  server: string,
  name: string,
  options: { wildcard?: boolean } = {},
): string {
  if (!isValidServerAlias(server)) {
    throw new McpConfigError(`Invalid server alias ${JSON.stringify(server)} for an mcp:// URI`, {
      field: 'server',
      expected: 'letters, digits, "_", "." and "-", at most 64 characters',
      received: server,
    });
  }
  if (options.wildcard) return `${SCHEME}${server}/*`;
  if (name.length === 0) {
    throw new McpConfigError('An mcp:// URI needs a non-empty name', {
      field: 'name',
      expected: 'a non-empty name',
      received: name,
    });
  }
  const encoded = encodeURIComponent(name).replace(/%2F/gi, '/').replace(/\*/g, '%2A');
  return `${SCHEME}${server}/${encoded}`;
}
