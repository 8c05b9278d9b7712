// The context a mock handler receives: cancellation, who is calling and how, and the
// server-to-client traffic a handler may start (progress, logs, sampling, elicitation).
import type { LoggingLevel, McpProtocolEra } from '@tframex/mcp-api';
import type {
  AuthInfo,
  CreateMessageRequest,
  CreateMessageResult,
  CreateMessageResultWithTools,
  ElicitRequestFormParams,
  ElicitRequestURLParams,
  ElicitResult,
  ServerContext,
} from '@modelcontextprotocol/server';
import { createAsk, type ClientAskMethod } from './client-asks.js';
import type { MockTransportKind } from './transport-kind.js';

export interface MockRequestContext {
  /** Aborted when the client cancels the request or the connection ends. */
  readonly signal: AbortSignal;
  readonly requestId: string | number;
  readonly method: string;
  readonly era: McpProtocolEra;
  readonly transport: MockTransportKind;
  /** `Mcp-Session-Id` of a legacy HTTP session. */
  readonly sessionId: string | undefined;
  /** HTTP request headers, lower-case names (HTTP only). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Who the request authenticated as, when the server requires auth. */
  readonly auth: AuthInfo | undefined;
  /** The request's `_meta`, without the reserved protocol envelope keys. */
  readonly meta: Record<string, unknown> | undefined;
  /** Reports progress, when the client asked for it (sent a progress token); otherwise a no-op. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends a log message (`notifications/message`), filtered by the client's level. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /**
   * Asks the client for input (`elicitation/create`). Legacy era only: the 2026-07-28
   * revision has no server-to-client requests (return `inputRequired(...)` via `sdk` there).
   */
  elicit(params: ElicitRequestFormParams | ElicitRequestURLParams): Promise<ElicitResult>;
  /** Asks the client to sample an LLM (`sampling/createMessage`). Legacy era only, like `elicit`. */
  sample(
    params: CreateMessageRequest['params'],
  ): Promise<CreateMessageResult | CreateMessageResultWithTools>;
  /**
   * Asks the client (sampling, elicitation, roots) in either era and resolves with its answer.
   * Legacy connections get a server-to-client request. On 2026-07-28 connections a tool
   * handler stops at the question, the tool answers `input_required`, and the handler runs
   * again from the start when the client calls back with the answer (so code before an `ask`
   * runs once per round). Tools only, in the modern era.
   */
  ask(method: ClientAskMethod, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The official SDK's handler context, for anything not covered above. */
  readonly sdk: ServerContext;
}

/** How the instance that handles a request is connected. */
export interface InstanceBinding {
  readonly transport: MockTransportKind;
  readonly era: McpProtocolEra;
  readonly sessionId: () => string | undefined;
}

function headersOf(request: Request | undefined): Record<string, string> | undefined {
  if (!request) return undefined;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return headers;
}

export function createRequestContext(
  sdk: ServerContext,
  binding: InstanceBinding,
): MockRequestContext {
  const { mcpReq } = sdk;
  const progressToken = mcpReq._meta?.progressToken;
  return {
    signal: mcpReq.signal,
    requestId: mcpReq.id,
    method: mcpReq.method,
    era: binding.era,
    transport: binding.transport,
    sessionId: binding.sessionId() ?? sdk.sessionId,
    headers: headersOf(sdk.http?.req),
    auth: sdk.http?.authInfo,
    meta: mcpReq._meta as Record<string, unknown> | undefined,
    async progress(progress, total, message) {
      if (progressToken === undefined) return;
      await mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message }),
        },
      });
    },
    log: (level, data, logger) => mcpReq.log(level, data, logger),
    elicit: (params) => mcpReq.elicitInput(params),
    sample: (params) => mcpReq.requestSampling(params),
    ask: createAsk(sdk, binding.era),
    sdk,
  };
}
