// TFrameXApp: holds the model, the tool source (MCP servers), the plain tools, the agents and
// the flows of an application; `runContext()` gives a Runtime to run them in.
import {
  EMPTY_TOOL_SOURCE,
  FLAT_TOOL_NAME_PATTERN,
  type McpTool,
  type McpToolSource,
} from '@tframex/mcp-api';
import * as z from 'zod';
import type { Agent, AgentHost } from '../agent/agent.js';
import type { ToolApprovalHook } from '../agent/tool-approval.js';
import type { Flow } from '../flows/flow.js';
import type { ChatModel } from '../model/chat-model.js';
import { parseOptions, usageError } from '../options/parse-options.js';
import { SamplingRateLimiter } from '../sampling/sampling-rate-limiter.js';
import type { ServerRequestHooks } from '../sampling/server-request-hooks.js';
import { installSessionHandlers } from '../sampling/server-request-handlers.js';
import { Runtime, type RuntimeHost, type RuntimeOptions } from './runtime.js';

export interface TFrameXAppOptions extends ServerRequestHooks {
  /** The default model of the app's agents. */
  llm?: ChatModel;
  /** Where `mcp://` tools come from: MCPServers, an MCPTestToolSource, any McpToolSource. */
  tools?: McpToolSource;
  /** Decides on tool calls that need approval (destructive or listed), for every agent. */
  approveToolCall?: ToolApprovalHook;
  /** How deep agents may call agents (default 8). */
  maxAgentDepth?: number;
}

const optionsSchema = z.object({
  llm: z
    .custom<ChatModel>((v) => typeof v === 'object' && v !== null && 'chat' in v, {
      error: 'a ChatModel (an object with chat())',
    })
    .optional(),
  tools: z
    .custom<McpToolSource>(
      (v) => typeof v === 'object' && v !== null && 'resolveTools' in v && 'listTools' in v,
      { error: 'an McpToolSource (MCPServers, MCPTestToolSource, ...)' },
    )
    .optional(),
  approveToolCall: z
    .custom<ToolApprovalHook>((v) => typeof v === 'function', { error: 'a function' })
    .optional(),
  maxAgentDepth: z.number().int().min(0, { error: 'a whole number (0 or more)' }).optional(),
  sampling: z.boolean().optional(),
  approveSampling: z
    .custom<NonNullable<ServerRequestHooks['approveSampling']>>((v) => typeof v === 'function', {
      error: 'a function',
    })
    .optional(),
  samplingRateLimit: z
    .object({
      maxRequests: z.number().int().min(1, { error: 'a whole number (1 or more)' }),
      windowMs: z.number().positive({ error: 'a positive number of milliseconds' }),
    })
    .optional(),
  maxSamplingTokens: z.number().int().positive({ error: 'a positive whole number' }).optional(),
  onElicitation: z
    .custom<NonNullable<ServerRequestHooks['onElicitation']>>((v) => typeof v === 'function', {
      error: 'a function',
    })
    .optional(),
});

export class TFrameXApp implements AgentHost, RuntimeHost {
  readonly llm: ChatModel | undefined;
  readonly toolSource: McpToolSource;
  readonly approveToolCall: ToolApprovalHook | undefined;
  readonly maxAgentDepth: number;
  readonly serverRequestHooks: ServerRequestHooks;
  readonly samplingLimiter: SamplingRateLimiter;
  readonly #agents = new Map<string, Agent>();
  readonly #tools = new Map<string, McpTool>();
  readonly #flows = new Map<string, Flow>();

  constructor(options: TFrameXAppOptions = {}) {
    const parsed = parseOptions('TFrameXApp', optionsSchema, options);
    this.llm = parsed.llm;
    this.toolSource = parsed.tools ?? EMPTY_TOOL_SOURCE;
    this.approveToolCall = parsed.approveToolCall;
    this.maxAgentDepth = parsed.maxAgentDepth ?? 8;
    this.serverRequestHooks = {
      ...(parsed.sampling !== undefined ? { sampling: parsed.sampling } : {}),
      ...(parsed.approveSampling ? { approveSampling: parsed.approveSampling } : {}),
      ...(parsed.maxSamplingTokens ? { maxSamplingTokens: parsed.maxSamplingTokens } : {}),
      ...(parsed.onElicitation ? { onElicitation: parsed.onElicitation } : {}),
    };
    this.samplingLimiter = new SamplingRateLimiter(
      parsed.samplingRateLimit ?? { maxRequests: 20, windowMs: 60_000 },
    );
  }

  /** Registers an agent under its name (a second agent of the same name is an error). */
  registerAgent(agent: Agent): this {
    if (typeof agent !== 'object' || agent === null || typeof agent.run !== 'function') {
      throw usageError('agent', 'an Agent (LLMAgent, ...)', 'registerAgent needs an Agent');
    }
    if (this.#agents.has(agent.name)) {
      throw usageError(
        `agents.${agent.name}`,
        'a new agent name',
        `An agent named "${agent.name}" is already registered`,
      );
    }
    this.#agents.set(agent.name, agent);
    agent.attach?.(this);
    return this;
  }

  /** Registers a plain tool (e.g. from `defineMcpTool`) that agents may list by name. */
  registerTool(tool: McpTool): this {
    if (typeof tool?.invoke !== 'function' || !FLAT_TOOL_NAME_PATTERN.test(tool.name ?? '')) {
      throw usageError(
        'tool.name',
        'an McpTool named with letters, digits, "_" and "-" (at most 64)',
        `A tool needs a name of letters, digits, "_" and "-" (at most 64 characters): ${JSON.stringify(tool?.name)}`,
      );
    }
    if (this.#tools.has(tool.name)) {
      throw usageError(
        `tools.${tool.name}`,
        'a new tool name',
        `A tool named "${tool.name}" is already registered`,
      );
    }
    this.#tools.set(tool.name, tool);
    return this;
  }

  /** Registers a flow under its name, for `runtime.runFlow(name, input)`. */
  registerFlow(flow: Flow): this {
    if (this.#flows.has(flow.name)) {
      throw usageError(
        `flows.${flow.name}`,
        'a new flow name',
        `A flow named "${flow.name}" is already registered`,
      );
    }
    this.#flows.set(flow.name, flow);
    return this;
  }

  getFlow(name: string): Flow | undefined {
    return this.#flows.get(name);
  }

  getAgent(name: string): Agent | undefined {
    return this.#agents.get(name);
  }

  getTool(name: string): McpTool | undefined {
    return this.#tools.get(name);
  }

  get agentNames(): readonly string[] {
    return [...this.#agents.keys()];
  }

  /** A runtime to call agents and run flows in; dispose it (`await using`) when done. */
  async runContext(options: RuntimeOptions = {}): Promise<Runtime> {
    const runtime = new Runtime(this, options);
    runtime.onClose(installSessionHandlers(runtime, this.toolSource));
    return runtime;
  }
}
