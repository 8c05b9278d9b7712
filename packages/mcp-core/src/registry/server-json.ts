// Reads the MCP Registry's `server.json` format (and the registry API's list responses)
// into connection options: a remote URL when the server has one, else the command that
// runs its package (npx for npm, uvx for PyPI, docker for OCI images).
import { isValidServerAlias, McpConfigError } from '@tframex/mcp-api';

/** How to reach one server: the transport part of MCPClient options. */
export interface ServerConnectionOptions {
  [option: string]: unknown;
  serverUrl?: string | URL;
  transportType?: 'streamable-http' | 'sse' | 'stdio' | 'memory';
  headers?: Record<string, string>;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
}

export interface DiscoveredServer {
  /** Alias to register the server under (from the last segment of its registry name). */
  alias: string;
  /** Registry name, e.g. `io.github.modelcontextprotocol/filesystem`. */
  name: string;
  description?: string;
  /** What kind of service it is, when its listing says (`_meta.type`: `database`, ...). */
  type?: string;
  version?: string;
  /** Connection options (from a static list: any MCPClient options). */
  options: ServerConnectionOptions;
  /** Required environment variables or headers that have no value: the server cannot start yet. */
  missing: string[];
  /** `remote` or the package registry it runs from (`npm`, `pypi`, `oci`). */
  via: string;
}

export interface ServerJsonOptions {
  /** Values for environment variables and secret headers (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Prefer a remote endpoint over running a package locally (default true). */
  preferRemote?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** Fields of server.json exist in camelCase (current schema) and snake_case (early schema). */
const field = (object: Json, camel: string, snake?: string): unknown =>
  object[camel] ?? (snake ? object[snake] : undefined);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function aliasFor(name: string, taken: Set<string>): string {
  const base =
    (name.split('/').pop() ?? name)
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 56) || 'server';
  let alias = base;
  for (let n = 2; taken.has(alias) || !isValidServerAlias(alias); n++) alias = `${base}-${n}`;
  taken.add(alias);
  return alias;
}

function argumentsOf(
  list: unknown,
  missing: string[],
  env: Record<string, string | undefined>,
): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const value =
      str(entry.value) ??
      str(entry.default) ??
      (str(entry.valueHint ?? entry.value_hint)
        ? env[String(entry.valueHint ?? entry.value_hint)]
        : undefined);
    const required = field(entry, 'isRequired', 'is_required') === true;
    if (entry.type === 'named') {
      const flag = str(entry.name);
      if (!flag) continue;
      if (value === undefined) {
        if (required) missing.push(flag);
        continue;
      }
      out.push(flag, value);
    } else if (value !== undefined) out.push(value);
    else if (required) missing.push(String(entry.valueHint ?? entry.value_hint ?? 'argument'));
  }
  return out;
}

function environmentOf(
  list: unknown,
  missing: string[],
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!isObject(entry) || !str(entry.name)) continue;
    const name = entry.name as string;
    const value = env[name] ?? str(entry.value) ?? str(entry.default);
    if (value !== undefined) out[name] = value;
    else if (field(entry, 'isRequired', 'is_required') === true) missing.push(name);
  }
  return out;
}

function fromRemote(
  remote: Json,
  env: Record<string, string | undefined>,
  missing: string[],
): ServerConnectionOptions | undefined {
  const url = str(remote.url);
  if (!url) return undefined;
  const type = str(field(remote, 'type', 'transport_type'));
  const headers: Record<string, string> = {};
  if (Array.isArray(remote.headers)) {
    for (const header of remote.headers) {
      if (!isObject(header) || !str(header.name)) continue;
      const name = header.name as string;
      const value = str(header.value) ?? env[name] ?? str(header.default);
      if (value !== undefined) headers[name] = value;
      else if (field(header, 'isRequired', 'is_required') === true) missing.push(name);
    }
  }
  return {
    serverUrl: url,
    transportType: type === 'sse' ? 'sse' : 'streamable-http',
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

function fromPackage(
  pkg: Json,
  env: Record<string, string | undefined>,
  missing: string[],
): ServerConnectionOptions | undefined {
  const registry = str(field(pkg, 'registryType', 'registry_type'));
  const identifier = str(pkg.identifier);
  if (!registry || !identifier) return undefined;
  const transport = field(pkg, 'transport');
  if (isObject(transport) && transport.type !== undefined && transport.type !== 'stdio') {
    const url = str(transport.url);
    return url
      ? { serverUrl: url, transportType: transport.type === 'sse' ? 'sse' : 'streamable-http' }
      : undefined;
  }
  const version = str(pkg.version);
  const runtimeArgs = argumentsOf(
    field(pkg, 'runtimeArguments', 'runtime_arguments'),
    missing,
    env,
  );
  const packageArgs = argumentsOf(
    field(pkg, 'packageArguments', 'package_arguments'),
    missing,
    env,
  );
  const environment = environmentOf(
    field(pkg, 'environmentVariables', 'environment_variables'),
    missing,
    env,
  );
  const withEnv = Object.keys(environment).length > 0 ? { env: environment } : {};
  switch (registry) {
    case 'npm':
      return {
        command: str(field(pkg, 'runtimeHint', 'runtime_hint')) ?? 'npx',
        args: [
          ...runtimeArgs,
          '-y',
          version ? `${identifier}@${version}` : identifier,
          ...packageArgs,
        ],
        ...withEnv,
      };
    case 'pypi':
      return {
        command: str(field(pkg, 'runtimeHint', 'runtime_hint')) ?? 'uvx',
        args: [...runtimeArgs, version ? `${identifier}==${version}` : identifier, ...packageArgs],
        ...withEnv,
      };
    case 'oci':
      return {
        command: 'docker',
        args: [
          'run',
          '-i',
          '--rm',
          ...runtimeArgs,
          ...Object.keys(environment).flatMap((name) => ['-e', name]),
          version ? `${identifier}:${version}` : identifier,
          ...packageArgs,
        ],
        ...withEnv,
      };
    default:
      return undefined;
  }
}

/** The server documents inside `document`: one server.json, an array, or a registry API page. */
function serverDocuments(document: unknown): Json[] {
  if (Array.isArray(document)) return document.flatMap(serverDocuments);
  if (!isObject(document)) return [];
  if (Array.isArray(document.servers)) return document.servers.flatMap(serverDocuments);
  if (isObject(document.server) && str((document.server as Json).name))
    return [document.server as Json];
  return str(document.name) ? [document] : [];
}

/**
 * Turns registry documents into connection options. Servers that can be reached neither
 * remotely nor by a package this client knows how to run are left out; if that leaves
 * nothing, McpConfigError says why.
 */
export function serversFromServerJson(
  document: unknown,
  options: ServerJsonOptions = {},
): DiscoveredServer[] {
  const env = options.env ?? process.env;
  const preferRemote = options.preferRemote ?? true;
  const taken = new Set<string>();
  const found: DiscoveredServer[] = [];
  const documents = serverDocuments(document);
  for (const server of documents) {
    const name = server.name as string;
    const remotes = (Array.isArray(server.remotes) ? server.remotes : []).filter(isObject);
    const packages = (Array.isArray(server.packages) ? server.packages : []).filter(isObject);
    const candidates: {
      via: string;
      build: (missing: string[]) => ServerConnectionOptions | undefined;
    }[] = [
      ...remotes.map((remote) => ({
        via: 'remote',
        build: (missing: string[]) => fromRemote(remote, env, missing),
      })),
      ...packages.map((pkg) => ({
        via: String(field(pkg, 'registryType', 'registry_type')),
        build: (missing: string[]) => fromPackage(pkg, env, missing),
      })),
      // A plain listing entry that gives the command to run (from a discovery tool).
      ...(str(server.command)
        ? [
            {
              via: 'command',
              build: (): ServerConnectionOptions => ({
                command: server.command as string,
                args: (Array.isArray(server.args) ? server.args : []).map(String),
              }),
            },
          ]
        : []),
    ];
    if (!preferRemote)
      candidates.sort((a, b) => Number(a.via === 'remote') - Number(b.via === 'remote'));
    for (const candidate of candidates) {
      const missing: string[] = [];
      const connection = candidate.build(missing);
      if (!connection) continue;
      const versionDetail = field(server, 'versionDetail', 'version_detail');
      const version =
        str(server.version) ?? (isObject(versionDetail) ? str(versionDetail.version) : undefined);
      found.push({
        alias: aliasFor(name, taken),
        name,
        ...(str(server.description) ? { description: server.description as string } : {}),
        ...(isObject(server._meta) && str(server._meta.type)
          ? { type: server._meta.type as string }
          : {}),
        ...(version ? { version } : {}),
        options: connection,
        missing,
        via: candidate.via,
      });
      break;
    }
  }
  if (found.length === 0) {
    throw new McpConfigError(
      documents.length === 0
        ? 'No server.json document found: expected an object with "name", an array of them, or a registry API response with "servers"'
        : 'None of the servers has a remote endpoint or an npm, PyPI or OCI package this client can run',
      { field: 'servers', expected: 'server.json documents with remotes or packages' },
    );
  }
  return found;
}
