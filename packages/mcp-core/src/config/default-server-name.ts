// A default alias for a server the user did not name: from the URL's host, or from what a
// stdio command runs (`npx -y @scope/server-x` → `server-x`, not `npx`).

const LAUNCHERS = new Set([
  'npx',
  'pnpx',
  'bunx',
  'uvx',
  'node',
  'deno',
  'bun',
  'python',
  'python3',
  'uv',
  'pnpm',
  'yarn',
  'npm',
  'docker',
  'podman',
  'pipx',
]);
const SUBCOMMANDS = new Set(['run', 'x', 'dlx', 'exec', 'tool', 'start']);

/** Turns any text into a valid server alias (letters, digits, `_ . -`, ≤ 64), or undefined. */
export function toServerAlias(text: string): string | undefined {
  const alias = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64)
    .replace(/[-.]+$/, '');
  return alias.length > 0 ? alias : undefined;
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/).filter((part) => part.length > 0);
  return parts[parts.length - 1] ?? path;
}

/** What a stdio command runs, as a name: the package or script for launchers, else the executable. */
function commandName(command: string, args: readonly string[]): string {
  const executable = lastSegment(command).replace(/\.(exe|cmd|bat)$/i, '');
  if (!LAUNCHERS.has(executable.toLowerCase())) return executable;
  const target = args.find(
    (arg) => !arg.startsWith('-') && !SUBCOMMANDS.has(arg) && !arg.includes('='),
  );
  if (target === undefined) return executable;
  // @scope/name@1.2.3 → name; mcp/github:latest → github; ./server.py → server
  const withoutVersion = target.replace(/(?!^)@[^/]*$/, '').replace(/:[^/]*$/, '');
  return lastSegment(withoutVersion).replace(/\.(m?js|cjs|ts|py)$/i, '');
}

/** The alias a config gets when it has no `name`. */
export function defaultServerName(source: {
  serverUrl?: string | URL;
  command?: string;
  args?: readonly string[];
}): string {
  if (source.serverUrl !== undefined) {
    try {
      const host = new URL(source.serverUrl).hostname.replace(/^\[|\]$/g, '');
      return toServerAlias(host === '::1' ? 'localhost' : host) ?? 'server';
    } catch {
      return 'server';
    }
  }
  if (source.command !== undefined)
    return toServerAlias(commandName(source.command, source.args ?? [])) ?? 'server';
  return 'memory';
}
