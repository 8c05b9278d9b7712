// Requests a server sends to the client (sampling, elicitation, roots), and the handlers that
// answer them. A session holds one handler per method; a single request may bring its own
// (an agent answers sampling with the model of the agent whose tool call caused it).

/** Server-to-client request methods a session can answer. */
export type McpServerRequestMethod = 'sampling/createMessage' | 'elicitation/create' | 'roots/list';

/** What a handler learns about a server request besides its params. */
export interface McpServerRequestContext {
  /** Alias of the server that asked. */
  readonly server: string;
  /** The method asked for. */
  readonly method: McpServerRequestMethod;
  /** Aborted when the server cancels the request or the session ends. */
  readonly signal: AbortSignal;
  /**
   * The client request this one arrived for (a tool call that needs sampling), when the
   * session can tell: always for the 2026-07-28 era's `input_required` rounds; in the legacy
   * era when it arrives on that request's response stream.
   */
  readonly relatedRequest?: { readonly method: string; readonly target?: string };
}

/**
 * Answers one server request with the result MCP defines for the method
 * (`CreateMessageResult`, `ElicitResult`, `ListRootsResult`), in MCP's JSON shapes. A throw
 * is sent back to the server as a JSON-RPC error.
 */
export type McpServerRequestHandler = (
  params: Record<string, unknown>,
  context: McpServerRequestContext,
) => Promise<Record<string, unknown>>;

/** Handlers by method. */
export type McpServerRequestHandlers = Partial<
  Record<McpServerRequestMethod, McpServerRequestHandler>
>;
