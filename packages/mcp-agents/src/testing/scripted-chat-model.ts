// ScriptedChatModel: a model double for tests and demos where no real model can run. It is not
// a language model: it answers from a script, one step per call (or from a function), and
// records every request, so agent logic can be tested deterministically.
import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamEvent,
  ChatToolCall,
  ChatUsage,
} from '../model/chat-model.js';

/** One scripted answer: text, tool calls, or both. */
export interface ScriptedStep {
  text?: string;
  toolCalls?: Array<{ name: string; arguments?: Record<string, unknown> | string; id?: string }>;
  usage?: ChatUsage;
  finishReason?: ChatResponse['finishReason'];
}

/** A step, a function that picks one from the request, or an error to throw. */
export type ScriptedAnswer =
  | ScriptedStep
  | Error
  | ((request: ChatRequest, call: number) => ScriptedStep | Promise<ScriptedStep>);

export interface ScriptedChatModelOptions {
  /** Answers in order, one per call. */
  script?: ScriptedAnswer[];
  /** Answers every call the script does not cover (default: none; such a call throws). */
  respond?: (request: ChatRequest, call: number) => ScriptedStep | Promise<ScriptedStep>;
  /** Name reported as `modelName` (default `scripted-model`). */
  name?: string;
  acceptsImages?: boolean;
}

export class ScriptedChatModel implements ChatModel {
  readonly modelName: string;
  readonly acceptsImages: boolean;
  /** Every request received, in order (messages copied at the time of the call). */
  readonly requests: ChatRequest[] = [];
  readonly #script: ScriptedAnswer[];
  readonly #respond: ScriptedChatModelOptions['respond'];
  #nextId = 0;

  constructor(options: ScriptedChatModelOptions = {}) {
    this.#script = [...(options.script ?? [])];
    this.#respond = options.respond;
    this.modelName = options.name ?? 'scripted-model';
    this.acceptsImages = options.acceptsImages ?? false;
  }

  /** A step that calls one tool. */
  static toolCall(name: string, args: Record<string, unknown> = {}, id?: string): ScriptedStep {
    return { toolCalls: [{ name, arguments: args, ...(id ? { id } : {}) }] };
  }

  /** A step that answers with text. */
  static text(text: string): ScriptedStep {
    return { text };
  }

  /** Steps left in the script. */
  get remaining(): number {
    return this.#script.length;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const call = this.requests.length;
    this.requests.push({ ...request, messages: structuredClone(request.messages) });
    if (request.signal?.aborted) throw request.signal.reason;
    const next = this.#script.shift();
    let step: ScriptedStep;
    if (next instanceof Error) throw next;
    if (typeof next === 'function') step = await next(request, call);
    else if (next) step = next;
    else if (this.#respond) step = await this.#respond(request, call);
    else {
      throw new Error(
        `ScriptedChatModel "${this.modelName}": the script has no answer for call ${call + 1}`,
      );
    }
    const toolCalls: ChatToolCall[] = (step.toolCalls ?? []).map((tool) => ({
      id: tool.id ?? `call_scripted_${++this.#nextId}`,
      name: tool.name,
      arguments:
        typeof tool.arguments === 'string' ? tool.arguments : JSON.stringify(tool.arguments ?? {}),
    }));
    return {
      content: step.text ?? null,
      toolCalls,
      finishReason: step.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop'),
      usage: step.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      model: this.modelName,
    };
  }

  /** The same answers, streamed: text word by word, then the tool calls, then `finish`. */
  async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    const response = await this.chat(request);
    for (const piece of (response.content ?? '').match(/\S+\s*/g) ?? []) {
      yield { type: 'text-delta', text: piece };
    }
    for (const call of response.toolCalls) yield { type: 'tool-call', call };
    yield { type: 'finish', response };
  }
}
