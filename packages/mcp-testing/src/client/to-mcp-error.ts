// Maps what the official SDK client throws onto the McpError family, by error class, code
// and HTTP status (never by message text).
import {
  isMcpError,
  McpAuthError,
  McpCancelledError,
  McpConnectionError,
  McpProtocolError,
  McpRateLimitedError,
  McpSessionExpiredError,
  McpTimeoutError,
  type McpError,
} from '@tframex/mcp-api';
import { parseWwwAuthenticate } from '@tframex/mcp-auth-api';
import {
  InsufficientScopeError,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import type { HttpObservation } from './http-observer.js';

export interface ErrorContext {
  server: string;
  method: string;
  /** `streamable-http`, `memory` or `stdio`. */
  transport: string;
  signal?: AbortSignal;
  timeoutMs: number;
  phase: 'connect' | 'request';
  http?: HttpObservation;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fromStatus(status: number, error: unknown, context: ErrorContext): McpError {
  const base = { cause: error, server: context.server, method: context.method };
  const http = context.http;
  if (status === 401)
    return new McpAuthError(`${context.method} was refused: 401 Unauthorized`, {
      ...base,
      status,
      reason: 'unauthorized',
    });
  if (status === 403) {
    const insufficient = parseWwwAuthenticate(http?.wwwAuthenticate).some(
      (challenge) => challenge.params['error'] === 'insufficient_scope',
    );
    return new McpAuthError(`${context.method} was refused: 403 Forbidden`, {
      ...base,
      status,
      reason: insufficient ? 'insufficient_scope' : 'access_denied',
    });
  }
  if (status === 404 && http?.sessionId !== undefined) {
    return new McpSessionExpiredError(`The server no longer knows session ${http.sessionId}`, {
      ...base,
      sessionId: http.sessionId,
    });
  }
  if (status === 429) {
    return new McpRateLimitedError(`${context.method} was rate limited (429)`, {
      ...base,
      source: 'server',
      ...(http?.retryAfterMs === undefined ? {} : { retryAfterMs: http.retryAfterMs }),
    });
  }
  if (status >= 500) {
    return new McpConnectionError(`${context.method} failed: HTTP ${status}`, {
      ...base,
      status,
      transport: context.transport,
      ...(http?.retryAfterMs === undefined ? {} : { retryAfterMs: http.retryAfterMs }),
    });
  }
  return new McpProtocolError(`${context.method} was refused: HTTP ${status}`, {
    ...base,
    code: -32600,
    data: { status },
  });
}

export function toMcpError(error: unknown, context: ErrorContext): McpError {
  if (isMcpError(error)) return error;
  const base = { cause: error, server: context.server, method: context.method };
  if (context.signal?.aborted) {
    return new McpCancelledError(`${context.method} was cancelled`, {
      ...base,
      reason: context.signal.reason,
    });
  }
  if (error instanceof ProtocolError) {
    return new McpProtocolError(message(error), { ...base, code: error.code, data: error.data });
  }
  if (error instanceof InsufficientScopeError) {
    return new McpAuthError(message(error), { ...base, status: 403, reason: 'insufficient_scope' });
  }
  if (error instanceof UnauthorizedError) {
    return new McpAuthError(message(error), { ...base, status: 401, reason: 'unauthorized' });
  }
  if (error instanceof SdkHttpError) {
    if (error.code === SdkErrorCode.ClientHttpAuthentication) {
      return new McpAuthError(message(error), {
        ...base,
        status: error.status,
        reason: 'unauthorized',
      });
    }
    if (error.code === SdkErrorCode.ClientHttpForbidden) return fromStatus(403, error, context);
    return fromStatus(error.status, error, context);
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new McpTimeoutError(`${context.method} timed out after ${context.timeoutMs} ms`, {
          ...base,
          timeoutMs: context.timeoutMs,
          phase: context.phase,
        });
      case SdkErrorCode.InvalidResult:
      case SdkErrorCode.UnsupportedResultType:
      case SdkErrorCode.ClientHttpUnexpectedContent:
      case SdkErrorCode.ListPaginationExceeded:
      case SdkErrorCode.InputRequiredRoundsExceeded:
        return new McpProtocolError(message(error), { ...base, code: -32603, data: error.data });
      case SdkErrorCode.CapabilityNotSupported:
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        return new McpProtocolError(message(error), { ...base, code: -32601, data: error.data });
      default:
        break;
    }
  }
  if (context.http?.status !== undefined) return fromStatus(context.http.status, error, context);
  if (error instanceof SyntaxError)
    return new McpProtocolError(message(error), { ...base, code: -32700 });
  return new McpConnectionError(message(error), { ...base, transport: context.transport });
}
