// Runs McpMiddleware around a request as an onion: `beforeRequest` in registration order,
// then the server, then `afterResponse` in reverse. A middleware that answers in
// `beforeRequest` skips the ones after it and the server; its answer still passes back
// through the `afterResponse` of the ones before it. `onError` runs in reverse order for the
// middlewares whose `beforeRequest` ran; the first that returns a response recovers.
import {
  isMcpResponse,
  type McpMiddleware,
  type McpRequest,
  type McpResponse,
} from '@tframex/mcp-api';

export interface ServerAnswer {
  result: unknown;
  cache?: McpResponse['cache'];
}

export class MiddlewarePipeline {
  #middlewares: readonly McpMiddleware[] = [];

  get size(): number {
    return this.#middlewares.length;
  }

  /** Adds a middleware at the end (innermost); returns a function that removes it. */
  use(middleware: McpMiddleware): () => void {
    this.#middlewares = [...this.#middlewares, middleware];
    return () => {
      this.#middlewares = this.#middlewares.filter((candidate) => candidate !== middleware);
    };
  }

  /** Runs `request` through the middleware and resolves with the result. */
  async run(
    request: McpRequest,
    send: (request: McpRequest) => Promise<ServerAnswer>,
  ): Promise<unknown> {
    return (await this.respond(request, send)).result;
  }

  /** Like `run`, with the whole response: its `source` tells a cache hit from the server. */
  async respond(
    request: McpRequest,
    send: (request: McpRequest) => Promise<ServerAnswer>,
  ): Promise<McpResponse> {
    const middlewares = this.#middlewares; // a snapshot: use() during a request applies next time
    const started = performance.now();
    let current = request;
    let entered = 0;
    let response: McpResponse | undefined;
    for (; entered < middlewares.length; entered++) {
      const outcome = await middlewares[entered]!.beforeRequest?.(current);
      if (outcome === undefined) continue;
      if (isMcpResponse(outcome)) {
        response = outcome;
        break; // this middleware answered: its own afterResponse does not run
      }
      current = outcome;
    }
    const exitFrom = response ? entered - 1 : middlewares.length - 1;
    if (!response) {
      try {
        const answer = await send(current);
        response = {
          request: current,
          result: answer.result,
          durationMs: performance.now() - started,
          source: 'server',
          ...(answer.cache ? { cache: answer.cache } : {}),
        };
      } catch (error) {
        let recovered: McpResponse | undefined;
        let at = exitFrom;
        for (; at >= 0 && !recovered; at--) {
          const outcome = await middlewares[at]!.onError?.(error, current);
          if (outcome && isMcpResponse(outcome)) recovered = outcome;
        }
        if (!recovered) throw error;
        return this.#unwind(middlewares, at, recovered);
      }
    }
    return this.#unwind(middlewares, exitFrom, response);
  }

  async #unwind(
    middlewares: readonly McpMiddleware[],
    from: number,
    response: McpResponse,
  ): Promise<McpResponse> {
    let current = response;
    for (let i = from; i >= 0; i--) {
      const next = await middlewares[i]!.afterResponse?.(current);
      if (next) current = next;
    }
    return current;
  }
}
