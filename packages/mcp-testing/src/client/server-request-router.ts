// Answers the requests a server sends to the client (sampling, elicitation, roots): with the
// handlers of the request they belong to where that is known, else with the session's own.
// Also decides which client capabilities a new connection announces.
import type {
  McpServerRequestContext,
  McpServerRequestHandler,
  McpServerRequestHandlers,
  McpServerRequestMethod,
} from '@tframex/mcp-api';
import {
  ProtocolError,
  ProtocolErrorCode,
  type ClientCapabilities,
} from '@modelcontextprotocol/client';
import type { RequestOrigin } from './attributing-client.js';

export const SERVER_REQUEST_METHODS: readonly McpServerRequestMethod[] = [
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
];

const CAPABILITY: Record<McpServerRequestMethod, ClientCapabilities> = {
  'sampling/createMessage': { sampling: {} },
  'elicitation/create': { elicitation: { form: {}, url: {} } },
  'roots/list': { roots: { listChanged: false } },
};

export class ServerRequestRouter {
  readonly #server: string;
  readonly #handlers = new Map<McpServerRequestMethod, McpServerRequestHandler>();
  /** Methods requests brought handlers for: announced from then on, so those handlers can be asked. */
  readonly #perRequest = new Set<McpServerRequestMethod>();

  constructor(server: string) {
    this.#server = server;
  }

  /** Installs the session's handler for `method`; the returned function removes it (if still installed). */
  set(method: McpServerRequestMethod, handler: McpServerRequestHandler): () => void {
    this.#handlers.set(method, handler);
    return () => {
      if (this.#handlers.get(method) === handler) this.#handlers.delete(method);
    };
  }

  /** Notes the methods a request brings handlers for. */
  adopt(handlers: McpServerRequestHandlers): void {
    for (const method of SERVER_REQUEST_METHODS) if (handlers[method]) this.#perRequest.add(method);
  }

  /** The methods a connection opened now announces. */
  declared(): Set<McpServerRequestMethod> {
    return new Set(
      SERVER_REQUEST_METHODS.filter((m) => this.#handlers.has(m) || this.#perRequest.has(m)),
    );
  }

  /** Whether a connection that announced `methods` lacks one that is wanted now. */
  lacks(methods: ReadonlySet<McpServerRequestMethod>): boolean {
    for (const method of this.declared()) if (!methods.has(method)) return true;
    return false;
  }

  static capabilities(methods: ReadonlySet<McpServerRequestMethod>): ClientCapabilities {
    let capabilities: ClientCapabilities = {};
    for (const method of methods) capabilities = { ...capabilities, ...CAPABILITY[method] };
    return capabilities;
  }

  /** Answers one server request; a throw goes back to the server as a JSON-RPC error. */
  async answer(
    method: McpServerRequestMethod,
    params: Record<string, unknown>,
    signal: AbortSignal,
    origin: RequestOrigin | undefined,
  ): Promise<Record<string, unknown>> {
    const handler = origin?.handlers?.[method] ?? this.#handlers.get(method);
    if (!handler) {
      throw new ProtocolError(
        ProtocolErrorCode.MethodNotFound,
        `MCPTestClient "${this.#server}" has no handler for ${method}${origin ? ` (asked during ${origin.method})` : ''}`,
      );
    }
    const context: McpServerRequestContext = {
      server: this.#server,
      method,
      signal,
      ...(origin
        ? {
            relatedRequest: {
              method: origin.method,
              ...(origin.target !== undefined ? { target: origin.target } : {}),
            },
          }
        : {}),
    };
    return handler(params, context);
  }
}
