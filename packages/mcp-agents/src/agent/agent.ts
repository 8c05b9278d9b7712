// Agent: what a TFrameX app runs by name. LLMAgent is the one that talks to a model; any object
// with a name, a description and `run` can stand in a flow or be called by another agent.
import type { McpToolSource } from '@tframex/mcp-api';
import type { ChatModel } from '../model/chat-model.js';
import type { Runtime } from '../app/runtime.js';
import type { AgentEvent, AgentResult } from './agent-result.js';
import type { ToolApprovalHook } from './tool-approval.js';

export interface AgentRunOptions {
  /** Cancels the run (model calls and tool calls); the run rejects with McpCancelledError. */
  signal?: AbortSignal;
  /** Sees every event of the run (text deltas, tool calls and results, the end). */
  onEvent?: (event: AgentEvent) => void;
  /** Stream model output (text deltas) where the model can. Default: when `onEvent` is given. */
  stream?: boolean;
  /** How deep in agent-calls-agent this run is (0 for a direct call). */
  depth?: number;
}

/** What an app hands to the agents registered with it. */
export interface AgentHost {
  readonly llm: ChatModel | undefined;
  readonly toolSource: McpToolSource;
  readonly approveToolCall: ToolApprovalHook | undefined;
}

export interface Agent {
  readonly name: string;
  readonly description: string;
  run(input: string, runtime: Runtime, options?: AgentRunOptions): Promise<AgentResult>;
  /** Called by `TFrameXApp.registerAgent`. */
  attach?(host: AgentHost): void;
}
