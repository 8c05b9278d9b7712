import { describe, expect, it, vi } from 'vitest';
import * as api from '../index.js';
import {
  McpAuthError,
  McpCancelledError,
  McpCircuitOpenError,
  McpConfigError,
  McpConnectionError,
  McpError,
  McpRateLimitedError,
  McpSessionExpiredError,
  McpTimeoutError,
  McpToolError,
  isMcpError,
} from '../index.js';

type ErrorClass = (new (message: string) => Error) & { isInstance?: (v: unknown) => boolean };

const exportedErrorClasses = (module: Record<string, unknown>): [string, ErrorClass][] =>
  Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] =>
      typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
  );

describe('the McpError family', () => {
  const classes = exportedErrorClasses(api).filter(([name]) => name !== 'McpError');

  it('exports every kind the design names', () => {
    expect(classes.map(([name]) => name).sort()).toEqual(
      [
        'McpAuthError',
        'McpCancelledError',
        'McpCircuitOpenError',
        'McpConfigError',
        'McpConnectionError',
        'McpProtocolError',
        'McpRateLimitedError',
        'McpSecurityError',
        'McpSessionExpiredError',
        'McpTimeoutError',
        'McpToolError',
      ].sort(),
    );
  });

  it.each(classes)(
    '%s is branded, named and recognised across package copies',
    async (name, Class) => {
      // A second, separately evaluated copy of the package (as a nested node_modules would
      // give): instanceof fails across copies, the brand must not.
      vi.resetModules();
      const copy = (await import('../index.js')) as unknown as Record<string, ErrorClass>;
      const OtherCopy = copy[name]!;
      expect(OtherCopy).not.toBe(Class);

      const error = new Class('boom');
      const foreign = new OtherCopy('boom');
      expect(error.name).toBe(name);
      expect(typeof Class.isInstance).toBe('function');
      expect(Class.isInstance!(error)).toBe(true);
      expect(Class.isInstance!(foreign)).toBe(true);
      expect(foreign instanceof Class).toBe(false);
      expect(McpError.isInstance(foreign)).toBe(true);
      expect(Class.isInstance!(new Error('boom'))).toBe(false);
      expect(Class.isInstance!({ name, message: 'boom' })).toBe(false);
      for (const [otherName, Other] of classes) {
        if (otherName !== name) expect(Other.isInstance!(error)).toBe(false);
      }
    },
  );

  it('keeps the cause, server and method, and knows which kinds are retryable', () => {
    const cause = new Error('ECONNRESET');
    const error = new McpConnectionError('reset', {
      cause,
      server: 'db',
      method: 'tools/call',
      status: 503,
    });
    expect(error.cause).toBe(cause);
    expect(error.server).toBe('db');
    expect(error.method).toBe('tools/call');
    expect(error.status).toBe(503);
    expect(error.kind).toBe('connection');
    expect(error.retryable).toBe(true);
    expect(new McpTimeoutError('slow').retryable).toBe(true);
    expect(new McpRateLimitedError('busy', { retryAfterMs: 1200 }).retryAfterMs).toBe(1200);
    expect(new McpSessionExpiredError('gone').retryable).toBe(true);
    expect(new McpCancelledError('stop').retryable).toBe(false);
    expect(new McpCircuitOpenError('open').retryable).toBe(false);
    expect(new McpAuthError('no', { reason: 'invalid_grant' }).reason).toBe('invalid_grant');
    expect(new McpConfigError('bad', { retryable: true }).retryable).toBe(false);
    expect(new McpToolError('failed', { retryable: true }).retryable).toBe(true);
  });

  it('narrows by kind with isMcpError', () => {
    const error: unknown = new McpConfigError('bad field', {
      field: 'timeoutMs',
      expected: 'a positive number',
    });
    expect(isMcpError(error)).toBe(true);
    expect(isMcpError(error, 'config')).toBe(true);
    expect(isMcpError(error, 'timeout')).toBe(false);
    expect(isMcpError(new Error('plain'))).toBe(false);
    if (isMcpError(error, 'config') && McpConfigError.isInstance(error)) {
      expect(error.field).toBe('timeoutMs');
      expect(error.issues).toEqual([{ field: 'timeoutMs', expected: 'a positive number' }]);
    }
    const several = new McpConfigError('two problems', {
      issues: [
        { field: 'a', expected: 'x' },
        { field: 'b', expected: 'y', hint: 'did you mean "c"?' },
      ],
    });
    expect(several.issues.map((issue) => issue.field)).toEqual(['a', 'b']);
    expect(new McpConfigError('no field').issues).toEqual([]);
  });
});
