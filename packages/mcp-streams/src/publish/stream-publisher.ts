// publish(): MCP has no client-to-server publish, so a stream publishes by calling a tool of
// its server (`publish` by convention, or the one the stream names), and says so plainly when
// the server offers none.
import {
  McpConfigError,
  McpProtocolError,
  McpToolError,
  type CallToolResult,
  type McpRequestOptions,
  type McpSession,
} from '@tframex/mcp-api';

/** Builds the tool's arguments from the event (default: `{ stream, event }`). */
export type McpPublishArguments = (
  event: Record<string, unknown>,
  context: { stream: string; uri: string },
) => Record<string, unknown>;

export interface McpPublishOptions {
  /** The server tool that takes events (default `publish`). */
  tool?: string;
  arguments?: McpPublishArguments;
}

export interface StreamPublisherInit {
  session: McpSession;
  uri: string;
  stream: string;
  options: McpPublishOptions | undefined;
}

export class StreamPublisher {
  readonly #init: StreamPublisherInit;
  readonly #tool: string;
  #checked: Promise<void> | undefined;

  constructor(init: StreamPublisherInit) {
    this.#init = init;
    this.#tool = init.options?.tool ?? 'publish';
  }

  async publish(
    event: Record<string, unknown>,
    options: McpRequestOptions = {},
  ): Promise<CallToolResult> {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new McpConfigError('publish() takes an event object', {
        field: 'event',
        expected: 'an object such as { type: "user_action", ... }',
        received: Array.isArray(event) ? 'an array' : event === null ? null : typeof event,
      });
    }
    const { session, uri, stream } = this.#init;
    this.#checked ??= this.#checkTool(options).catch((error: unknown) => {
      this.#checked = undefined;
      throw error;
    });
    await this.#checked;
    const args = this.#init.options?.arguments
      ? this.#init.options.arguments(event, { stream, uri })
      : { stream, event };
    let result: CallToolResult;
    try {
      result = await session.callTool(this.#tool, args, options);
    } catch (error) {
      if (McpProtocolError.isInstance(error)) this.#checked = undefined; // the tool may be gone
      throw error;
    }
    if (result.isError) {
      const text = result.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('\n');
      throw new McpToolError(
        `Server "${session.name}" refused the event published to ${uri}${text ? `: ${text}` : ''}`,
        { toolName: this.#tool, result, server: session.name, method: 'tools/call' },
      );
    }
    return result;
  }

  async #checkTool(options: McpRequestOptions): Promise<void> {
    const { session, uri } = this.#init;
    const tools = await session.listTools(options);
    if (tools.some((tool) => tool.name === this.#tool)) return;
    const names = tools.map((tool) => tool.name);
    throw new McpConfigError(
      `Cannot publish to ${uri}: server "${session.name}" has no "${this.#tool}" tool. MCP has no` +
        ` client-to-server publish; a stream publishes by calling a tool of its server` +
        ` (publish: { tool }). Tools it offers: ${names.length ? names.join(', ') : 'none'}`,
      { field: 'publish.tool', expected: 'a tool the server lists', received: this.#tool },
    );
  }
}
