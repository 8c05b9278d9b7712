// The OpenAI chat-completions wire format: ChatRequest → request body, response body →
// ChatResponse. Lenient where OpenAI-compatible servers differ (Ollama, vLLM, llama-server,
// LM Studio): tool calls without ids, arguments sent as objects, finish reasons that say
// `stop` although tool calls came.
import { ModelResponseError } from '../errors/model-response-error.js';
import type {
  ChatContentPart,
  ChatFinishReason,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ChatToolCall,
  ChatUsage,
} from './chat-model.js';

type WireContent = string | Array<Record<string, unknown>>;

function wireContent(content: string | ChatContentPart[]): WireContent {
  if (typeof content === 'string') return content;
  return content.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.data}` } },
  );
}

function wireMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return {
        role: 'user',
        content: wireContent(message.content),
        ...(message.name ? { name: message.name } : {}),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

/** The JSON body of a `/chat/completions` request. */
export function toWireRequest(
  model: string,
  request: ChatRequest,
  stream: boolean,
  defaults: {
    temperature?: number;
    maxTokens?: number;
    maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  },
): Record<string, unknown> {
  const temperature = request.temperature ?? defaults.temperature;
  const maxTokens = request.maxTokens ?? defaults.maxTokens;
  return {
    model,
    messages: request.messages.map(wireMessage),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function',
            function: {
              name: tool.name,
              description: tool.description,
              parameters: tool.parameters,
            },
          })),
          ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
        }
      : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxTokens !== undefined ? { [defaults.maxTokensField ?? 'max_tokens']: maxTokens } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

const FINISH_REASONS: Record<string, ChatFinishReason> = {
  stop: 'stop',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  length: 'length',
  content_filter: 'content-filter',
};

export function toFinishReason(value: unknown, hasToolCalls: boolean): ChatFinishReason {
  if (hasToolCalls) return 'tool-calls';
  return typeof value === 'string' ? (FINISH_REASONS[value] ?? 'other') : 'other';
}

export function toUsage(value: unknown): ChatUsage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const usage = value as Record<string, unknown>;
  const input = typeof usage['prompt_tokens'] === 'number' ? usage['prompt_tokens'] : 0;
  const output = typeof usage['completion_tokens'] === 'number' ? usage['completion_tokens'] : 0;
  const total = typeof usage['total_tokens'] === 'number' ? usage['total_tokens'] : input + output;
  return { inputTokens: input, outputTokens: output, totalTokens: total };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Arguments as JSON text, whether the server sent a string or an object. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function toToolCall(value: unknown, index: number, excerpt: string): ChatToolCall {
  const fn = isRecord(value) ? value['function'] : undefined;
  if (!isRecord(value) || !isRecord(fn) || typeof fn['name'] !== 'string' || fn['name'] === '') {
    throw new ModelResponseError('The model sent a tool call without a function name', {
      excerpt,
    });
  }
  const id = typeof value['id'] === 'string' && value['id'] !== '' ? value['id'] : `call_${index}`;
  return { id, name: fn['name'], arguments: argumentsText(fn['arguments']) };
}

/** A non-streaming `/chat/completions` response → ChatResponse. */
export function fromWireResponse(body: unknown, text: string): ChatResponse {
  const choices = isRecord(body) ? body['choices'] : undefined;
  const choice = Array.isArray(choices) ? choices[0] : undefined;
  const message = isRecord(choice) ? choice['message'] : undefined;
  if (!isRecord(choice) || !isRecord(message)) {
    throw new ModelResponseError('The model answered without choices[0].message', {
      excerpt: text,
    });
  }
  const rawCalls = message['tool_calls'];
  const toolCalls = Array.isArray(rawCalls)
    ? rawCalls.map((call, index) => toToolCall(call, index, text))
    : [];
  const content = message['content'];
  const usage = toUsage((body as Record<string, unknown>)['usage']);
  const model = (body as Record<string, unknown>)['model'];
  return {
    content: typeof content === 'string' ? content : null,
    toolCalls,
    finishReason: toFinishReason(choice['finish_reason'], toolCalls.length > 0),
    ...(usage ? { usage } : {}),
    ...(typeof model === 'string' ? { model } : {}),
  };
}
