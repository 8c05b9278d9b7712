// Vitest matchers over what a MockMCPServer recorded: `expect(server).toHaveCalledTool('search')`.
import { expect } from 'vitest';
import type { RecordedRequest } from '../recording/recorded-request.js';

/** What the matchers read: a MockMCPServer, or anything exposing the same recording. */
export interface RecordingSource {
  readonly requests: RecordedRequest[];
  callsTo(tool: string): RecordedRequest[];
}

export interface McpMatchers<R = unknown> {
  /** The server received a `tools/call` of `name` (with arguments equal to `args`, when given). */
  toHaveCalledTool(name: string, args?: Record<string, unknown>): R;
  /** The server received exactly `times` calls of `name`. */
  toHaveCalledToolTimes(name: string, times: number): R;
  /** The server received a request with this method (and params equal to `params`, when given). */
  toHaveReceivedRequest(method: string, params?: Record<string, unknown>): R;
}

interface MatcherState {
  isNot: boolean;
  equals(a: unknown, b: unknown): boolean;
  utils: { printExpected(value: unknown): string; printReceived(value: unknown): string };
}

function isSource(value: unknown): value is RecordingSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as RecordingSource).requests) &&
    typeof (value as RecordingSource).callsTo === 'function'
  );
}

function notASource(received: unknown) {
  return {
    pass: false,
    message: () =>
      `expected a MockMCPServer (something with requests and callsTo), received ${String(received)}`,
  };
}

/** The matchers, for `expect.extend(mcpMatchers)`. */
export const mcpMatchers = {
  toHaveCalledTool(
    this: MatcherState,
    received: unknown,
    name: string,
    args?: Record<string, unknown>,
  ) {
    if (!isSource(received)) return notASource(received);
    const calls = received.callsTo(name);
    const pass = calls.some(
      (call) => args === undefined || this.equals(call.arguments ?? {}, args),
    );
    const withArgs = args === undefined ? '' : ` with ${this.utils.printExpected(args)}`;
    return {
      pass,
      message: () =>
        pass
          ? `expected no call of tool ${name}${withArgs}, but there was one`
          : `expected a call of tool ${name}${withArgs}; calls received: ${this.utils.printReceived(calls.map((call) => call.arguments))}`,
    };
  },
  toHaveCalledToolTimes(this: MatcherState, received: unknown, name: string, times: number) {
    if (!isSource(received)) return notASource(received);
    const count = received.callsTo(name).length;
    return {
      pass: count === times,
      message: () =>
        `expected tool ${name} to be called ${this.isNot ? 'not ' : ''}${times} times, it was called ${count} times`,
    };
  },
  toHaveReceivedRequest(
    this: MatcherState,
    received: unknown,
    method: string,
    params?: Record<string, unknown>,
  ) {
    if (!isSource(received)) return notASource(received);
    const requests = received.requests.filter((request) => request.method === method);
    const pass = requests.some(
      (request) => params === undefined || this.equals(request.params ?? {}, params),
    );
    return {
      pass,
      message: () =>
        pass
          ? `expected no ${method} request${params === undefined ? '' : ` with ${this.utils.printExpected(params)}`}, but there was one`
          : `expected a ${method} request${params === undefined ? '' : ` with ${this.utils.printExpected(params)}`}; received: ${this.utils.printReceived(requests.map((request) => request.params))}`,
    };
  },
};

/** Registers the matchers with vitest's `expect` (call once, e.g. in a setup file). */
export function installMcpMatchers(): void {
  expect.extend(mcpMatchers);
}

declare module 'vitest' {
  // Interfaces merge with vitest's own; the type parameter must match its declaration.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type, @typescript-eslint/no-empty-interface
  interface Assertion<T = any> extends McpMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-empty-interface
  interface AsymmetricMatchersContaining extends McpMatchers {}
}
