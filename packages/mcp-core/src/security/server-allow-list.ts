// The allow-list of MCP servers: host patterns and URL prefixes for HTTP servers, command
// names and paths for stdio servers. Entries are parsed once; checks are plain comparisons.
import { isAbsolute, resolve } from 'node:path';

/** A compiled allow-list. */
export interface ServerAllowList {
  /** Whether the list allows everything (it is empty, or holds `*`). */
  readonly allowsAll: boolean;
  allowsUrl(url: URL): boolean;
  allowsCommand(command: string, cwd?: string): boolean;
}

interface HostRule {
  kind: 'host';
  /** `*` for any host; `.example.com` for subdomains of example.com; else an exact hostname. */
  host: string;
  /** Undefined for any port. */
  port: string | undefined;
}
interface PrefixRule {
  kind: 'prefix';
  protocol: string;
  host: string;
  port: string;
  path: string;
}
interface CommandRule {
  kind: 'command';
  matches: (command: string, cwd: string | undefined) => boolean;
}
type Rule = HostRule | PrefixRule | CommandRule;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };
const effectivePort = (url: URL) => url.port || DEFAULT_PORTS[url.protocol] || '';

function globRegExp(glob: string, anyChar: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\?/g, anyChar)
    .replace(/\*/g, `${anyChar}*`);
  return new RegExp(`^${escaped}$`);
}

/** Canonical hostname via the URL parser: lower case, punycode, normalised IPv4. */
function canonicalHost(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** Why an entry could not be read, or the rules it stands for. */
function parseEntry(entry: string): Rule[] | string {
  const text = entry.trim();
  if (text.length === 0) return 'an empty entry';
  if (text === '*')
    return [
      { kind: 'host', host: '*', port: undefined },
      { kind: 'command', matches: () => true },
    ];
  if (text.includes('://')) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return `"${text}" is not a valid URL prefix`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return `"${text}" is not an http(s) URL`;
    return [
      {
        kind: 'prefix',
        protocol: url.protocol,
        host: url.hostname,
        port: effectivePort(url),
        path: url.pathname,
      },
    ];
  }
  if (text.includes('/') || text.includes('\\')) {
    if (!isAbsolute(text)) return `command path "${text}" must be absolute`;
    const pattern = globRegExp(resolve(text), '[^/\\\\]');
    return [
      {
        kind: 'command',
        matches: (command, cwd) =>
          hasSeparator(command) && pattern.test(resolve(cwd ?? process.cwd(), command)),
      },
    ];
  }
  const rules: Rule[] = [];
  const hostOnly = /^\[|:|^\*\./.test(text);
  if (!hostOnly && COMMAND_NAME.test(text)) {
    const pattern = globRegExp(text, '.');
    rules.push({
      kind: 'command',
      matches: (command) => !hasSeparator(command) && pattern.test(command),
    });
  }
  const host = parseHostPattern(text);
  if (host) rules.push(host);
  return rules.length > 0
    ? rules
    : `"${text}" is neither a host pattern, a URL prefix nor a command`;
}

const COMMAND_NAME = /^[A-Za-z0-9._+@*?-]+$/;

function parseHostPattern(text: string): HostRule | undefined {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}|\*))?$/.exec(text);
  if (!match) return undefined;
  const [, rawHost = '', rawPort] = match;
  const port = rawPort === undefined || rawPort === '*' ? undefined : String(Number(rawPort));
  if (rawHost === '*') return { kind: 'host', host: '*', port };
  const wildcard = rawHost.startsWith('*.');
  const host = canonicalHost(wildcard ? rawHost.slice(2) : rawHost);
  if (!host || host.includes('*') || rawHost.length === 0) return undefined;
  return { kind: 'host', host: wildcard ? `.${host}` : host, port };
}

const hasSeparator = (command: string) => command.includes('/') || command.includes('\\');

function matchesUrl(rule: HostRule | PrefixRule, url: URL): boolean {
  if (rule.kind === 'prefix') {
    if (
      url.protocol !== rule.protocol ||
      url.hostname !== rule.host ||
      effectivePort(url) !== rule.port
    )
      return false;
    if (rule.path === '/' || url.pathname === rule.path) return true;
    const base = rule.path.endsWith('/') ? rule.path : `${rule.path}/`;
    return url.pathname.startsWith(base);
  }
  if (rule.port !== undefined && effectivePort(url) !== rule.port) return false;
  if (rule.host === '*') return true;
  if (rule.host.startsWith('.'))
    return url.hostname.endsWith(rule.host) && url.hostname.length > rule.host.length;
  return url.hostname === rule.host;
}

/**
 * Compiles allow-list entries: `*` (anything); host patterns `example.com`,
 * `*.example.com` (subdomains only), `127.0.0.1:*`, `[::1]:8080` (no port = any port);
 * URL prefixes `https://api.example.com/mcp` (same scheme, host and port, path at a segment
 * boundary); command names `npx`, `mcp-server-*` (match commands given by name, found on
 * PATH) and absolute command paths `/usr/local/bin/*` (`*` stays within one path segment).
 * Returns the entries it could not read as problems.
 */
export function compileServerAllowList(entries: readonly string[]): {
  list: ServerAllowList;
  problems: Array<{ index: number; reason: string }>;
} {
  const rules: Rule[] = [];
  const problems: Array<{ index: number; reason: string }> = [];
  entries.forEach((entry, index) => {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') problems.push({ index, reason: parsed });
    else rules.push(...parsed);
  });
  const allowsAll = entries.length === 0 || entries.some((entry) => entry.trim() === '*');
  const urlRules = rules.filter((rule): rule is HostRule | PrefixRule => rule.kind !== 'command');
  const commandRules = rules.filter((rule): rule is CommandRule => rule.kind === 'command');
  return {
    problems,
    list: {
      allowsAll,
      allowsUrl: (url) => allowsAll || urlRules.some((rule) => matchesUrl(rule, url)),
      allowsCommand: (command, cwd) =>
        allowsAll || commandRules.some((rule) => rule.matches(command, cwd)),
    },
  };
}
