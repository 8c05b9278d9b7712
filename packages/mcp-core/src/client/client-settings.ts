// What the client needs to run, resolved from user options: one flat shape with every
// default filled, so the hot path reads fields and never checks for undefined.
import type { Implementation, McpProtocolEra } from '@tframex/mcp-api';
import type { McpAuthPlugin, McpTlsMaterial } from '@tframex/mcp-auth-api';
import type { ServerRequestHandlers, TransportSpec } from '../adapter/sdk-adapter.js';
import type { MCPSecurity } from '../security/mcp-security.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import { redactArgs } from '../config/redact-mcp-config.js';
import {
  printableRecord,
  redactedArgsView,
  redactedRecordView,
} from '../config/redacted-config-views.js';
import { withRedactedView } from '../security/redacted-view.js';

export type ClientTransportSettings =
  | { kind: 'stdio'; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
  | { kind: 'streamable-http' | 'sse'; url: URL; fallbackToSse: boolean }
  | { kind: 'memory'; transport: unknown };

export interface ClientSettings {
  name: string;
  transport: ClientTransportSettings;
  clientInfo: Implementation;
  protocol: 'auto' | 'legacy' | McpProtocolEra;
  headers: Record<string, string>;
  auth: McpAuthPlugin | undefined;
  tls: McpTlsMaterial | undefined;
  enableCompression: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
  retryAttempts: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
  retryJitter: boolean;
  retryNonIdempotent: boolean;
  connectionPoolSize: number;
  maxConnections: number | undefined;
  maxQueuedRequests: number;
  keepaliveIntervalMs: number;
  /** Ask for progress on long operations even when the caller does not observe it. */
  requestProgress: boolean;
  maxResponseBytes: number | undefined;
  /** Options for a limiter of the client's own, or a shared RateLimitHandler. */
  rateLimit: { maxRequestsPerMinute: number; burstSize?: number } | RateLimiter | undefined;
  /** Options for a breaker of the client's own, or a shared MCPCircuitBreaker. */
  circuitBreaker:
    | { failureThreshold: number; recoveryTimeoutMs: number }
    | CircuitBreaker
    | undefined;
  /** The security policy, when `security` is configured. */
  security: MCPSecurity | undefined;
  /** Signature headers for a request body, when `security.signingKey` is set. */
  signHeaders: ((body: string) => Record<string, string>) | undefined;
  handlers: ServerRequestHandlers;
  /** Debounce for refreshing the tool list after `tools/list_changed`. */
  toolsChangedDebounceMs: number;
}

export type { TransportSpec };

const REDACTED = '[redacted]';

/** A URL as it may be printed: credentials and query masked. */
const printableUrl = (url: URL) =>
  url.href.replace(/\/\/[^/@?#]*@/, '//***@').replace(/\?.*$/, `?${REDACTED}`);

/** TLS material as it may be printed: which parts are there, never the key or passphrase. */
function printableTls(tls: McpTlsMaterial): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tls).map(([key, value]) => [
      key,
      key === 'rejectUnauthorized' || key === 'servername'
        ? value
        : key === 'cert' || key === 'ca'
          ? '[certificate]'
          : REDACTED,
    ]),
  );
}

function printableTransport(transport: ClientTransportSettings): Record<string, unknown> {
  switch (transport.kind) {
    case 'stdio':
      return {
        ...transport,
        args: redactArgs(transport.args),
        ...(transport.env ? { env: printableRecord('env', transport.env) } : {}),
      };
    case 'memory':
      return { kind: 'memory', transport: '[transport]' };
    default:
      return { ...transport, url: printableUrl(transport.url) };
  }
}

/**
 * Installs printing views on resolved settings and the parts that hold secrets (headers,
 * TLS material, a stdio server's env and args): `console.log(client)` and
 * `JSON.stringify(client.settings)` show no credential and no key text.
 */
export function withRedactedSettingsViews(settings: ClientSettings): ClientSettings {
  const transport = settings.transport;
  if (transport.kind === 'stdio') {
    redactedArgsView(transport.args);
    if (transport.env) redactedRecordView('env', transport.env);
  }
  withRedactedView(transport, () => printableTransport(transport));
  redactedRecordView('headers', settings.headers);
  const tls = settings.tls;
  if (tls) withRedactedView(tls, () => printableTls(tls));
  return withRedactedView(
    settings,
    () => ({
      ...settings,
      transport: printableTransport(transport),
      headers: printableRecord('headers', settings.headers),
      auth: settings.auth ? `[plugin ${settings.auth.name}]` : undefined,
      tls: tls ? printableTls(tls) : undefined,
      security: settings.security ? '[MCPSecurity]' : undefined,
      signHeaders: settings.signHeaders ? '[function]' : undefined,
    }),
    'ClientSettings',
  );
}
