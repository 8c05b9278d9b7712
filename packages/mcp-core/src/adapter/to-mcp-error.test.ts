// toMcpError: only failures of the network become (retryable) connection errors.
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { McpConnectionError, McpProtocolError } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { isTransientError } from '../resilience/is-transient-error.js';
import { toMcpError } from './to-mcp-error.js';

const context = { server: 'remote', method: 'tools/call', transport: 'streamable-http' as const };

function reset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
}

describe('toMcpError', () => {
  it('makes a fetch failure with a socket code a retryable connection error', () => {
    const error = toMcpError(new TypeError('fetch failed', { cause: reset() }), context);
    expect(McpConnectionError.isInstance(error)).toBe(true);
    expect(isTransientError(error)).toBe(true);
  });

  it('leaves a TypeError from user code out of the connection errors, and unretried', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'token')");
    const error = toMcpError(bug, context);
    expect(McpConnectionError.isInstance(error)).toBe(false);
    expect(McpProtocolError.isInstance(error)).toBe(true);
    expect(error.cause).toBe(bug);
    expect(isTransientError(error)).toBe(false);
    const coded = Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(isTransientError(toMcpError(coded, context))).toBe(false);
  });

  it('makes a certificate that does not verify a connection error not worth retrying', () => {
    const error = toMcpError(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('self-signed certificate'), {
          code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        }),
      }),
      context,
    );
    expect(McpConnectionError.isInstance(error)).toBe(true);
    expect(isTransientError(error)).toBe(false);
  });

  it('retries an era negotiation cut off by a reset, not one the server answered badly', () => {
    const probe = { ...context, method: 'initialize' };
    const cutOff = new SdkError(
      SdkErrorCode.EraNegotiationFailed,
      'Version negotiation probe failed: read ECONNRESET',
      { cause: reset() },
      { cause: reset() },
    );
    expect(isTransientError(toMcpError(cutOff, probe))).toBe(true);
    const nonsense = new SdkError(
      SdkErrorCode.EraNegotiationFailed,
      'Version negotiation probe failed: the server answered with an unusable reply',
      { cause: new SyntaxError('Unexpected token') },
      { cause: new SyntaxError('Unexpected token') },
    );
    const refused = toMcpError(nonsense, probe);
    expect(McpConnectionError.isInstance(refused)).toBe(true);
    expect(isTransientError(refused)).toBe(false);
  });
});
