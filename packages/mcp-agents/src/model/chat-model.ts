// ChatModel: the small interface every model provider implements (OpenAIChatLLM over HTTP,
// ScriptedChatModel in tests), in the shapes the agent loop speaks.
import type { JsonSchema } from '@tframex/mcp-api';

/** A part of a message that is more than text: an image the model may look at. */
export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; /** Base64-encoded bytes. */ data: string; mimeType: string };

/** A tool call as the model asked for it; `arguments` is the JSON text the model wrote. */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[]; name?: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ChatToolCall[]; name?: string }
  | { role: 'tool'; toolCallId: string; content: string; isError?: boolean };

/** A tool as the model is told about it. */
export interface ChatToolDefinition {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/** `auto`: the model decides; `none`: no tool calls; `required`: at least one. */
export type ChatToolChoice = 'auto' | 'none' | 'required';

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ChatToolDefinition[];
  toolChoice?: ChatToolChoice;
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
  /** Cancels the request. */
  signal?: AbortSignal;
}

export type ChatFinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'other';

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface ChatResponse {
  content: string | null;
  toolCalls: ChatToolCall[];
  finishReason: ChatFinishReason;
  usage?: ChatUsage;
  /** The model that answered, as the provider names it. */
  model?: string;
}

/** What a streaming model yields: text as it comes, whole tool calls, then the response. */
export type ChatStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; call: ChatToolCall }
  | { type: 'finish'; response: ChatResponse };

export interface ChatModel {
  /** The model's name (`gpt-4o-mini`, `scripted`). */
  readonly modelName: string;
  /** Whether the model takes images in user messages (tool-result images are attached then). */
  readonly acceptsImages?: boolean;
  /** One completion. */
  chat(request: ChatRequest): Promise<ChatResponse>;
  /** The same completion as it is produced; the last event is `finish`. */
  stream?(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
}

/** Adds up usage figures; missing ones count as zero. */
export function addUsage(total: ChatUsage, more: ChatUsage | undefined): ChatUsage {
  if (!more) return total;
  return {
    inputTokens: total.inputTokens + more.inputTokens,
    outputTokens: total.outputTokens + more.outputTokens,
    totalTokens: total.totalTokens + more.totalTokens,
  };
}

export const ZERO_USAGE: ChatUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
});
