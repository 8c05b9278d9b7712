// MCPConfig: everything needed to reach and use one MCP server, as users write it
// (MCPConfigOptions) and as the client reads it after validation (MCPConfig, defaults filled).
import type { McpAuthPlugin } from '@tframex/mcp-auth-api';
import type { MCPSecurity, MCPSecurityOptions } from '../security/mcp-security.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';

/** Anything with the SDK Transport's `start`/`send`/`close` (e.g. one end of an in-memory pair). */
export interface McpTransportLike {
  start(): Promise<void>;
  send(message: unknown, options?: unknown): Promise<void>;
  close(): Promise<void>;
}

export type MCPTransportType = 'streamable-http' | 'sse' | 'stdio' | 'memory';
export type MCPAuthMethod = 'bearer' | 'basic' | 'oauth2';
export type MCPProtocolMode = 'auto' | 'legacy' | 'modern';

export interface MCPRateLimitOptions {
  /** Sustained rate. */
  maxRequestsPerMinute: number;
  /** Requests that may go at once after a quiet spell (default: one second's worth, at least 1). */
  burstSize?: number;
}

export interface MCPCircuitBreakerOptions {
  /** Consecutive connection failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before a probe (default 30 000). */
  recoveryTimeoutMs?: number;
}

/** How to reach and use one MCP server, as written by users. Give exactly one of `serverUrl`, `command` or `transport`. */
export interface MCPConfigOptions {
  /** Alias of the server (letters, digits, `_ . -`, ≤ 64); default derived from the URL host or the command. */
  name?: string;

  /** HTTP(S) endpoint of the server. */
  serverUrl?: string | URL;
  /**
   * `streamable-http` (the default for URLs, falling back to legacy SSE when the server
   * refuses it, unless `sseFallback: false`) or `sse`. `stdio` and `memory` are implied by
   * `command` and `transport`.
   */
  transportType?: MCPTransportType;
  /** Fall back to legacy SSE when Streamable HTTP is refused (default: true when `transportType` is not given). */
  sseFallback?: boolean;

  /** Executable of a stdio server (`npx`, `/usr/local/bin/server`). */
  command?: string;
  args?: string[];
  /** Environment of the server process. */
  env?: Record<string, string>;
  /** Working directory of the server process. */
  cwd?: string;

  /** An already-made transport (in-memory pair, custom); the client starts and closes it. */
  transport?: McpTransportLike;

  /** API key, sent in `apiKeyHeader`. */
  apiKey?: string;
  /** Header that carries `apiKey` (default `X-API-Key`; the value is sent as is). */
  apiKeyHeader?: string;
  /** Any auth plugin (`new OAuth2Auth(...)` from @tframex/mcp-auth, or your own). */
  auth?: McpAuthPlugin;
  /** Shorthand auth: `bearer` (`token`), `basic` (`username`, `password`), `oauth2` (see `createAuthPluginFromConfig`). */
  authMethod?: MCPAuthMethod;
  token?: string;
  username?: string;
  password?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  scopes?: string[] | string;

  /** Time budget of one request (default 60 000; restarts with each progress report). */
  timeoutMs?: number;
  /** Time budget of connecting and the handshake (default 10 000). */
  connectTimeoutMs?: number;

  /** Retries after the first attempt (default 3: up to 4 calls). */
  retryAttempts?: number;
  /** Backoff base (default 250). */
  retryDelayMs?: number;
  /** Backoff cap (default 10 000). */
  retryMaxDelayMs?: number;
  /** Full jitter on backoff (default true). */
  retryJitter?: boolean;
  /** Replay non-idempotent tool calls after any transient failure (default false). */
  retryNonIdempotent?: boolean;

  /** Most requests in flight at once, over every pooled session (default: no cap); more wait. */
  maxConnections?: number;
  /** MCP sessions kept open to the server (default 1). */
  connectionPoolSize?: number;
  /** Requests that may wait for a connection; more are refused (default 1 000). */
  maxQueuedRequests?: number;

  /** Check the server's TLS certificate (default true). Turn off only for tests. */
  verifySsl?: boolean;
  /** Client certificate chain (with `clientKey`) for mutual TLS: PEM text or a PEM file's path. */
  clientCert?: string;
  /** Private key of `clientCert`: PEM text or a PEM file's path. */
  clientKey?: string;
  /** Passphrase of an encrypted `clientKey`; checked when the options are parsed, never shown. */
  clientKeyPassphrase?: string;
  /** Certificate authorities to trust instead of the default set: PEM text or file paths. */
  ca?: string | string[];
  /** Accept compressed responses (default true). */
  enableCompression?: boolean;
  /** Ping an idle connection this often; 0 turns it off (default 0; at least 1 000 otherwise). */
  keepaliveIntervalMs?: number;
  /**
   * Ask servers for progress on every tools/call, resources/read and prompts/get, so the
   * time budget restarts with each report and long tools that report progress never time
   * out (default true). `false` asks only when the call passes `onProgress`: a little
   * cheaper per call, but long calls then end at `timeoutMs` whatever they report.
   */
  requestProgress?: boolean;
  /** Protocol era: `auto` negotiates (default), `legacy` is 2025-11-25 and before, `modern` 2026-07-28. */
  protocol?: MCPProtocolMode;
  /** Extra HTTP headers for every request. */
  headers?: Record<string, string>;

  /** Options for a limiter of this client's own, or a `RateLimitHandler` shared by several clients. */
  rateLimit?: MCPRateLimitOptions | RateLimiter;
  /** Options for a breaker of this client's own, or an `MCPCircuitBreaker` shared by several clients. */
  circuitBreaker?: MCPCircuitBreakerOptions | CircuitBreaker;
  /**
   * The security policy: `new MCPSecurity({...})` (shareable between clients) or its
   * options as a plain object. Anything else is a config error.
   */
  security?: MCPSecurityOptions | MCPSecurity;
  /** Largest response body accepted, in bytes (default: no limit). */
  maxResponseBytes?: number;
}

/** A validated MCPConfig with every default filled. Parsing it again gives it back unchanged. */
export interface MCPConfig {
  name: string;
  transportType: MCPTransportType;
  /** Normalised URL, for `streamable-http` and `sse`. */
  serverUrl?: string;
  /** For `streamable-http`. */
  sseFallback?: boolean;
  command?: string;
  /** For `stdio` (default []). */
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  transport?: McpTransportLike;

  apiKey?: string;
  /** Set when `apiKey` is. */
  apiKeyHeader?: string;
  auth?: McpAuthPlugin;
  authMethod?: MCPAuthMethod;
  token?: string;
  username?: string;
  password?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  scopes?: string[];

  timeoutMs: number;
  connectTimeoutMs: number;
  retryAttempts: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
  retryJitter: boolean;
  retryNonIdempotent: boolean;
  maxConnections?: number;
  connectionPoolSize: number;
  maxQueuedRequests: number;
  verifySsl: boolean;
  clientCert?: string;
  clientKey?: string;
  clientKeyPassphrase?: string;
  ca?: string | string[];
  enableCompression: boolean;
  keepaliveIntervalMs: number;
  requestProgress: boolean;
  protocol: MCPProtocolMode;
  headers: Record<string, string>;
  rateLimit?: Required<MCPRateLimitOptions> | RateLimiter;
  circuitBreaker?: Required<MCPCircuitBreakerOptions> | CircuitBreaker;
  security?: MCPSecurityOptions | MCPSecurity;
  /** The smaller of `maxResponseBytes` and `security.maxResponseBytes`, when either is set. */
  maxResponseBytes?: number;
}
