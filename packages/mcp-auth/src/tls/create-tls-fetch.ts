// createTlsFetch: a fetch whose connections present a client certificate and trust the
// given CAs (mutual TLS), through an undici Agent. Node's global fetch takes no TLS options,
// so this is how client certificates reach HTTP clients that accept a `fetch`.
import type { FetchFunction, McpTlsMaterial } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { Agent, fetch as undiciFetch } from 'undici';
import { tlsConnectOptions } from './tls-connect-options.js';

export interface TlsFetch extends FetchFunction {
  /** The undici Agent the connections go through (pass it as `dispatcher` to undici APIs). */
  readonly dispatcher: Agent;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

export interface CreateTlsFetchOptions {
  /** Keep idle connections this long (default 30 000 ms). */
  keepAliveTimeoutMs?: number;
}

/** A fetch that uses `material` on every TLS connection it opens. */
export function createTlsFetch(
  material: McpTlsMaterial | undefined,
  options: CreateTlsFetchOptions = {},
): TlsFetch {
  if (material !== undefined && (typeof material !== 'object' || material === null)) {
    throw new McpConfigError('createTlsFetch: material must be TLS material from a plugin', {
      field: 'material',
      expected: 'an McpTlsMaterial object (from plugin.tls()) or undefined',
    });
  }
  const dispatcher = new Agent({
    connect: tlsConnectOptions(material ?? {}),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
  });
  const tlsFetch = (async (input, init) => {
    // undici's fetch and Response mirror the global ones; the cast only bridges type copies.
    const response = await undiciFetch(
      input as never,
      { ...(init as object), dispatcher } as never,
    );
    return response as unknown as Response;
  }) as TlsFetch;
  Object.defineProperties(tlsFetch, {
    dispatcher: { value: dispatcher, enumerable: true },
    close: { value: () => dispatcher.close(), enumerable: false },
  });
  return tlsFetch;
}
