// MCPServiceDiscovery: where the servers come from — the official MCP Registry's
// `server.json` format or a static list — plus health checks that say which of them answer.
import { McpError, McpConnectionError, type McpSession } from '@tframex/mcp-api';
import { MCPClient } from '../client/mcp-client.js';
import type { MCPClientOptions } from '../client/mcp-client-options.js';
import { redactedConfigCopy } from '../config/redacted-config-views.js';
import { readRegistryApi, readServicesTool, type RegistryApiOptions } from './discovery-sources.js';
import { MCPServers, type MCPServersOptions } from './mcp-servers.js';
import {
  serversFromServerJson,
  type DiscoveredServer,
  type ServerJsonOptions,
} from './server-json.js';

/** The result of one health check. */
export interface ServerHealth {
  server: string;
  healthy: boolean;
  /** Connect plus ping, when healthy. */
  latencyMs?: number;
  error?: McpError;
  /** Required settings (environment variables, headers) with no value: not checked. */
  missing?: string[];
}

export interface HealthCheckOptions {
  /** Budget of each server's connect and ping (default 10 000). */
  timeoutMs?: number;
  /** Only these aliases. */
  servers?: string[];
  /** Only services of this type (see `discover`). */
  type?: string;
  /** Options merged under every server's (e.g. security, clientInfo). */
  defaults?: Partial<MCPClientOptions>;
}

export class MCPServiceDiscovery {
  readonly #servers: DiscoveredServer[];

  private constructor(servers: DiscoveredServer[]) {
    // Options print without their credentials (headers, env, keys) wherever they are shown.
    this.#servers = servers.map((server) => ({
      ...server,
      options: redactedConfigCopy(server.options),
    }));
  }

  /** From registry documents: a server.json, an array of them, or a registry API page. */
  static fromRegistry(document: unknown, options: ServerJsonOptions = {}): MCPServiceDiscovery {
    return new MCPServiceDiscovery(serversFromServerJson(document, options));
  }

  /**
   * From the MCP Registry's HTTP API (`GET <baseUrl>/v0/servers`, every page): e.g.
   * `await MCPServiceDiscovery.fromRegistryApi('https://registry.modelcontextprotocol.io')`.
   */
  static async fromRegistryApi(
    baseUrl: string | URL,
    options: RegistryApiOptions & ServerJsonOptions = {},
  ): Promise<MCPServiceDiscovery> {
    const { env, preferRemote, ...api } = options;
    const documents = await readRegistryApi(baseUrl, api);
    return new MCPServiceDiscovery(
      serversFromServerJson(documents, {
        ...(env ? { env } : {}),
        ...(preferRemote !== undefined ? { preferRemote } : {}),
      }),
    );
  }

  /**
   * From an MCP server that lists services through a tool (`tool`, called with `args`): its
   * result holds server.json documents or `{ name, url | command, args, type }` entries.
   */
  static async fromTool(
    session: McpSession,
    tool: string,
    options: ServerJsonOptions & { args?: Record<string, unknown> } = {},
  ): Promise<MCPServiceDiscovery> {
    const { args, ...serverJson } = options;
    const documents = await readServicesTool(session, tool, args);
    return new MCPServiceDiscovery(serversFromServerJson(documents, serverJson));
  }

  /** From a static list of connection options by alias. */
  static fromList(servers: Record<string, MCPClientOptions>): MCPServiceDiscovery {
    return new MCPServiceDiscovery(
      Object.entries(servers).map(([alias, options]) => ({
        alias,
        name: alias,
        options: options as DiscoveredServer['options'],
        missing: [],
        via: options.command ? 'command' : 'remote',
      })),
    );
  }

  /** What was discovered, with what each server still lacks. */
  get servers(): readonly DiscoveredServer[] {
    return this.#servers;
  }

  /**
   * The discovered services, or those of one `type`: the kind their listing declares
   * (`database`), how they are reached (`remote`, `npm`, `pypi`, `oci`, `command`) or their
   * transport (`streamable-http`, `sse`, `stdio`).
   */
  discover(filter: { type?: string } = {}): DiscoveredServer[] {
    const type = filter.type?.toLowerCase();
    return this.#servers.filter((server) => {
      if (type === undefined) return true;
      const transport =
        server.options.transportType ?? (server.options.command ? 'stdio' : 'streamable-http');
      return [server.type, server.via, transport].some((kind) => kind?.toLowerCase() === type);
    });
  }

  /** Options by alias for the servers that can start (nothing required is missing). */
  toServersConfig(): Record<string, MCPClientOptions> {
    return Object.fromEntries(
      this.#servers
        .filter((server) => server.missing.length === 0)
        .map((server) => [server.alias, server.options as MCPClientOptions]),
    );
  }

  /** An MCPServers of the servers that can start. */
  createServers(options: Omit<MCPServersOptions, 'servers'> = {}): MCPServers {
    return new MCPServers({ ...options, servers: this.toServersConfig() });
  }

  /**
   * Connects to each server (in parallel) with a short-lived client, pings it and closes
   * it. Never rejects: each server's health says what happened.
   */
  async healthCheck(options: HealthCheckOptions = {}): Promise<ServerHealth[]> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const wanted = options.servers ? new Set(options.servers) : undefined;
    return Promise.all(
      this.discover(options.type !== undefined ? { type: options.type } : {})
        .filter((server) => !wanted || wanted.has(server.alias))
        .map(async (server): Promise<ServerHealth> => {
          if (server.missing.length > 0)
            return { server: server.alias, healthy: false, missing: server.missing };
          const started = performance.now();
          let client: MCPClient | undefined;
          try {
            client = new MCPClient({
              ...options.defaults,
              ...(server.options as MCPClientOptions),
              name: server.alias,
              connectTimeoutMs: timeoutMs,
              timeoutMs,
              retryAttempts: 0,
            });
            await client.connect();
            await client.ping();
            return { server: server.alias, healthy: true, latencyMs: performance.now() - started };
          } catch (error) {
            const failure = McpError.isInstance(error)
              ? error
              : new McpConnectionError(String(error), { server: server.alias, cause: error });
            return { server: server.alias, healthy: false, error: failure };
          } finally {
            await client?.close();
          }
        }),
    );
  }
}
