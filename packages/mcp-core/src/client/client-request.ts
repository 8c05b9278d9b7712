// One request on its way through the client: what the facade hands the request executor,
// instead of a row of positional arguments.
import type { McpRequestOptions } from '@tframex/mcp-api';
import type { SdkConnection, SdkRequestOptions } from '../adapter/sdk-adapter.js';

/** What runs the request on one pooled connection. */
export type Operation<T> = (
  connection: SdkConnection,
  options: SdkRequestOptions,
  params: Record<string, unknown>,
) => Promise<T>;

export interface ClientRequest<T> {
  /** MCP method: `tools/call`, `resources/read`, ... */
  readonly method: string;
  /** Tool name, prompt name or resource URI the request is about. */
  readonly target?: string;
  readonly params: Record<string, unknown>;
  readonly options: McpRequestOptions | undefined;
  /** Safe to replay after a transient failure. */
  readonly idempotent: boolean;
  readonly operation: Operation<T>;
}
