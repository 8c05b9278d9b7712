// Runtime: one context of a TFrameX app (`await using rt = await app.runContext()`), holding
// the agents' memories and the tools registered while it runs. Agents are called by name;
// disposing the runtime cancels what still runs in it.
import { McpCancelledError, McpConfigError, type McpTool } from '@tframex/mcp-api';
import type { Agent, AgentRunOptions } from '../agent/agent.js';
import type { AgentEvent, AgentResult } from '../agent/agent-result.js';
import { ConversationMemory } from '../agent/conversation-memory.js';
import type { ToolApprovalHook } from '../agent/tool-approval.js';
import type { ChatModel } from '../model/chat-model.js';
import type { SamplingRateLimiter } from '../sampling/sampling-rate-limiter.js';
import type { ServerRequestHooks } from '../sampling/server-request-hooks.js';
import type { Flow, FlowResult, FlowRunOptions } from '../flows/flow.js';
import { AsyncQueue } from './async-queue.js';

/** An agent's tool call in flight on a server, for answering server requests that carry no origin. */
export interface InFlightToolCall {
  readonly agent: string;
  readonly model: ChatModel;
}

/** What a runtime needs from its app. */
export interface RuntimeHost {
  readonly llm: ChatModel | undefined;
  readonly approveToolCall: ToolApprovalHook | undefined;
  readonly maxAgentDepth: number;
  getAgent(name: string): Agent | undefined;
  getTool(name: string): McpTool | undefined;
  getFlow(name: string): Flow | undefined;
  readonly agentNames: readonly string[];
  readonly serverRequestHooks: ServerRequestHooks;
  readonly samplingLimiter: SamplingRateLimiter;
}

export interface RuntimeOptions {
  /** Cancels every run of this runtime. */
  signal?: AbortSignal;
  /** Overrides the app's model for agents that have none of their own. */
  llm?: ChatModel;
}

export class Runtime implements AsyncDisposable {
  readonly #host: RuntimeHost;
  readonly #controller = new AbortController();
  readonly #memories = new Map<string, ConversationMemory>();
  readonly #dynamicTools = new Map<string, McpTool>();
  readonly #llm: ChatModel | undefined;
  readonly #cleanups: Array<() => void | Promise<void>> = [];
  readonly #inFlight = new Map<string, Map<symbol, InFlightToolCall>>();
  #closed = false;
  #toolsVersion = 0;

  constructor(host: RuntimeHost, options: RuntimeOptions = {}) {
    this.#host = host;
    this.#llm = options.llm;
    const outer = options.signal;
    if (outer) {
      const onAbort = () => this.#controller.abort(outer.reason);
      if (outer.aborted) onAbort();
      else {
        outer.addEventListener('abort', onAbort, { once: true });
        this.#cleanups.push(() => outer.removeEventListener('abort', onAbort));
      }
    }
  }

  /** The model for agents without their own. */
  get llm(): ChatModel | undefined {
    return this.#llm ?? this.#host.llm;
  }

  get approveToolCall(): ToolApprovalHook | undefined {
    return this.#host.approveToolCall;
  }

  get serverRequestHooks(): ServerRequestHooks {
    return this.#host.serverRequestHooks;
  }

  get samplingLimiter(): SamplingRateLimiter {
    return this.#host.samplingLimiter;
  }

  /** Notes a tool call in flight on `server`; the returned function ends it. */
  trackToolCall(server: string, call: InFlightToolCall): () => void {
    const key = Symbol(call.agent);
    let calls = this.#inFlight.get(server);
    if (!calls) this.#inFlight.set(server, (calls = new Map()));
    calls.set(key, call);
    return () => {
      calls.delete(key);
      if (calls.size === 0 && this.#inFlight.get(server) === calls) this.#inFlight.delete(server);
    };
  }

  /** The agent whose tool calls are in flight on `server`, when exactly one agent's are. */
  soleCaller(server: string): InFlightToolCall | undefined {
    const calls = [...(this.#inFlight.get(server)?.values() ?? [])];
    return calls.length > 0 && calls.every((call) => call.agent === calls[0]!.agent)
      ? calls[0]
      : undefined;
  }

  get maxAgentDepth(): number {
    return this.#host.maxAgentDepth;
  }

  /** Aborted when the runtime is disposed or its signal aborts. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Runs the agent registered as `name` on `input`. */
  async callAgent(
    name: string,
    input: string,
    options: AgentRunOptions = {},
  ): Promise<AgentResult> {
    const agent = this.requireAgent(name);
    if (this.#closed) {
      throw new McpCancelledError(`The runtime is closed; "${name}" was not run`);
    }
    return agent.run(input, this, options);
  }

  /** Runs the agent and yields its events as they happen; the last one is `done`. */
  callAgentStream(
    name: string,
    input: string,
    options: Omit<AgentRunOptions, 'onEvent'> = {},
  ): AsyncIterable<AgentEvent> {
    const queue = new AsyncQueue<AgentEvent>();
    const controller = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, controller.signal])
      : controller.signal;
    void this.callAgent(name, input, {
      ...options,
      signal,
      stream: options.stream ?? true,
      onEvent: (event) => queue.push(event),
    }).then(
      () => queue.end(),
      (error: unknown) => queue.fail(error),
    );
    // Leaving the loop early cancels the run.
    return queue.iterate(() => controller.abort(new Error('the stream was left early')));
  }

  /** Runs a flow (registered by name, or given) on `input`. */
  async runFlow(
    flow: string | Flow,
    input: string,
    options: FlowRunOptions = {},
  ): Promise<FlowResult> {
    const found = typeof flow === 'string' ? this.#host.getFlow(flow) : flow;
    if (!found) {
      throw new McpConfigError(`No flow "${String(flow)}" is registered`, {
        field: 'flow',
        expected: 'a registered flow name or a Flow',
        received: flow,
      });
    }
    if (this.#closed)
      throw new McpCancelledError(`The runtime is closed; "${found.name}" was not run`);
    return found.run(this, input, options);
  }

  /** Makes `tool` available to every LLM agent that runs in this runtime from now on. */
  registerTool(tool: McpTool): void {
    this.#dynamicTools.set(tool.uri ?? tool.name, tool);
    this.#toolsVersion++;
  }

  /** Grows with every `registerTool`, so running agents know to look at their tools again. */
  get toolsVersion(): number {
    return this.#toolsVersion;
  }

  /** Tools registered with `registerTool`. */
  get dynamicTools(): McpTool[] {
    return [...this.#dynamicTools.values()];
  }

  /** A tool registered with the app or this runtime by name. */
  tool(name: string): McpTool | undefined {
    return (
      this.#host.getTool(name) ??
      this.#dynamicTools.get(name) ??
      [...this.#dynamicTools.values()].find((tool) => tool.name === name)
    );
  }

  /** The agent registered as `name`; an unknown name is an McpConfigError listing the known ones. */
  requireAgent(name: string): Agent {
    const agent = this.#host.getAgent(name);
    if (!agent) {
      throw new McpConfigError(
        `No agent "${name}" is registered; known agents: ${this.#host.agentNames.join(', ') || 'none'}`,
        {
          field: 'agent',
          expected: `one of ${this.#host.agentNames.join(', ') || '(none)'}`,
          received: name,
        },
      );
    }
    return agent;
  }

  /** What the agent `name` remembers in this runtime. */
  memoryOf(name: string): ConversationMemory {
    let memory = this.#memories.get(name);
    if (!memory) this.#memories.set(name, (memory = new ConversationMemory()));
    return memory;
  }

  /** A signal that aborts with the runtime or with `signal`. */
  signalFor(signal: AbortSignal | undefined): AbortSignal {
    return signal ? AbortSignal.any([this.#controller.signal, signal]) : this.#controller.signal;
  }

  /** Runs `cleanup` when the runtime closes (used by the app to undo per-runtime hooks). */
  onClose(cleanup: () => void | Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  /** Cancels what still runs and releases the runtime's hooks. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#controller.abort(new Error('the runtime was closed'));
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.emitWarning(
          `A runtime cleanup failed: ${error instanceof Error ? error.message : String(error)}`,
          { type: 'RuntimeCleanupError' },
        );
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
