// Assembles a chat-completions chunk stream: text deltas pass through, tool-call deltas are
// joined by `index` across chunks (id and name come once, arguments in pieces), and the
// finish reason and the trailing usage chunk make up the final response.
import { ModelApiError } from '../errors/model-api-error.js';
import { ModelResponseError } from '../errors/model-response-error.js';
import type { ChatResponse, ChatStreamEvent, ChatToolCall, ChatUsage } from './chat-model.js';
import { argumentsText, toFinishReason, toUsage } from './openai-wire.js';

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class ChatStreamAssembler {
  #content = '';
  #sawContent = false;
  readonly #calls = new Map<number, PartialCall>();
  #finish: unknown;
  #usage: ChatUsage | undefined;
  #model: string | undefined;

  /** Takes one `data:` payload (not `[DONE]`) and returns the events it completes. */
  push(payload: string): ChatStreamEvent[] {
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch (cause) {
      throw new ModelResponseError('The model sent a stream chunk that is not JSON', {
        excerpt: payload,
        cause,
      });
    }
    if (!isRecord(chunk)) {
      throw new ModelResponseError('The model sent a stream chunk that is not an object', {
        excerpt: payload,
      });
    }
    if (isRecord(chunk['error'])) {
      const error = chunk['error'];
      const message = typeof error['message'] === 'string' ? error['message'] : 'unknown error';
      const code =
        typeof error['code'] === 'string'
          ? error['code']
          : typeof error['type'] === 'string'
            ? error['type']
            : undefined;
      throw new ModelApiError(`The model failed mid-stream: ${message}`, {
        ...(code ? { code } : {}),
      });
    }
    if (typeof chunk['model'] === 'string') this.#model = chunk['model'];
    const usage = toUsage(chunk['usage']);
    if (usage) this.#usage = usage;
    const events: ChatStreamEvent[] = [];
    const choices = Array.isArray(chunk['choices']) ? chunk['choices'] : [];
    for (const choice of choices) {
      if (!isRecord(choice) || (typeof choice['index'] === 'number' && choice['index'] !== 0))
        continue;
      const delta = isRecord(choice['delta']) ? choice['delta'] : {};
      if (typeof delta['content'] === 'string' && delta['content'] !== '') {
        this.#content += delta['content'];
        this.#sawContent = true;
        events.push({ type: 'text-delta', text: delta['content'] });
      }
      if (Array.isArray(delta['tool_calls'])) {
        for (const [position, raw] of delta['tool_calls'].entries()) this.#addCall(raw, position);
      }
      if (choice['finish_reason'] !== undefined && choice['finish_reason'] !== null) {
        this.#finish = choice['finish_reason'];
      }
    }
    return events;
  }

  /** The whole tool calls and the final response, once the stream has ended. */
  finish(): ChatStreamEvent[] {
    const toolCalls: ChatToolCall[] = [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => {
        if (call.name === '') {
          throw new ModelResponseError('The model streamed a tool call without a function name', {
            excerpt: JSON.stringify(call),
          });
        }
        return { id: call.id || `call_${index}`, name: call.name, arguments: call.arguments };
      });
    const response: ChatResponse = {
      content: this.#sawContent ? this.#content : null,
      toolCalls,
      finishReason: toFinishReason(this.#finish, toolCalls.length > 0),
      ...(this.#usage ? { usage: this.#usage } : {}),
      ...(this.#model ? { model: this.#model } : {}),
    };
    return [
      ...toolCalls.map((call): ChatStreamEvent => ({ type: 'tool-call', call })),
      { type: 'finish', response },
    ];
  }

  #addCall(raw: unknown, position: number): void {
    if (!isRecord(raw)) return;
    const index = typeof raw['index'] === 'number' ? raw['index'] : position;
    const call = this.#calls.get(index) ?? { id: '', name: '', arguments: '' };
    this.#calls.set(index, call);
    if (typeof raw['id'] === 'string' && raw['id'] !== '') call.id = raw['id'];
    const fn = isRecord(raw['function']) ? raw['function'] : {};
    if (typeof fn['name'] === 'string' && fn['name'] !== '') {
      // Some servers repeat the name on every delta; others send it once.
      call.name = call.name === fn['name'] ? call.name : call.name + fn['name'];
    }
    if (fn['arguments'] !== undefined) call.arguments += argumentsText(fn['arguments']);
  }
}
