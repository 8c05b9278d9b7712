// The SDK client, told which of our requests a 2026-07-28 `input_required` round belongs to.
// The SDK fulfils the round's embedded requests (sampling, elicitation, roots) through the
// client's registered handlers; this runs that fulfilment inside the originating request's
// scope, so the handlers can answer with that request's own `serverRequestHandlers`.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { McpServerRequestHandlers } from '@tframex/mcp-api';
import { Client, type RequestOptions } from '@modelcontextprotocol/client';

/** The request a server request was made for. */
export interface RequestOrigin {
  readonly method: string;
  /** Tool or prompt name, or resource URI. */
  readonly target?: string;
  readonly handlers?: McpServerRequestHandlers;
}

/**
 * Where the origin rides on the SDK request options. The SDK copies options with spreads,
 * which keep symbol-keyed properties, so the origin reaches the flow of every round.
 */
export const REQUEST_ORIGIN = Symbol('tframex.requestOrigin');

export type OriginatedRequestOptions = RequestOptions & { [REQUEST_ORIGIN]?: RequestOrigin };

type ResolveNonComplete = (decoded: unknown, flow: unknown) => Promise<unknown>;

export class AttributingClient extends Client {
  /** The origin of the `input_required` round being fulfilled, in the handlers' async scope. */
  readonly origins = new AsyncLocalStorage<RequestOrigin>();

  protected override _resolveNonCompleteResult(
    ...args: Parameters<ResolveNonComplete>
  ): Promise<unknown> {
    const [decoded, flow] = args;
    const options = (flow as { options?: OriginatedRequestOptions } | undefined)?.options;
    const origin = options?.[REQUEST_ORIGIN];
    const resolve = (): Promise<unknown> =>
      (super._resolveNonCompleteResult as ResolveNonComplete)(decoded, flow);
    return origin ? this.origins.run(origin, resolve) : resolve();
  }
}
