// OpenAIChatLLM: a ChatModel over any OpenAI-compatible `/chat/completions` endpoint (OpenAI,
// Ollama, vLLM, LM Studio, llama.cpp's llama-server). Plain fetch, retries on 429/5xx that
// honour Retry-After, streaming with tool-call deltas assembled across chunks, usage.
import { McpCancelledError, McpTimeoutError } from '@tframex/mcp-api';
import * as z from 'zod';
import { ModelApiError } from '../errors/model-api-error.js';
import { ModelResponseError } from '../errors/model-response-error.js';
import { parseOptions } from '../options/parse-options.js';
import { ChatStreamAssembler } from './chat-stream-assembler.js';
import type { ChatModel, ChatRequest, ChatResponse, ChatStreamEvent } from './chat-model.js';
import { fromWireResponse, toWireRequest } from './openai-wire.js';
import { isRetryableStatus, retryAfterMs } from './retry-after.js';
import { sseData } from './sse-lines.js';

export interface OpenAIChatLLMOptions {
  /** The model name the server knows (`gpt-4o-mini`, `llama3.1`, `qwen2.5:0.5b`). */
  model: string;
  /** Base URL ending in `/v1` (default `https://api.openai.com/v1`). */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <key>`; never printed or serialised. */
  apiKey?: string;
  /** Extra headers for every request (e.g. `OpenAI-Organization`). */
  headers?: Record<string, string>;
  /** Retries after a 408/409/429/5xx answer or a network failure (default 2). */
  maxRetries?: number;
  /** First retry wait when the server gives no Retry-After, doubled each time (default 500 ms). */
  retryDelayMs?: number;
  /** Longest wait between tries; a longer Retry-After ends the retries (default 30 000 ms). */
  maxRetryDelayMs?: number;
  /** Budget for one request, streams included (default 120 000 ms). */
  timeoutMs?: number;
  /** Whether the model takes images (tool-result images are then attached). Default false. */
  acceptsImages?: boolean;
  /** Default sampling temperature. */
  temperature?: number;
  /** Default completion length limit (`max_tokens`). */
  maxTokens?: number;
  /** Largest response body or stream event accepted (default 8 MiB). */
  maxResponseBytes?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

const fn = z.custom<typeof fetch>((v) => typeof v === 'function', { error: 'a function' });
const optionsSchema = z.object({
  model: z.string().min(1, { error: 'a model name' }),
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL ending in /v1' })
    .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), {
      error: 'a URL without credentials (give the key as apiKey)',
    })
    .optional(),
  apiKey: z.string({ error: 'a string' }).optional(),
  headers: z.record(z.string(), z.string(), { error: 'a record of header values' }).optional(),
  maxRetries: z.number().int().min(0).max(10, { error: 'a whole number from 0 to 10' }).optional(),
  retryDelayMs: z.number().min(0, { error: 'milliseconds (0 or more)' }).optional(),
  maxRetryDelayMs: z.number().min(0, { error: 'milliseconds (0 or more)' }).optional(),
  timeoutMs: z.number().positive({ error: 'a positive number of milliseconds' }).optional(),
  acceptsImages: z.boolean().optional(),
  temperature: z.number().min(0).max(2, { error: 'a number from 0 to 2' }).optional(),
  maxTokens: z.number().int().positive({ error: 'a positive whole number' }).optional(),
  maxResponseBytes: z.number().int().positive({ error: 'a positive number of bytes' }).optional(),
  fetch: fn.optional(),
});

const REDACTED = '[redacted]';

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > limit) {
      throw new ModelResponseError(`The model's response exceeded ${limit} bytes`);
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

function providerError(text: string): { message?: string; code?: string } {
  try {
    const body = JSON.parse(text) as {
      error?: { message?: unknown; code?: unknown; type?: unknown };
    };
    const error = body.error;
    if (typeof error !== 'object' || error === null) return {};
    const code = typeof error.code === 'string' ? error.code : error.type;
    return {
      ...(typeof error.message === 'string' ? { message: error.message } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  } catch {
    return {};
  }
}

export class OpenAIChatLLM implements ChatModel {
  readonly modelName: string;
  readonly baseUrl: string;
  /** The base URL without its query, safe to print. */
  readonly #shownUrl: string;
  readonly acceptsImages: boolean;
  readonly #apiKey: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #defaults: { temperature?: number; maxTokens?: number };
  readonly #fetch: typeof fetch;

  constructor(options: OpenAIChatLLMOptions) {
    const parsed = parseOptions('OpenAIChatLLM', optionsSchema, options, [
      'apiKey',
      'headers',
      'baseUrl',
    ]);
    this.modelName = parsed.model;
    this.baseUrl = (parsed.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
    const shown = new URL(this.baseUrl);
    this.#shownUrl = `${shown.origin}${shown.pathname}`.replace(/\/+$/, '');
    this.acceptsImages = parsed.acceptsImages ?? false;
    this.#apiKey = parsed.apiKey;
    this.#headers = parsed.headers ?? {};
    this.#maxRetries = parsed.maxRetries ?? 2;
    this.#retryDelayMs = parsed.retryDelayMs ?? 500;
    this.#maxRetryDelayMs = parsed.maxRetryDelayMs ?? 30_000;
    this.#timeoutMs = parsed.timeoutMs ?? 120_000;
    this.#maxResponseBytes = parsed.maxResponseBytes ?? 8 * 1024 * 1024;
    this.#defaults = {
      ...(parsed.temperature !== undefined ? { temperature: parsed.temperature } : {}),
      ...(parsed.maxTokens !== undefined ? { maxTokens: parsed.maxTokens } : {}),
    };
    this.#fetch = parsed.fetch ?? ((...args) => fetch(...args));
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    return this.#withDeadline(request.signal, async (signal) => {
      const response = await this.#send(request, false, signal);
      return this.#parse(response);
    });
  }

  async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    const deadline = this.#deadline(request.signal);
    try {
      const response = await this.#send(request, true, deadline.signal).catch((error: unknown) => {
        throw deadline.translate(error);
      });
      if (!response.body) throw new ModelResponseError('The model sent an empty stream');
      if (/json/i.test(response.headers.get('content-type') ?? '')) {
        // A server that ignored `stream: true` answered with one completion: replay it.
        const completion = await this.#parse(response).catch((error: unknown) => {
          throw deadline.translate(error);
        });
        if (completion.content) yield { type: 'text-delta', text: completion.content };
        for (const call of completion.toolCalls) yield { type: 'tool-call', call };
        yield { type: 'finish', response: completion };
        return;
      }
      const assembler = new ChatStreamAssembler();
      let done = false;
      try {
        for await (const payload of sseData(response.body, this.#maxResponseBytes)) {
          if (payload.trim() === '[DONE]') {
            done = true;
            break;
          }
          yield* assembler.push(payload);
        }
      } catch (error) {
        throw deadline.translate(error);
      }
      // A stream cut before `[DONE]` and before any finish reason is a broken answer.
      const events = assembler.finish();
      const final = events.at(-1);
      if (!done && final?.type === 'finish' && final.response.finishReason === 'other') {
        throw new ModelResponseError('The model stream ended before it finished');
      }
      yield* events;
    } finally {
      deadline.dispose();
    }
  }

  /** `{ model, baseUrl, apiKey: '[redacted]' }`: safe to log. */
  toJSON(): Record<string, unknown> {
    return {
      model: this.modelName,
      baseUrl: this.#shownUrl,
      ...(this.#apiKey !== undefined ? { apiKey: REDACTED } : {}),
    };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OpenAIChatLLM ${JSON.stringify(this.toJSON())}`;
  }

  // ---- internals ------------------------------------------------------------------------

  async #parse(response: Response): Promise<ChatResponse> {
    const text = await readLimited(response, this.#maxResponseBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new ModelResponseError('The model answered with text that is not JSON', {
        excerpt: text,
        cause,
      });
    }
    return fromWireResponse(body, text);
  }

  async #withDeadline<T>(
    outer: AbortSignal | undefined,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const deadline = this.#deadline(outer);
    try {
      return await run(deadline.signal);
    } catch (error) {
      throw deadline.translate(error);
    } finally {
      deadline.dispose();
    }
  }

  #deadline(outer: AbortSignal | undefined) {
    const controller = new AbortController();
    const timeoutMs = this.#timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
    const onAbort = () => controller.abort(outer!.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener('abort', onAbort, { once: true });
    const model = this.modelName;
    return {
      signal: controller.signal,
      translate(error: unknown): unknown {
        if (!controller.signal.aborted) return error;
        if (timedOut) {
          return new McpTimeoutError(`The model "${model}" did not answer within ${timeoutMs} ms`, {
            timeoutMs,
            phase: 'request',
            cause: error,
          });
        }
        return new McpCancelledError(`The request to the model "${model}" was cancelled`, {
          reason: outer?.reason,
          cause: error,
        });
      },
      dispose() {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
      },
    };
  }

  async #send(request: ChatRequest, stream: boolean, signal: AbortSignal): Promise<Response> {
    const url = `${this.baseUrl}/chat/completions`;
    const body = JSON.stringify(toWireRequest(this.modelName, request, stream, this.#defaults));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...this.#headers,
      ...(this.#apiKey !== undefined ? { authorization: `Bearer ${this.#apiKey}` } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(url, { method: 'POST', headers, body, signal });
      } catch (cause) {
        if (signal.aborted) throw cause;
        if (attempt > this.#maxRetries) {
          throw new ModelApiError(
            `The model server at ${this.#shownUrl} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
            { retryable: true, attempts: attempt, cause },
          );
        }
        await sleep(this.#backoff(attempt), signal);
        continue;
      }
      if (response.ok) return response;
      const text = await readLimited(response, 64 * 1024).catch(() => '');
      const wait = retryAfterMs(response.headers);
      const retryable = isRetryableStatus(response.status);
      const { message, code } = providerError(text);
      const tooLong = wait !== undefined && wait > this.#maxRetryDelayMs;
      if (!retryable || attempt > this.#maxRetries || tooLong) {
        throw new ModelApiError(
          `The model server answered ${response.status}${message ? `: ${message}` : ''}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`,
          {
            status: response.status,
            retryable,
            attempts: attempt,
            ...(wait !== undefined ? { retryAfterMs: wait } : {}),
            ...(code ? { code } : {}),
          },
        );
      }
      await sleep(wait ?? this.#backoff(attempt), signal);
    }
  }

  #backoff(attempt: number): number {
    return Math.min(this.#retryDelayMs * 2 ** (attempt - 1), this.#maxRetryDelayMs);
  }
}
