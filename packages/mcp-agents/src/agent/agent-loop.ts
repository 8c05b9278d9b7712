// The loop of an LLM agent: ask the model, run the tools it calls, give it the results, until it
// answers without calling tools or the tool-iteration limit is reached. Cancellation of the
// run's signal ends it with McpCancelledError; everything else ends with a result.
import type { McpServerRequestHandlers, McpTool } from '@tframex/mcp-api';
import {
  addUsage,
  ZERO_USAGE,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ChatToolCall,
} from '../model/chat-model.js';
import type { ArgumentValidator } from '../tools/argument-validator.js';
import { toModelToolResult } from '../tools/tool-result-content.js';
import type { AgentEvent, AgentResult, AgentStopReason, ToolCallRecord } from './agent-result.js';
import { stripThinkTags } from './strip-think-tags.js';
import type { ToolApprovalHook } from './tool-approval.js';
import { cancelled, executeToolCalls } from './tool-executor.js';

export interface AgentLoopRequest {
  readonly agent: string;
  readonly model: ChatModel;
  /** System prompt and remembered history; the user's input is the last message. */
  readonly messages: ChatMessage[];
  /** How many leading messages are context rather than this run's own (system, history). */
  readonly contextLength: number;
  /** The tools for the next model call (asked before every call, so tool changes show). */
  readonly tools: () => Promise<ReadonlyMap<string, McpTool>>;
  readonly maxToolIterations: number;
  readonly maxParallelToolCalls: number;
  readonly toolTimeoutMs: number;
  readonly requireApproval: readonly string[];
  readonly approve: ToolApprovalHook | undefined;
  /** Server requests (sampling, elicitation) caused by this run's tool calls. */
  readonly serverRequestHandlers?: McpServerRequestHandlers;
  /** Notes a tool call in flight on its server (see Runtime.trackToolCall). */
  readonly track?: (tool: McpTool) => () => void;
  readonly validator: ArgumentValidator;
  readonly stripThinkTags: boolean;
  /** Longest tool result text the model is given. */
  readonly maxToolResultChars: number;
  readonly stream: boolean;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly signal: AbortSignal;
  readonly emit: (event: AgentEvent) => void;
}

async function callModel(request: AgentLoopRequest, chat: ChatRequest): Promise<ChatResponse> {
  const { model } = request;
  if (!request.stream || !model.stream) return model.chat(chat);
  let response: ChatResponse | undefined;
  for await (const event of model.stream(chat)) {
    if (event.type === 'text-delta') {
      request.emit({ type: 'text-delta', agent: request.agent, text: event.text });
    } else if (event.type === 'finish') response = event.response;
  }
  if (!response)
    throw new Error(`The model "${model.modelName}" ended its stream without finishing`);
  return response;
}

export async function runAgentLoop(request: AgentLoopRequest): Promise<AgentResult> {
  const { agent, signal } = request;
  const messages = request.messages;
  const records: ToolCallRecord[] = [];
  let usage = ZERO_USAGE;
  let modelCalls = 0;
  let toolRounds = 0;
  let stopReason: AgentStopReason = 'completed';
  let content = '';

  for (;;) {
    if (signal.aborted) throw cancelled(signal);
    let tools = await request.tools();
    const definitions = [...tools].map(([name, tool]) => ({
      name,
      description: tool.description,
      parameters: tool.inputSchema,
    }));
    let response: ChatResponse;
    try {
      response = await callModel(request, {
        messages,
        ...(definitions.length ? { tools: definitions, toolChoice: 'auto' as const } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw cancelled(signal);
      throw error;
    }
    modelCalls++;
    usage = addUsage(usage, response.usage);
    request.emit({ type: 'model-response', agent, modelCall: modelCalls, response });
    const text = response.content ?? '';
    const calls = response.toolCalls;
    messages.push({
      role: 'assistant',
      content: response.content,
      ...(calls.length ? { toolCalls: calls } : {}),
    });
    if (calls.length === 0) {
      content = text;
      if (response.finishReason === 'length') stopReason = 'length';
      if (response.finishReason === 'content-filter') stopReason = 'content-filter';
      break;
    }
    if (toolRounds >= request.maxToolIterations) {
      // Answer the pending calls so the conversation stays valid, then stop.
      for (const call of calls) messages.push(limitMessage(call, request.maxToolIterations));
      stopReason = 'max-tool-iterations';
      content =
        text ||
        `The agent "${agent}" stopped after ${request.maxToolIterations} rounds of tool calls without a final answer.`;
      break;
    }
    toolRounds++;
    // A call to a name not offered may be a tool that appeared since: look once more.
    if (calls.some((call) => !tools.has(call.name))) tools = await request.tools();
    const roundRecords = await executeToolCalls(calls, {
      agent,
      tools,
      validator: request.validator,
      maxParallel: request.maxParallelToolCalls,
      timeoutMs: request.toolTimeoutMs,
      requireApproval: request.requireApproval,
      approve: request.approve,
      ...(request.serverRequestHandlers
        ? { serverRequestHandlers: request.serverRequestHandlers }
        : {}),
      ...(request.track ? { track: request.track } : {}),
      signal,
      emit: request.emit,
    });
    records.push(...roundRecords);
    const attachments = [];
    for (const record of roundRecords) {
      const converted = toModelToolResult(
        record.result,
        request.model.acceptsImages === true,
        request.maxToolResultChars,
      );
      messages.push({
        role: 'tool',
        toolCallId: record.id,
        content: converted.text,
        ...(record.result.isError ? { isError: true } : {}),
      });
      attachments.push(...converted.attachments);
    }
    if (attachments.length) {
      messages.push({
        role: 'user',
        content: [{ type: 'text', text: 'Images returned by the tools above:' }, ...attachments],
      });
    }
  }

  const finalContent = request.stripThinkTags ? stripThinkTags(content) : content;
  const own = messages.slice(request.contextLength);
  const result: AgentResult = {
    agent,
    content: finalContent,
    stopReason,
    modelCalls,
    toolCalls: records,
    usage,
    messages: own,
  };
  request.emit({ type: 'done', result });
  return result;
}

function limitMessage(call: ChatToolCall, limit: number): ChatMessage {
  return {
    role: 'tool',
    toolCallId: call.id,
    content: `Error: not run — the limit of ${limit} tool rounds was reached.`,
    isError: true,
  };
}
