// `tools/call` as the client makes it: with the tool's listed definition (output schema
// checks and the modern era's Mcp-Param headers on every pooled session), replayable when
// the tool's annotations say so, and under `security.validateSchemas` with arguments
// checked before the call and the result after.
import type { CallToolResult, McpRequestOptions, Tool } from '@tframex/mcp-api';
import type { SdkConnection, SdkRequestOptions } from '../adapter/sdk-adapter.js';
import type { MCPSecurity } from '../security/mcp-security.js';
import { isIdempotentTool } from '../tools/is-idempotent-tool.js';
import type { RequestExecutor } from './request-executor.js';
import type { ToolCatalog } from './tool-catalog.js';

/** Options of `callTool` beyond the common request options. */
export interface CallToolOptions extends McpRequestOptions {
  /**
   * Declares the call safe to repeat, so transient failures may replay it. By default only
   * tools annotated `readOnlyHint` or `idempotentHint` are replayed (or all, with
   * `retryNonIdempotent`).
   */
  idempotent?: boolean;
}

export class ToolCaller {
  readonly #server: string;
  readonly #executor: RequestExecutor;
  readonly #catalog: ToolCatalog;
  readonly #security: MCPSecurity | undefined;
  /** A server that finds a definition stale gets the list listed afresh. */
  readonly #onStale = (): void => this.#catalog.changed();

  constructor(
    server: string,
    executor: RequestExecutor,
    catalog: ToolCatalog,
    security: MCPSecurity | undefined,
  ) {
    this.#server = server;
    this.#executor = executor;
    this.#catalog = catalog;
    this.#security = security;
  }

  call(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions | undefined,
  ): Promise<CallToolResult> {
    if (this.#security?.validateSchemas) return this.#callValidated(name, args, options);
    return this.#send(name, args, options, this.#catalog.named(name));
  }

  #send(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions | undefined,
    tool: Tool | undefined,
  ): Promise<CallToolResult> {
    return this.#executor.run({
      method: 'tools/call',
      target: name,
      params: { name, arguments: args ?? {} },
      options,
      idempotent: options?.idempotent ?? (tool !== undefined && isIdempotentTool(tool)),
      operation: (connection, sdkOptions, params) =>
        this.#callOn(connection, sdkOptions, params, tool),
    });
  }

  /** The call itself, with the listed definition of the tool when the name is still `tool`'s. */
  #callOn(
    connection: SdkConnection,
    options: SdkRequestOptions,
    params: Record<string, unknown>,
    tool: Tool | undefined,
  ): Promise<CallToolResult> {
    const name = params.name as string;
    return connection.callTool(
      name,
      params.arguments as Record<string, unknown>,
      options,
      tool?.name === name ? tool : this.#catalog.named(name),
      this.#onStale,
    );
  }

  /** Under `security.validateSchemas`: arguments checked before, results after. */
  async #callValidated(
    name: string,
    args: Record<string, unknown> | undefined,
    options: CallToolOptions | undefined,
  ): Promise<CallToolResult> {
    const security = this.#security!;
    const tool = (await this.#catalog.list(options)).find((candidate) => candidate.name === name);
    if (tool) security.validateArguments(tool, args ?? {}, { server: this.#server });
    const result = await this.#send(name, args, options, tool);
    if (tool) security.validateResult(tool, result, { server: this.#server });
    return result;
  }
}
