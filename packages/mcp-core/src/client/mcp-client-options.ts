// MCPClientOptions: MCPConfig plus what only code can give (handlers for server requests,
// an OAuth2 plugin factory), and their resolution into the client's settings.
import { McpConfigError, type Implementation } from '@tframex/mcp-api';
import { z } from 'zod';
import type { ServerRequestHandlers } from '../adapter/sdk-adapter.js';
import { callable, durationMs } from '../config/option-schemas.js';
import {
  createAuthPluginFromConfig,
  type CreateAuthPluginSettings,
} from '../config/create-auth-plugin-from-config.js';
import type { MCPConfig, MCPConfigOptions } from '../config/mcp-config.js';
import { parseMCPConfig } from '../config/parse-mcp-config.js';
import { parseOptions } from '../config/parse-options.js';
import { tlsMaterialFromConfig } from '../config/tls-material-from-config.js';
import { MCPSecurity } from '../security/mcp-security.js';
import { type ClientSettings, withRedactedSettingsViews } from './client-settings.js';

/** A root the client exposes to servers (`roots/list`). */
export interface McpRoot {
  uri: string;
  name?: string;
}

export interface MCPClientOptions extends MCPConfigOptions {
  /** How the client introduces itself (default `{ name: 'tframex-mcp-client', version }`). */
  clientInfo?: Implementation;
  /**
   * Answers the server's `sampling/createMessage` requests (legacy era) and sampling asked
   * for inside `input_required` results (modern era). Declares the sampling capability.
   */
  onSampling?: ServerRequestHandlers['sampling'];
  /** Answers `elicitation/create` (form and URL modes), in both eras. Declares elicitation. */
  onElicitation?: ServerRequestHandlers['elicitation'];
  /** Roots offered to servers (`roots/list`): a list, or a function for live answers. */
  roots?: McpRoot[] | (() => Promise<McpRoot[]> | McpRoot[]);
  /** Builds the plugin for `authMethod: 'oauth2'` (e.g. `(o) => new OAuth2Auth(o)` from @tframex/mcp-auth). */
  oauth2?: CreateAuthPluginSettings['oauth2'];
  /** After `tools/list_changed`, wait this long for more before refreshing the list (default 100). */
  toolsChangedDebounceMs?: number;
}

export const CLIENT_VERSION = '0.1.0';

const CODE_OPTION_KEYS = [
  'clientInfo',
  'onSampling',
  'onElicitation',
  'roots',
  'oauth2',
  'toolsChangedDebounceMs',
] as const;

const codeOptionsSchema = z.strictObject({
  clientInfo: z
    .object(
      {
        name: z.string().min(1, { error: 'a non-empty name' }),
        version: z.string().min(1, { error: 'a non-empty version' }),
      },
      { error: 'an object with name and version' },
    )
    .loose()
    .optional(),
  onSampling: callable<NonNullable<MCPClientOptions['onSampling']>>(
    'a function (params, signal) => result',
  ).optional(),
  onElicitation: callable<NonNullable<MCPClientOptions['onElicitation']>>(
    'a function (params, signal) => result',
  ).optional(),
  roots: z
    .union(
      [
        z.array(z.object({ uri: z.string(), name: z.string().optional() }).loose()),
        callable<() => McpRoot[]>('a function returning roots'),
      ],
      {
        error: 'a list of { uri, name? } or a function returning one',
      },
    )
    .optional(),
  oauth2: callable<NonNullable<MCPClientOptions['oauth2']>>(
    'a function (options) => McpAuthPlugin',
  ).optional(),
  toolsChangedDebounceMs: durationMs(0).optional(),
});

function transportOf(config: MCPConfig): ClientSettings['transport'] {
  switch (config.transportType) {
    case 'stdio':
      return {
        kind: 'stdio',
        command: config.command!,
        args: config.args ?? [],
        ...(config.env ? { env: config.env } : {}),
        ...(config.cwd ? { cwd: config.cwd } : {}),
      };
    case 'memory':
      return { kind: 'memory', transport: config.transport };
    case 'sse':
      return { kind: 'sse', url: new URL(config.serverUrl!), fallbackToSse: false };
    case 'streamable-http':
      return {
        kind: 'streamable-http',
        url: new URL(config.serverUrl!),
        fallbackToSse: config.sseFallback ?? true,
      };
  }
}

/** Validates options (one McpConfigError listing every problem) and resolves every default. */
export function resolveClientSettings(options: MCPClientOptions): ClientSettings {
  if (typeof options !== 'object' || options === null) {
    throw new McpConfigError('MCPClient needs options: { serverUrl } or { command, args }', {
      field: '',
      expected: 'an options object',
      received: options,
    });
  }
  const code: Record<string, unknown> = {};
  const configPart: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((CODE_OPTION_KEYS as readonly string[]).includes(key)) code[key] = value;
    else configPart[key] = value;
  }
  const extras = parseOptions(codeOptionsSchema, code, { subject: 'MCPClient options' });
  const config = parseMCPConfig(configPart, { subject: 'MCPClient options' });
  const security =
    config.security === undefined || MCPSecurity.isInstance(config.security)
      ? config.security
      : new MCPSecurity(config.security, { prefix: 'security' });

  const transport = transportOf(config);
  if (security) {
    if (transport.kind === 'stdio')
      security.checkCommand(transport.command, {
        server: config.name,
        ...(transport.cwd ? { cwd: transport.cwd } : {}),
      });
    else if (transport.kind !== 'memory') security.checkUrl(transport.url, { server: config.name });
  }

  const roots = extras.roots;
  const handlers: ServerRequestHandlers = {
    ...(extras.onSampling ? { sampling: extras.onSampling } : {}),
    ...(extras.onElicitation ? { elicitation: extras.onElicitation } : {}),
    ...(roots
      ? { roots: async () => ({ roots: typeof roots === 'function' ? await roots() : roots }) }
      : {}),
  };
  const settings: ClientSettings = {
    name: config.name,
    transport,
    clientInfo: extras.clientInfo ?? { name: 'tframex-mcp-client', version: CLIENT_VERSION },
    protocol: config.protocol,
    headers: config.headers,
    auth: createAuthPluginFromConfig(config, extras.oauth2 ? { oauth2: extras.oauth2 } : {}),
    tls: tlsMaterialFromConfig(config),
    enableCompression: config.enableCompression,
    timeoutMs: config.timeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    retryAttempts: config.retryAttempts,
    retryDelayMs: config.retryDelayMs,
    retryMaxDelayMs: config.retryMaxDelayMs,
    retryJitter: config.retryJitter,
    retryNonIdempotent: config.retryNonIdempotent,
    connectionPoolSize: config.connectionPoolSize,
    maxConnections: config.maxConnections,
    maxQueuedRequests: config.maxQueuedRequests,
    keepaliveIntervalMs: config.keepaliveIntervalMs,
    requestProgress: config.requestProgress,
    maxResponseBytes: config.maxResponseBytes,
    rateLimit: config.rateLimit,
    circuitBreaker: config.circuitBreaker,
    security,
    signHeaders: security?.canSign ? (body) => security.signatureHeaders(body) : undefined,
    handlers,
    toolsChangedDebounceMs: extras.toolsChangedDebounceMs ?? 100,
  };
  return withRedactedSettingsViews(settings);
}
