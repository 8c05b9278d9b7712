// Maps anything the SDK (or fetch beneath it) throws onto the McpError family.
import {
  InsufficientScopeError,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import {
  McpAuthError,
  McpCancelledError,
  McpConnectionError,
  McpError,
  McpProtocolError,
  McpTimeoutError,
} from '@tframex/mcp-api';
import { CONNECTION_LOST_MARKER } from '../http/mcp-fetch.js';
import { networkFailureOf } from '../resilience/network-failure.js';
import type { TransportKind } from './sdk-types.js';

function mcpErrorInCauses(error: unknown): McpError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (McpError.isInstance(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Set by our fetch on the error it synthesises when an answer stream breaks. */
function isConnectionLost(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as Record<string, unknown>)[CONNECTION_LOST_MARKER] === true
  );
}

/** JSON-RPC error of a 2026-07-28 server whose `Mcp-Param-*` headers disagree with the body. */
export const HEADER_MISMATCH_ERROR_CODE = -32020;

/** A JSON-RPC error that the SDK wraps as a ProtocolError. */
export function protocolCode(error: unknown): number | undefined {
  return error instanceof ProtocolError ? error.code : undefined;
}

/**
 * Maps anything the SDK (or fetch beneath it) throws onto the McpError family. `signal`
 * tells a caller's abort from a timeout: the SDK rejects both with RequestTimeout.
 */
export function toMcpError(
  error: unknown,
  context: {
    server: string;
    method: string;
    transport: TransportKind;
    signal?: AbortSignal;
    timeoutMs?: number;
    closing?: boolean;
  },
): McpError {
  const base = { server: context.server, method: context.method, cause: error };
  if (McpError.isInstance(error)) return error;
  // Our fetch stack throws McpErrors (security refusals, 429s, lost sessions); the SDK may
  // wrap them (e.g. in a failed version probe). The McpError is the true reason.
  const inner = mcpErrorInCauses(error);
  if (inner) return inner;
  if (context.signal?.aborted) {
    return new McpCancelledError(`${context.method} to "${context.server}" was cancelled`, {
      ...base,
      reason: context.signal.reason,
    });
  }
  if (error instanceof SdkHttpError) {
    const status = error.status;
    if (status === 401)
      return new McpAuthError(`"${context.server}" refused the credentials (HTTP 401)`, {
        ...base,
        reason: 'unauthorized',
        status,
      });
    if (status === 403)
      return new McpAuthError(`"${context.server}" denied access (HTTP 403)`, {
        ...base,
        reason: 'access_denied',
        status,
      });
    const retryable = status === 408 || status === 429 || status >= 500;
    return new McpConnectionError(
      `"${context.server}" answered HTTP ${status} to ${context.method}`,
      {
        ...base,
        status,
        transport: context.transport,
        retryable,
      },
    );
  }
  // A 403 insufficient_scope that no auth plugin could step up past (or none was given).
  if (error instanceof InsufficientScopeError) {
    return new McpAuthError(
      `"${context.server}" needs more scope than the credentials carry${error.requiredScope ? ` (${error.requiredScope})` : ''}`,
      { ...base, reason: 'insufficient_scope', status: 403 },
    );
  }
  if (error instanceof UnauthorizedError) {
    return new McpAuthError(`"${context.server}" requires authorization`, {
      ...base,
      reason: 'unauthorized',
      status: 401,
    });
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new McpTimeoutError(
          `${context.method} to "${context.server}" timed out after ${context.timeoutMs ?? '?'} ms`,
          {
            ...base,
            timeoutMs: context.timeoutMs,
            phase: context.method === 'initialize' ? 'connect' : 'request',
          },
        );
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
      case SdkErrorCode.SendFailed:
        if (context.closing) {
          return new McpCancelledError(
            `${context.method} to "${context.server}" was cancelled: the client closed`,
            base,
          );
        }
        return new McpConnectionError(
          `the connection to "${context.server}" closed during ${context.method}`,
          { ...base, transport: context.transport },
        );
      case SdkErrorCode.CapabilityNotSupported:
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        return new McpProtocolError(
          `"${context.server}" does not support ${context.method}: ${error.message}`,
          { ...base, code: -32601 },
        );
      case SdkErrorCode.EraNegotiationFailed:
        // The probe failed in our own code (a user's auth plugin threw): that error it is.
        if (error.cause instanceof TypeError && networkFailureOf(error) === undefined)
          return toMcpError(error.cause, context);
        // A probe cut off by the network (a reset under load) is a connect failure like any
        // other and worth another try; a server that answered nonsense is not.
        return new McpConnectionError(
          `could not agree on a protocol version with "${context.server}": ${error.message}`,
          {
            ...base,
            transport: context.transport,
            retryable: networkFailureOf(error) === 'transient',
          },
        );
      default:
        return new McpProtocolError(
          `${context.method} to "${context.server}" failed: ${error.message}`,
          { ...base, code: -32603, data: error.data },
        );
    }
  }
  const code = protocolCode(error);
  if (error instanceof ProtocolError && isConnectionLost(error.data)) {
    return new McpConnectionError(
      `the connection to "${context.server}" broke during ${context.method}`,
      { ...base, transport: context.transport },
    );
  }
  if (code !== undefined && error instanceof ProtocolError) {
    return new McpProtocolError(
      `"${context.server}" rejected ${context.method}: ${error.message}`,
      { ...base, code, data: error.data },
    );
  }
  // Failures of the network (refused, reset, DNS, TLS) carry Node or undici codes, often
  // under a TypeError from fetch. Any other error (a TypeError from a user's auth plugin or
  // handler) is no connection failure: retrying it would only repeat the bug.
  const network = networkFailureOf(error);
  if (network !== undefined) {
    return new McpConnectionError(
      `cannot reach "${context.server}": ${error instanceof Error ? error.message : String(error)}`,
      {
        ...base,
        transport: context.transport,
        ...(network === 'permanent' ? { retryable: false } : {}),
      },
    );
  }
  return new McpProtocolError(
    `${context.method} to "${context.server}" failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      ...base,
      code: -32603,
    },
  );
}
