// LLMAgent: an agent whose decisions come from a model. It offers the model its tools (mcp://
// URIs, server wildcards, flattened names, plain functions, other agents), runs the calls the
// model makes and feeds the results back, keeping the last `historyLimit` messages as memory.
import {
  EMPTY_TOOL_SOURCE,
  findTool,
  isMcpUri,
  McpConfigError,
  parseMcpUri,
  type McpTool,
  type McpToolSource,
} from '@tframex/mcp-api';
import * as z from 'zod';
import type { Runtime } from '../app/runtime.js';
import type { ChatMessage, ChatModel } from '../model/chat-model.js';
import { parseOptions, usageError } from '../options/parse-options.js';
import { serverRequestHandlersFor } from '../sampling/server-request-handlers.js';
import { ArgumentValidator } from '../tools/argument-validator.js';
import { assignLlmNames } from '../tools/llm-tool-names.js';
import { mcpMetaTools } from '../tools/mcp-meta-tools.js';
import type { Agent, AgentHost, AgentRunOptions } from './agent.js';
import type { AgentEvent, AgentResult } from './agent-result.js';
import { runAgentLoop } from './agent-loop.js';
import { callableAgentTool } from './callable-agent-tool.js';
import type { ToolApprovalHook } from './tool-approval.js';

/** A tool an agent may use: an `mcp://` URI (or `mcp://server/*`), a tool name, or a tool. */
export type AgentToolSpec = string | McpTool;

export interface LLMAgentOptions {
  name: string;
  description?: string;
  /** The model; default the app's. */
  llm?: ChatModel;
  /**
   * Tools by `mcp://server/tool`, `mcp://server/*`, flattened name (`server__tool`), the name
   * of a tool registered with the app, or an McpTool (e.g. from `defineMcpTool`).
   */
  tools?: AgentToolSpec[];
  /** Every tool of these servers (`'ALL'`: of every server of the tool source). */
  mcpToolsFromServers?: 'ALL' | string[];
  /** Agents this one may call, offered to the model as tools. */
  callableAgents?: string[];
  systemPrompt?: string;
  /** Rounds of tool calls before the agent stops (default 5). */
  maxToolIterations?: number;
  /** Remembered messages put before each new input (default 10; the most recent ones). */
  historyLimit?: number;
  /** Drop `<think>...</think>` from answers (default false). */
  stripThinkTags?: boolean;
  /** Time budget of one tool call, in ms (default 60 000). */
  toolTimeoutMs?: number;
  /** Tool calls of one model turn run at once, at most this many (default 4). */
  maxParallelToolCalls?: number;
  /** Longest tool result text given to the model; longer results are cut (default 100 000). */
  maxToolResultChars?: number;
  /** Tools that need approval besides those marked destructive (URI, `mcp://s/*` or name). */
  requireApproval?: string[];
  /** Decides on calls that need approval; default the app's. Without one they are denied. */
  approveToolCall?: ToolApprovalHook;
  /**
   * Offer TFrameX's five meta-tools (list_mcp_servers, list_mcp_resources, read_mcp_resource,
   * list_mcp_prompts, use_mcp_prompt) so the model can reach resources and prompts. Default false.
   */
  useMcpMetaTools?: boolean;
  /** The servers' tools come from here; default the app's tool source. */
  toolSource?: McpToolSource;
  temperature?: number;
  maxTokens?: number;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  error: 'a function',
});
const toolLike = z.custom<McpTool>(
  (v) =>
    typeof v === 'string'
      ? v.length > 0
      : typeof v === 'object' &&
        v !== null &&
        typeof (v as McpTool).name === 'string' &&
        typeof (v as McpTool).invoke === 'function',
  { error: 'an mcp:// URI, a tool name or an McpTool' },
);
const optionsSchema = z.object({
  name: z.string().min(1, { error: 'a non-empty agent name' }),
  description: z.string().optional(),
  llm: z
    .custom<ChatModel>((v) => typeof v === 'object' && v !== null && 'chat' in v, {
      error: 'a ChatModel (an object with chat())',
    })
    .optional(),
  tools: z.array(toolLike).optional(),
  mcpToolsFromServers: z
    .union([z.literal('ALL'), z.array(z.string().min(1))], {
      error: "'ALL' or a list of server aliases",
    })
    .optional(),
  callableAgents: z.array(z.string().min(1)).optional(),
  systemPrompt: z.string().optional(),
  maxToolIterations: z.number().int().min(0, { error: 'a whole number (0 or more)' }).optional(),
  historyLimit: z.number().int().min(0, { error: 'a whole number (0 or more)' }).optional(),
  stripThinkTags: z.boolean().optional(),
  toolTimeoutMs: z.number().positive({ error: 'a positive number of milliseconds' }).optional(),
  maxParallelToolCalls: z.number().int().min(1, { error: 'a whole number (1 or more)' }).optional(),
  maxToolResultChars: z
    .number()
    .int()
    .min(100, { error: 'a whole number (100 or more)' })
    .optional(),
  requireApproval: z.array(z.string().min(1)).optional(),
  approveToolCall: fn.optional(),
  useMcpMetaTools: z.boolean().optional(),
  toolSource: z
    .custom<McpToolSource>(
      (v) => typeof v === 'object' && v !== null && 'resolveTools' in v && 'listTools' in v,
      { error: 'an McpToolSource' },
    )
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
});

const URI_IN_TEXT = /mcp:\/\/[A-Za-z0-9_.-]+\/[^\s"'<>),]+/g;

export class LLMAgent implements Agent {
  readonly name: string;
  readonly description: string;
  readonly systemPrompt: string | undefined;
  readonly maxToolIterations: number;
  readonly historyLimit: number;
  /** Tools loaded with `loadMcpTool`, by URI; offered to the model on every run. */
  readonly toolCache = new Map<string, McpTool>();
  readonly #options: z.output<typeof optionsSchema>;
  readonly #validator = new ArgumentValidator();
  #host: AgentHost | undefined;

  constructor(options: LLMAgentOptions) {
    this.#options = parseOptions('LLMAgent', optionsSchema, options);
    this.name = this.#options.name;
    this.description = this.#options.description ?? `The agent ${this.name}`;
    this.systemPrompt = this.#options.systemPrompt;
    this.maxToolIterations = this.#options.maxToolIterations ?? 5;
    this.historyLimit = this.#options.historyLimit ?? 10;
  }

  attach(host: AgentHost): void {
    this.#host = host;
  }

  /** The tool source this agent resolves `mcp://` URIs with. */
  get toolSource(): McpToolSource {
    return this.#options.toolSource ?? this.#host?.toolSource ?? EMPTY_TOOL_SOURCE;
  }

  /** The model this agent asks (its own, else the app's). */
  get llm(): ChatModel | undefined {
    return (this.#options.llm as ChatModel | undefined) ?? this.#host?.llm;
  }

  /**
   * The `mcp://` tools a prompt needs. By default the URIs the prompt names; override it to
   * decide another way (keywords, a model call), as in TFrameX's dynamic loading example.
   */
  async analyzeToolNeeds(prompt: string): Promise<string[]> {
    return [...new Set(prompt.match(URI_IN_TEXT) ?? [])];
  }

  /** Resolves one `mcp://server/tool` and keeps it in `toolCache`. */
  async loadMcpTool(uri: string, options: { signal?: AbortSignal } = {}): Promise<McpTool> {
    const cached = this.toolCache.get(uri);
    if (cached) return cached;
    const tool = await this.toolSource.resolveTool(uri, options);
    this.toolCache.set(uri, tool);
    return tool;
  }

  async run(input: string, runtime: Runtime, options: AgentRunOptions = {}): Promise<AgentResult> {
    const llm = this.llm ?? runtime.llm;
    if (!llm) {
      throw usageError(
        `LLMAgent.${this.name}.llm`,
        'a ChatModel on the agent or its app',
        `The agent "${this.name}" has no model: give it one (llm) or give its app one`,
      );
    }
    const signal = runtime.signalFor(options.signal);
    const emit = isolate(options.onEvent);
    const memory = runtime.memoryOf(this.name);
    const context: ChatMessage[] = [
      ...(this.systemPrompt ? [{ role: 'system' as const, content: this.systemPrompt }] : []),
      ...memory.recent(this.historyLimit),
    ];
    const messages: ChatMessage[] = [...context, { role: 'user', content: input }];
    // Tools are resolved once per run and again whenever a server says its list changed or a
    // tool was registered with the runtime, so the next model turn sees the change.
    const source = this.toolSource;
    let tools: Promise<ReadonlyMap<string, McpTool>> | undefined;
    let version = -1;
    let changed = false;
    const stopWatching = source.onToolsChanged?.(() => {
      changed = true;
    });
    const currentTools = () => {
      if (!tools || changed || version !== runtime.toolsVersion) {
        changed = false;
        version = runtime.toolsVersion;
        tools = this.#resolveTools(runtime, signal, options, emit);
      }
      return tools;
    };
    let result: AgentResult;
    try {
      result = await this.#loop(
        llm,
        messages,
        context.length,
        currentTools,
        runtime,
        signal,
        options,
        emit,
      );
    } finally {
      stopWatching?.();
    }
    memory.add({ role: 'user', content: input }, { role: 'assistant', content: result.content });
    return result;
  }

  #loop(
    llm: ChatModel,
    messages: ChatMessage[],
    contextLength: number,
    tools: () => Promise<ReadonlyMap<string, McpTool>>,
    runtime: Runtime,
    signal: AbortSignal,
    options: AgentRunOptions,
    emit: (event: AgentEvent) => void,
  ): Promise<AgentResult> {
    return runAgentLoop({
      agent: this.name,
      model: llm,
      messages,
      contextLength,
      tools,
      maxToolIterations: this.maxToolIterations,
      maxParallelToolCalls: this.#options.maxParallelToolCalls ?? 4,
      toolTimeoutMs: this.#options.toolTimeoutMs ?? 60_000,
      requireApproval: this.#options.requireApproval ?? [],
      approve:
        (this.#options.approveToolCall as ToolApprovalHook | undefined) ??
        this.#host?.approveToolCall ??
        runtime.approveToolCall,
      serverRequestHandlers: serverRequestHandlersFor(runtime, this.name, llm),
      track: (tool) =>
        tool.server === undefined
          ? () => undefined
          : runtime.trackToolCall(tool.server, { agent: this.name, model: llm }),
      validator: this.#validator,
      stripThinkTags: this.#options.stripThinkTags ?? false,
      maxToolResultChars: this.#options.maxToolResultChars ?? 100_000,
      stream: options.stream ?? options.onEvent !== undefined,
      ...(this.#options.temperature !== undefined
        ? { temperature: this.#options.temperature }
        : {}),
      ...(this.#options.maxTokens !== undefined ? { maxTokens: this.#options.maxTokens } : {}),
      signal,
      emit,
    });
  }

  /** Every tool of this run, by the name the model sees. */
  async #resolveTools(
    runtime: Runtime,
    signal: AbortSignal,
    options: AgentRunOptions,
    emit: (event: AgentEvent) => void,
  ): Promise<ReadonlyMap<string, McpTool>> {
    const source = this.toolSource;
    const tools: McpTool[] = [];
    for (const spec of this.#options.tools ?? []) {
      if (typeof spec !== 'string') {
        tools.push(spec);
        continue;
      }
      if (isMcpUri(spec)) {
        parseMcpUri(spec);
        try {
          tools.push(...(await source.resolveTools(spec, { signal })));
        } catch (error) {
          // An unknown URI is the user's mistake; a server that is down costs only its tools.
          if (McpConfigError.isInstance(error) || signal.aborted) throw error;
          emit({
            type: 'tool-unavailable',
            agent: this.name,
            spec,
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
        continue;
      }
      const local = runtime.tool(spec) ?? (await findTool(source, spec, { signal }));
      if (!local) {
        throw usageError(
          `LLMAgent.${this.name}.tools`,
          'an mcp:// URI, a tool registered with the app, or a flattened server__tool name',
          `The agent "${this.name}" lists the tool "${spec}", which no one offers`,
        );
      }
      tools.push(local);
    }
    const servers = this.#options.mcpToolsFromServers;
    if (servers) {
      tools.push(
        ...(await source.listTools({ signal, ...(servers === 'ALL' ? {} : { servers }) })),
      );
    }
    tools.push(...(await this.#refreshToolCache(signal, emit)), ...runtime.dynamicTools);
    if (this.#options.useMcpMetaTools) tools.push(...mcpMetaTools(source));
    for (const name of this.#options.callableAgents ?? []) {
      tools.push(callableAgentTool(runtime.requireAgent(name), runtime, options.depth ?? 0));
    }
    return assignLlmNames(tools);
  }

  /**
   * The tools in `toolCache`, looked up again (the source keeps lists cached until a server
   * says they changed), so a changed schema is picked up and a removed tool dropped.
   */
  async #refreshToolCache(
    signal: AbortSignal,
    emit: (event: AgentEvent) => void,
  ): Promise<McpTool[]> {
    const fresh: McpTool[] = [];
    for (const [uri, cached] of [...this.toolCache]) {
      if (cached.uri === undefined || !isMcpUri(uri)) {
        fresh.push(cached);
        continue;
      }
      try {
        const tool = await this.toolSource.resolveTool(uri, { signal });
        this.toolCache.set(uri, tool);
        fresh.push(tool);
      } catch (error) {
        if (signal.aborted) throw error;
        if (McpConfigError.isInstance(error)) this.toolCache.delete(uri);
        emit({
          type: 'tool-unavailable',
          agent: this.name,
          spec: uri,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    }
    return fresh;
  }
}

/** Calls `listener` so that a throw never breaks the run; the error is reported as a warning. */
function isolate(listener: ((event: AgentEvent) => void) | undefined) {
  return (event: AgentEvent) => {
    if (!listener) return;
    try {
      listener(event);
    } catch (error) {
      process.emitWarning(
        `An agent event listener threw: ${error instanceof Error ? error.message : String(error)}`,
        { type: 'AgentListenerError' },
      );
    }
  };
}
