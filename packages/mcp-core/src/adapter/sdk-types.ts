// The shapes the SDK adapter speaks with the rest of mcp-core: how to reach a server, which
// server requests the client answers, per-request options. No SDK import here.
import type { RequestSignalScope } from '../http/request-signal-scope.js';
import type { McpError, McpProgress, McpProtocolEra, Implementation } from '@tframex/mcp-api';

/** The 2026-07-28 revision: the first of the modern (stateless) era. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** How to reach a server. Built by the client from MCPConfig. */
export type TransportSpec =
  | {
      kind: 'stdio';
      command: string;
      args: string[];
      env?: Record<string, string>;
      cwd?: string;
      /** Largest message the server may write, in bytes. */
      maxMessageBytes?: number;
    }
  | {
      kind: 'streamable-http' | 'sse';
      url: URL;
      headers: Record<string, string>;
      fetch: FetchLike;
      /** Where our fetch finds each request's own abort signal (see build-transport). */
      requestSignals?: RequestSignalScope;
      /** The SDK's own auth machinery (an `AuthProvider` or `OAuthClientProvider`), from `McpAuthPlugin.oauthProvider()`. */
      authProvider?: object;
    }
  | { kind: 'memory'; transport: unknown };

export type TransportKind = TransportSpec['kind'];

/** Server-initiated requests the client can answer, in MCP's JSON shapes. */
export interface ServerRequestHandlers {
  sampling?: (
    params: Record<string, unknown>,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  elicitation?: (
    params: Record<string, unknown>,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  roots?: () => Promise<{ roots: { uri: string; name?: string }[] }>;
}

export interface SdkConnectionOptions {
  clientInfo: Implementation;
  /** `auto` negotiates; `legacy` speaks 2025-11-25; `modern` pins 2026-07-28. */
  protocol: 'auto' | 'legacy' | 'modern';
  handlers: ServerRequestHandlers;
  /** Every server notification except progress (which reaches the request's onProgress). */
  onNotification: (method: string, params: Record<string, unknown> | undefined) => void;
  /** The connection ended without `close()` being called (process exit, stream lost). */
  onUnexpectedClose: (reason: McpError) => void;
  /** Transport-level errors that belong to no request (a dropped GET stream, stderr noise). */
  onTransportError?: (error: McpError) => void;
  /** Lines the stdio server wrote to stderr. */
  onStderr?: (text: string) => void;
  /** A known era from an earlier connect, to skip the probe (stdio spawns a probe process). */
  knownEra?: McpProtocolEra;
}

export interface SdkRequestOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** Ask the server for progress on long operations even without `onProgress` (default true). */
  requestProgress?: boolean;
  onProgress?: (progress: McpProgress) => void;
  meta?: Record<string, unknown>;
  /** Filled by the adapter while the request runs: what the caller wants to learn of it. */
  report?: SdkRequestReport;
}

/** A server's cache hints for a result (2026-07-28 `ttlMs` / `cacheScope`). */
export interface SdkCacheHints {
  ttlMs?: number;
  scope?: string;
}

/**
 * What one request learned on its way, handed back by value: the caller makes one per
 * attempt and reads it once the request settled. Nothing is kept beside results.
 */
export interface SdkRequestReport {
  /** Set by the caller: measure the request and its response (costs a serialization each). */
  countBytes?: boolean;
  cacheHints?: SdkCacheHints;
  /** Serialized size (UTF-8) of the JSON-RPC request(s) sent, every page included. */
  bytesSent?: number;
  /** Serialized size (UTF-8) of the JSON-RPC response(s) received. */
  bytesReceived?: number;
}

export interface SdkSubscriptionHandle {
  readonly honoredFilter: {
    resources: string[];
    toolsListChanged: boolean;
    resourcesListChanged: boolean;
    promptsListChanged: boolean;
  };
  close(): Promise<void>;
  readonly closed: Promise<'local' | 'graceful' | 'remote'>;
}
