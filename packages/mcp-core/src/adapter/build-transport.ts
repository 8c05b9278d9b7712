// Builds the SDK transport for a TransportSpec.
import {
  InMemoryTransport,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type AuthProvider,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { RequestSignalScope } from '../http/request-signal-scope.js';
import type { RequestMeter } from './request-meter.js';
import type { TransportSpec } from './sdk-types.js';

const noop = (): void => undefined;

/** The transport for `spec`, measured by `meter` at the transport itself (under any wrapper). */
export function buildTransport(
  spec: TransportSpec,
  meter: RequestMeter,
  onStderr?: (text: string) => void,
): Transport {
  const transport = baseTransport(spec, onStderr);
  meter.attachTransport(transport);
  return spec.kind === 'streamable-http' && spec.requestSignals
    ? carryRequestSignals(transport, spec.requestSignals)
    : transport;
}

function baseTransport(spec: TransportSpec, onStderr?: (text: string) => void): Transport {
  switch (spec.kind) {
    case 'stdio': {
      const transport = new StdioClientTransport({
        command: spec.command,
        args: spec.args,
        ...(spec.env ? { env: spec.env } : {}),
        ...(spec.cwd ? { cwd: spec.cwd } : {}),
        ...(spec.maxMessageBytes ? { maxBufferSize: spec.maxMessageBytes } : {}),
        stderr: 'pipe',
      });
      const stderr = transport.stderr;
      if (stderr && onStderr)
        stderr.on('data', (chunk: Buffer) => onStderr(chunk.toString('utf8')));
      else stderr?.on('data', noop);
      return transport;
    }
    case 'streamable-http':
      return new StreamableHTTPClientTransport(spec.url, {
        fetch: spec.fetch,
        ...(spec.authProvider ? { authProvider: spec.authProvider as AuthProvider } : {}),
        requestInit: { headers: spec.headers },
        // Redirects are followed by our fetch stack (allow-list + credential hygiene).
        redirectPolicy: 'follow',
        reconnectionOptions: {
          maxReconnectionDelay: 30_000,
          initialReconnectionDelay: 1_000,
          reconnectionDelayGrowFactor: 1.5,
          maxRetries: 2,
        },
      });
    case 'sse':
      return new SSEClientTransport(spec.url, {
        fetch: spec.fetch,
        ...(spec.authProvider ? { authProvider: spec.authProvider as AuthProvider } : {}),
        requestInit: { headers: spec.headers },
        redirectPolicy: 'follow',
      });
    case 'memory':
      return spec.transport as Transport;
  }
}

/**
 * The Streamable HTTP transport combines each request's own abort signal with its long-lived
 * one (`AbortSignal.any`), which on Node 20 leaves a record on the long-lived signal for
 * every request: heap that grows with every call. This wrapper keeps the request's signal
 * from the transport and runs the send in a scope where our fetch finds it; the fetch aborts
 * the exchange when either signal fires.
 */
function carryRequestSignals(transport: Transport, scope: RequestSignalScope): Transport {
  const send = (
    message: JSONRPCMessage,
    options?: Parameters<Transport['send']>[1],
  ): Promise<void> => {
    const requestSignal = options?.requestSignal;
    if (!requestSignal) return transport.send(message, options);
    const { requestSignal: _carried, ...rest } = options;
    return scope.run(requestSignal, () => transport.send(message, rest));
  };
  return new Proxy(transport, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** Creates a linked in-memory transport pair (client side first). */
export function createLinkedMemoryTransports(): [unknown, unknown] {
  return InMemoryTransport.createLinkedPair();
}
