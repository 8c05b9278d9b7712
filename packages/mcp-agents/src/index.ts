// @tframex/mcp-agents: the TFrameX agent runtime for TypeScript. LLM agents that call mcp://
// tools from any McpToolSource, dynamic tool loading, an OpenAI-compatible model client.
export { TFrameXApp } from './app/tframex-app.js';
export type { TFrameXAppOptions } from './app/tframex-app.js';
export { Runtime } from './app/runtime.js';
export type { RuntimeHost, RuntimeOptions } from './app/runtime.js';
export { LLMAgent } from './agent/llm-agent.js';
export type { AgentToolSpec, LLMAgentOptions } from './agent/llm-agent.js';
export type { Agent, AgentHost, AgentRunOptions } from './agent/agent.js';
export type {
  AgentEvent,
  AgentResult,
  AgentStopReason,
  ToolCallOutcome,
  ToolCallRecord,
} from './agent/agent-result.js';
export { ConversationMemory } from './agent/conversation-memory.js';
export type { ToolApprovalHook, ToolApprovalRequest } from './agent/tool-approval.js';
export { stripThinkTags } from './agent/strip-think-tags.js';
export type { InFlightToolCall } from './app/runtime.js';
export type {
  ElicitationAnswer,
  ElicitationRequest,
  SamplingApprovalRequest,
  ServerRequestHooks,
} from './sampling/server-request-hooks.js';
export type { SamplingRateLimit } from './sampling/sampling-rate-limiter.js';

export { Flow } from './flows/flow.js';
export type { FlowOptions, FlowResult, FlowRunOptions } from './flows/flow.js';
export type { FlowContext, FlowPattern, FlowStep, FlowStepRecord } from './flows/flow-context.js';
export {
  DiscussionPattern,
  ParallelPattern,
  RouterPattern,
  SequentialPattern,
} from './flows/patterns.js';
export type { DiscussionPatternOptions, RouterPatternOptions } from './flows/patterns.js';

export type {
  ChatContentPart,
  ChatFinishReason,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamEvent,
  ChatToolCall,
  ChatToolChoice,
  ChatToolDefinition,
  ChatUsage,
} from './model/chat-model.js';
export { OpenAIChatLLM } from './model/openai-chat-llm.js';
export type { OpenAIChatLLMOptions } from './model/openai-chat-llm.js';
export { ModelApiError } from './errors/model-api-error.js';
export type { ModelApiErrorOptions } from './errors/model-api-error.js';
export { ModelResponseError } from './errors/model-response-error.js';
export type { ModelResponseErrorOptions } from './errors/model-response-error.js';
