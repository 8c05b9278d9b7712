// What the server recorded about one request, for assertions.
import type { McpProtocolEra } from '@tframex/mcp-api';
import type { FaultType } from '../faults/fault.js';
import type { MockTransportKind } from '../server/transport-kind.js';

/** How a recorded request ended, as the server saw it. */
export type RecordedOutcome =
  /** No answer yet. */
  | { type: 'pending' }
  /** Answered with a result (a tool error is a result with `isError: true`). */
  | { type: 'result'; result: Record<string, unknown> }
  /** Answered with a JSON-RPC error. */
  | { type: 'error'; code: number; message: string; data?: unknown }
  /** Refused at the HTTP level (auth, unknown session, an injected status) before MCP saw it. */
  | { type: 'http-error'; status: number }
  /** An injected fault decided what the client saw (stall, drop, malformed frame...). */
  | { type: 'fault'; fault: FaultType }
  /** The connection ended before the request was answered. */
  | { type: 'closed' };

export interface RecordedRequest {
  /** Arrival order across the whole server, from 1. */
  readonly seq: number;
  /** JSON-RPC id, as the client sent it. */
  readonly id: string | number;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  /** Tool or prompt name, or resource URI, the request is about. */
  readonly target: string | undefined;
  /** `params.arguments` of `tools/call` and `prompts/get`. */
  readonly arguments: Record<string, unknown> | undefined;
  readonly transport: MockTransportKind;
  readonly era: McpProtocolEra;
  /** `Mcp-Session-Id` of a legacy HTTP session (for `initialize`, the session it opened). */
  readonly sessionId: string | undefined;
  /** HTTP request headers, lower-case names (HTTP only). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Epoch milliseconds at arrival. */
  readonly startedAt: number;
  /** Time from arrival to answer, once answered. */
  readonly durationMs: number | undefined;
  readonly outcome: RecordedOutcome;
  /** Faults injected into this request, in the order they acted. */
  readonly faults: readonly FaultType[];
  /** Resolves with this record once it is no longer pending. */
  readonly settled: Promise<RecordedRequest>;
}

/** A notification the client sent (`notifications/initialized`, `notifications/cancelled`, ...). */
export interface RecordedNotification {
  readonly seq: number;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  readonly transport: MockTransportKind;
  readonly era: McpProtocolEra;
  readonly sessionId: string | undefined;
  readonly receivedAt: number;
}
