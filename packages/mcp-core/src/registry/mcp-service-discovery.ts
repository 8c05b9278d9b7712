// MCPServiceDiscovery: where the servers come from — the official MCP Registry's
// `server.json` format or a static list — plus health checks that say which of them answer.
import { McpError, McpConnectionError } from '@tframex/mcp-api';
import { MCPClient } from '../client/mcp-client.js';
import type { MCPClientOptions } from '../client/mcp-client-options.js';
import { redactedConfigCopy } from '../config/redacted-config-views.js';
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
      this.#servers
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
