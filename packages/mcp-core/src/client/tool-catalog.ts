// The client's cached tool list: loaded once (single-flight), kept fresh when the server says
// it changed (debounced), filtered by the security policy, indexed by name for the calls
// that need a tool's definition.
import { McpError, type McpRequestOptions, type Tool } from '@tframex/mcp-api';
import type { MCPSecurity } from '../security/mcp-security.js';
import { isIdempotentTool } from '../tools/is-idempotent-tool.js';

export interface ToolCatalogOptions {
  server: string;
  security: MCPSecurity | undefined;
  debounceMs: number;
  /** Lists every tool from the server (through the client's request path). */
  list: (options: McpRequestOptions | undefined) => Promise<Tool[]>;
  /** A list arrived: the client makes sure it will hear when it changes. */
  onListed: () => void;
  /** The list was refreshed after a change (count undefined when the refresh failed). */
  onRefreshed: (count: number | undefined) => void;
}

export class ToolCatalog {
  readonly #options: ToolCatalogOptions;
  #tools: Tool[] | undefined;
  #index: { tools: Tool[]; byName: Map<string, Tool> } | undefined;
  #loading: Promise<Tool[]> | undefined;
  #changedTimer: NodeJS.Timeout | undefined;
  /** Tools refused by the security policy at the last listing, with why. */
  rejected: { name: string; error: McpError }[] = [];

  constructor(options: ToolCatalogOptions) {
    this.#options = options;
  }

  /** Whether a list is cached. */
  get known(): boolean {
    return this.#tools !== undefined;
  }

  /** Every tool: the cached list unless `refresh`; concurrent callers share one listing. */
  list(options?: McpRequestOptions & { refresh?: boolean }): Promise<Tool[]> {
    if (this.#tools && !options?.refresh) return Promise.resolve(this.#tools);
    if (this.#loading && !options?.refresh) return this.#loading;
    const loading = this.#options.list(options).then(
      (listed) => {
        const tools = this.#admit(listed);
        if (this.#loading === loading) {
          this.#tools = tools;
          this.#loading = undefined;
        }
        this.#options.onListed();
        return tools;
      },
      (error: unknown) => {
        if (this.#loading === loading) this.#loading = undefined;
        throw error;
      },
    );
    this.#loading = loading;
    return loading;
  }

  /** Keeps the tools whose schemas the security policy accepts; one bad tool never hides the rest. */
  #admit(tools: Tool[]): Tool[] {
    const { security, server } = this.#options;
    if (!security) return tools;
    const rejected: { name: string; error: McpError }[] = [];
    const admitted = tools.filter((tool) => {
      try {
        security.checkSchema(tool.inputSchema, { tool: tool.name, server });
        if (tool.outputSchema) security.checkSchema(tool.outputSchema, { tool: tool.name, server });
        return true;
      } catch (error) {
        if (!McpError.isInstance(error)) throw error;
        rejected.push({ name: tool.name, error });
        return false;
      }
    });
    this.rejected = rejected;
    return admitted;
  }

  /** A tool of the cached list by name (indexed once per listing), or undefined before any. */
  named(name: string): Tool | undefined {
    const tools = this.#tools;
    if (tools === undefined) return undefined;
    if (this.#index?.tools !== tools)
      this.#index = { tools, byName: new Map(tools.map((tool) => [tool.name, tool])) };
    return this.#index.byName.get(name);
  }

  isIdempotent(name: string): boolean {
    const tool = this.named(name);
    return tool !== undefined && isIdempotentTool(tool);
  }

  /** Forgets the cached list (a new session may offer other tools). */
  invalidate(): void {
    this.#tools = undefined;
  }

  /** The server says the list changed. Debounced: a burst refreshes the list once. */
  changed(): void {
    this.#tools = undefined;
    clearTimeout(this.#changedTimer);
    this.#changedTimer = setTimeout(() => {
      this.#changedTimer = undefined;
      void this.list({ refresh: true }).then(
        (tools) => this.#options.onRefreshed(tools.length),
        () => this.#options.onRefreshed(undefined),
      );
    }, this.#options.debounceMs);
    this.#changedTimer.unref();
  }

  close(): void {
    clearTimeout(this.#changedTimer);
  }
}
