// Answers the requests a server sends to the client (sampling, elicitation, roots): with the
// handlers of the client request they arrived for, where that is known, else with the
// session's own. A server request made during one of our requests runs in that request's
// async scope (on its response stream, or in a 2026-07-28 `input_required` round), which is
// how its handlers are found.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  McpConfigError,
  type McpServerRequestContext,
  type McpServerRequestHandler,
  type McpServerRequestHandlers,
  type McpServerRequestMethod,
} from '@tframex/mcp-api';
import type { ServerRequestHandlers } from '../adapter/sdk-adapter.js';

const SERVER_REQUEST_METHODS: ReadonlySet<string> = new Set([
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
]);

/** The client request a server request was made for. */
interface RequestOrigin {
  readonly method: string;
  readonly target?: string;
  readonly handlers: McpServerRequestHandlers;
}

export class ServerRequestRouter {
  readonly #server: string;
  readonly #handlers = new Map<McpServerRequestMethod, McpServerRequestHandler>();
  /** Methods requests brought handlers for: announced from then on. */
  readonly #perRequest = new Set<McpServerRequestMethod>();
  readonly #origins = new AsyncLocalStorage<RequestOrigin>();

  /** `initial`: the handlers given as options (`onSampling`, `onElicitation`, `roots`). */
  constructor(server: string, initial: ServerRequestHandlers) {
    this.#server = server;
    const { sampling, elicitation, roots } = initial;
    if (sampling) this.#handlers.set('sampling/createMessage', (p, c) => sampling(p, c.signal));
    if (elicitation) this.#handlers.set('elicitation/create', (p, c) => elicitation(p, c.signal));
    if (roots) this.#handlers.set('roots/list', () => roots());
  }

  /**
   * Installs the session's handler for `method` after checking what a user gave (an unknown
   * method or a handler that is no function is an McpConfigError); the returned function
   * removes it (if still installed).
   */
  set(method: McpServerRequestMethod, handler: McpServerRequestHandler): () => void {
    if (!SERVER_REQUEST_METHODS.has(method)) {
      throw new McpConfigError(
        `setServerRequestHandler: unknown method ${JSON.stringify(method)}`,
        {
          field: 'method',
          expected: [...SERVER_REQUEST_METHODS].join(' | '),
          received: method,
        },
      );
    }
    if (typeof handler !== 'function') {
      throw new McpConfigError('setServerRequestHandler: handler must be a function', {
        field: 'handler',
        expected: 'a function (params, context) => result',
        received: handler,
      });
    }
    this.#handlers.set(method, handler);
    return () => {
      if (this.#handlers.get(method) === handler) this.#handlers.delete(method);
    };
  }

  /** Runs `run` (one attempt of a request) so that server requests it causes find `handlers`. */
  within<T>(
    origin: { method: string; target?: string },
    handlers: McpServerRequestHandlers | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    if (!handlers) return run();
    for (const method of Object.keys(handlers) as McpServerRequestMethod[])
      if (handlers[method]) this.#perRequest.add(method);
    return this.#origins.run({ ...origin, handlers }, run);
  }

  /**
   * What a connection opening now announces and answers with: every method that has a
   * handler (or had one brought by a request). Each answer looks the handler up when asked.
   */
  handlers(): ServerRequestHandlers {
    const declared = (method: McpServerRequestMethod) =>
      this.#handlers.has(method) || this.#perRequest.has(method);
    const answer =
      (method: McpServerRequestMethod) => (params: Record<string, unknown>, signal: AbortSignal) =>
        this.#answer(method, params, signal);
    return {
      ...(declared('sampling/createMessage') ? { sampling: answer('sampling/createMessage') } : {}),
      ...(declared('elicitation/create') ? { elicitation: answer('elicitation/create') } : {}),
      ...(declared('roots/list')
        ? {
            roots: () =>
              this.#answer('roots/list', {}, new AbortController().signal) as Promise<{
                roots: { uri: string; name?: string }[];
              }>,
          }
        : {}),
    };
  }

  async #answer(
    method: McpServerRequestMethod,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const origin = this.#origins.getStore();
    const handler = origin?.handlers[method] ?? this.#handlers.get(method);
    if (!handler) {
      throw new Error(
        `MCPClient "${this.#server}" has no handler for ${method}${origin ? ` (asked during ${origin.method})` : ''}`,
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
