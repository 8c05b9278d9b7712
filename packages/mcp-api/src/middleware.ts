// McpMiddleware: hooks around every MCP request (not just HTTP fetches).

/** A request on its way to the server. Middleware may return a modified copy. */
export interface McpRequest {
  /** MCP method: `tools/call`, `resources/read`, `tools/list`, ... */
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  /** Alias of the server. */
  readonly server: string;
  /** Tool name, prompt name or resource URI the request is about, when there is one. */
  readonly target: string | undefined;
  /** 1 for the first attempt, 2+ for retries. */
  readonly attempt: number;
  /** Scratch space shared by the middleware of one request. */
  readonly context: Map<string, unknown>;
}

/** Where a response came from. */
export type McpResponseSource = 'server' | 'cache' | 'middleware';

/** A response on its way back to the caller. */
export interface McpResponse {
  readonly request: McpRequest;
  readonly result: unknown;
  readonly durationMs: number;
  readonly source: McpResponseSource;
  /** Cache hints from the server (modern era): how long, and for whom, the result may be reused. */
  readonly cache?: { ttlMs?: number; scope?: 'private' | 'public' | string };
}

export type Awaitable<T> = T | Promise<T>;

/**
 * Runs around every request, in registration order on the way out and reverse order on
 * the way back (an onion):
 * - `beforeRequest` may return a changed request, or a response to answer without the server;
 * - `afterResponse` may return a changed response;
 * - `onError` may return a response to recover, or nothing to let the error through.
 */
export interface McpMiddleware {
  readonly name: string;
  beforeRequest?(request: McpRequest): Awaitable<McpRequest | McpResponse | void>;
  afterResponse?(response: McpResponse): Awaitable<McpResponse | void>;
  onError?(error: unknown, request: McpRequest): Awaitable<McpResponse | void>;
}

/** Tells a response from a request in what `beforeRequest` returned. */
export function isMcpResponse(value: unknown): value is McpResponse {
  return typeof value === 'object' && value !== null && 'result' in value && 'request' in value;
}
