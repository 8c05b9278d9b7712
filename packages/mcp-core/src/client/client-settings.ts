// What the client needs to run, resolved from user options: one flat shape with every
// default filled, so the hot path reads fields and never checks for undefined.
import type { Implementation, McpProtocolEra } from '@tframex/mcp-api';
import type { McpAuthPlugin, McpTlsMaterial } from '@tframex/mcp-auth-api';
import type { ServerRequestHandlers, TransportSpec } from '../adapter/sdk-adapter.js';
import type { MCPSecurity } from '../security/mcp-security.js';

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
  rateLimit: { maxRequestsPerMinute: number; burstSize?: number } | undefined;
  circuitBreaker: { failureThreshold: number; recoveryTimeoutMs: number } | undefined;
  /** The security policy, when `security` is configured. */
  security: MCPSecurity | undefined;
  /** Signature headers for a request body, when `security.signingKey` is set. */
  signHeaders: ((body: string) => Record<string, string>) | undefined;
  handlers: ServerRequestHandlers;
  /** Debounce for refreshing the tool list after `tools/list_changed`. */
  toolsChangedDebounceMs: number;
}

export type { TransportSpec };
