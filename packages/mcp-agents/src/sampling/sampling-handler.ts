// Serves an MCP server's `sampling/createMessage` with a ChatModel: the server's messages become
// a chat request (system prompt, text, images where the model takes them), the model's answer
// becomes a CreateMessageResult. Approval and the rate limit are checked first.
import {
  McpRateLimitedError,
  McpSecurityError,
  type McpServerRequestContext,
  type McpServerRequestHandler,
} from '@tframex/mcp-api';
import type { ChatContentPart, ChatMessage, ChatModel } from '../model/chat-model.js';
import type { SamplingRateLimiter } from './sampling-rate-limiter.js';
import type { ElicitationAnswer, ServerRequestHooks } from './server-request-hooks.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function contentParts(content: unknown, acceptsImages: boolean): ChatContentPart[] {
  const blocks = Array.isArray(content) ? content : [content];
  const parts: ChatContentPart[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (block['type'] === 'text' && typeof block['text'] === 'string') {
      parts.push({ type: 'text', text: block['text'] });
    } else if (
      block['type'] === 'image' &&
      typeof block['data'] === 'string' &&
      typeof block['mimeType'] === 'string'
    ) {
      parts.push(
        acceptsImages
          ? { type: 'image', data: block['data'], mimeType: block['mimeType'] }
          : { type: 'text', text: `[image: ${block['mimeType']}, not shown]` },
      );
    } else if (block['type'] === 'tool_result' || block['type'] === 'tool_use') {
      parts.push({ type: 'text', text: JSON.stringify(block) });
    } else if (typeof block['type'] === 'string') {
      parts.push({ type: 'text', text: `[${block['type']} content, not shown]` });
    }
  }
  return parts;
}

/** The chat messages for a `sampling/createMessage` request. */
export function samplingMessages(params: Record<string, unknown>, model: ChatModel): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (typeof params['systemPrompt'] === 'string' && params['systemPrompt'] !== '') {
    messages.push({ role: 'system', content: params['systemPrompt'] });
  }
  for (const message of Array.isArray(params['messages']) ? params['messages'] : []) {
    if (!isRecord(message)) continue;
    const parts = contentParts(message['content'], model.acceptsImages === true);
    const onlyText = parts.every((part) => part.type === 'text');
    const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    if (message['role'] === 'assistant') messages.push({ role: 'assistant', content: text });
    else messages.push({ role: 'user', content: onlyText ? text : parts });
  }
  return messages;
}

export interface SamplingHandlerOptions {
  readonly model: ChatModel;
  /** The agent whose model answers (undefined for the app-wide fallback). */
  readonly agent: string | undefined;
  readonly hooks: ServerRequestHooks;
  readonly limiter: SamplingRateLimiter;
}

export function createSamplingHandler(options: SamplingHandlerOptions): McpServerRequestHandler {
  const { model, agent, hooks, limiter } = options;
  const maxTokensCap = hooks.maxSamplingTokens ?? 4096;
  return async (params, context: McpServerRequestContext) => {
    if (hooks.approveSampling) {
      const approved = await hooks.approveSampling({
        agent,
        server: context.server,
        params,
        ...(context.relatedRequest ? { relatedRequest: context.relatedRequest } : {}),
      });
      if (!approved) {
        throw new McpSecurityError(`Sampling for "${context.server}" was not approved`, {
          server: context.server,
          method: context.method,
        });
      }
    }
    const taken = limiter.take();
    if (!taken.ok) {
      throw new McpRateLimitedError(
        `Sampling for "${context.server}" exceeds ${limiter.limit.maxRequests} requests per ${limiter.limit.windowMs} ms`,
        { server: context.server, retryAfterMs: taken.retryAfterMs, source: 'local' },
      );
    }
    const asked = typeof params['maxTokens'] === 'number' ? params['maxTokens'] : maxTokensCap;
    const stop = Array.isArray(params['stopSequences'])
      ? params['stopSequences'].filter((s): s is string => typeof s === 'string')
      : [];
    const response = await model.chat({
      messages: samplingMessages(params, model),
      maxTokens: Math.max(1, Math.min(asked, maxTokensCap)),
      ...(typeof params['temperature'] === 'number' ? { temperature: params['temperature'] } : {}),
      ...(stop.length ? { stop } : {}),
      signal: context.signal,
    });
    return {
      role: 'assistant',
      content: { type: 'text', text: response.content ?? '' },
      model: response.model ?? model.modelName,
      stopReason:
        response.finishReason === 'length'
          ? 'maxTokens'
          : response.finishReason === 'stop'
            ? 'endTurn'
            : response.finishReason,
    };
  };
}

/** Answers `elicitation/create` with the user's hook (declines when there is none). */
export function createElicitationHandler(
  hooks: ServerRequestHooks,
  agent: string | undefined,
): McpServerRequestHandler {
  return async (params, context) => {
    if (!hooks.onElicitation) return { action: 'decline' };
    const answer: ElicitationAnswer = await hooks.onElicitation({
      agent,
      server: context.server,
      message: typeof params['message'] === 'string' ? params['message'] : '',
      params,
      signal: context.signal,
    });
    return {
      action: answer.action,
      ...(answer.action === 'accept' && answer.content ? { content: answer.content } : {}),
    };
  };
}
