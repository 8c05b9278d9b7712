// The hooks an app or agent gives for requests that MCP servers send back while a tool runs:
// sampling (answered by the agent's model, behind approval and a rate limit) and elicitation
// (answered by the user's hook; without one the capability is not offered).
import type { McpServerRequestContext } from '@tframex/mcp-api';
import type { SamplingRateLimit } from './sampling-rate-limiter.js';

export interface SamplingApprovalRequest {
  /** The agent whose tool call caused the request (undefined for the app-wide fallback). */
  readonly agent: string | undefined;
  /** Alias of the server that asks. */
  readonly server: string;
  /** The `sampling/createMessage` params as the server sent them. */
  readonly params: Record<string, unknown>;
  /** The tool call the request belongs to, when the session can tell. */
  readonly relatedRequest?: McpServerRequestContext['relatedRequest'];
}

export interface ElicitationRequest {
  readonly agent: string | undefined;
  readonly server: string;
  /** What the server asks, in words. */
  readonly message: string;
  /** The `elicitation/create` params as the server sent them (`requestedSchema`, `mode`, `url`). */
  readonly params: Record<string, unknown>;
  readonly signal: AbortSignal;
}

/** MCP's ElicitResult: `accept` with `content`, `decline` or `cancel`. */
export interface ElicitationAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}

export interface ServerRequestHooks {
  /**
   * Serve servers' `sampling/createMessage` with the agent's model (default true). False makes
   * such requests fail, as from a client without the capability.
   */
  sampling?: boolean;
  /** Decides on each sampling request (default: allowed, within the rate limit). */
  approveSampling?: (request: SamplingApprovalRequest) => boolean | Promise<boolean>;
  /** At most this many sampling requests per window, app-wide (default 20 per 60 s). */
  samplingRateLimit?: SamplingRateLimit;
  /** Longest completion a server may ask for, in tokens (default 4096; larger asks are cut). */
  maxSamplingTokens?: number;
  /**
   * Answers servers' elicitation requests. Without it the client does not offer elicitation,
   * and a server that asks anyway gets an error.
   */
  onElicitation?: (request: ElicitationRequest) => ElicitationAnswer | Promise<ElicitationAnswer>;
}
