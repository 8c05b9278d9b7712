import { describe, expect, it } from 'vitest';
import { McpConnectionError } from '@tframex/mcp-api';
import { errorCodes, findErrorCode, TRANSIENT_NETWORK_CODES } from './network-error-code.js';
import { isSafeToReplay } from './is-safe-to-replay.js';

const withCode = (code: string, cause?: unknown) =>
  Object.assign(new Error('x', cause === undefined ? undefined : { cause }), { code });

describe('errorCodes', () => {
  it('walks causes and aggregated errors, nearest first', () => {
    const error = new McpConnectionError('wrapped', {
      cause: new TypeError('fetch failed', {
        cause: new AggregateError([withCode('ENETUNREACH'), withCode('ECONNREFUSED')]),
      }),
    });
    expect(errorCodes(error)).toEqual(['ENETUNREACH', 'ECONNREFUSED']);
    expect(findErrorCode(error, TRANSIENT_NETWORK_CODES)).toBe('ENETUNREACH');
  });

  it('survives cycles and non-errors', () => {
    const a = withCode('EPIPE') as Error & { cause?: unknown };
    const b = withCode('ECONNRESET', a);
    a.cause = b;
    expect(errorCodes(a)).toEqual(['EPIPE', 'ECONNRESET']);
    expect(errorCodes('text')).toEqual([]);
    expect(errorCodes(null)).toEqual([]);
  });
});

describe('isSafeToReplay', () => {
  it('is true only when the request cannot have reached the server', () => {
    expect(isSafeToReplay(withCode('ECONNREFUSED'))).toBe(true);
    expect(isSafeToReplay(withCode('ENOTFOUND'))).toBe(true);
    expect(isSafeToReplay(new McpConnectionError('429', { status: 429 }))).toBe(true);
    expect(isSafeToReplay(withCode('ECONNRESET'))).toBe(false);
    expect(isSafeToReplay(withCode('ETIMEDOUT'))).toBe(false);
    expect(isSafeToReplay(new McpConnectionError('502', { status: 502 }))).toBe(false);
    expect(isSafeToReplay(new Error('unknown'))).toBe(false);
  });
});
