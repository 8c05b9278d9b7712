import { inspect } from 'node:util';
import { McpCancelledError, McpConfigError, McpTimeoutError } from '@tframex/mcp-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelApiError } from '../errors/model-api-error.js';
import { ModelResponseError } from '../errors/model-response-error.js';
import { FakeOpenAIServer, type FakeAnswer } from '../test-support/fake-openai-server.js';
import { completion, textChunks, toolCallChunks } from '../test-support/openai-fixtures.js';
import type { ChatStreamEvent } from './chat-model.js';
import { OpenAIChatLLM } from './openai-chat-llm.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(...script: FakeAnswer[]) {
  server = await FakeOpenAIServer.start(script);
  return server;
}

const llmFor = (
  fake: FakeOpenAIServer,
  extra: Partial<ConstructorParameters<typeof OpenAIChatLLM>[0]> = {},
) =>
  new OpenAIChatLLM({
    model: 'gpt-4o-mini',
    baseUrl: fake.baseUrl,
    apiKey: 'sk-test-secret',
    retryDelayMs: 1,
    ...extra,
  });

async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const out: ChatStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('OpenAIChatLLM over HTTP (against a fake OpenAI-format server)', () => {
  it('posts to ${baseUrl}/chat/completions with the key as a bearer header and maps tool calls', async () => {
    const fake = await start({
      json: completion({
        toolCalls: [{ id: 'call_1', name: 'db__query', arguments: '{"sql":"select 1"}' }],
      }),
    });
    const llm = llmFor(fake);
    const response = await llm.chat({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      tools: [{ name: 'db__query', description: 'SQL', parameters: { type: 'object' } }],
      toolChoice: 'auto',
    });
    expect(response).toEqual({
      content: null,
      toolCalls: [{ id: 'call_1', name: 'db__query', arguments: '{"sql":"select 1"}' }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      model: 'fixture-model',
    });
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers['authorization']).toBe('Bearer sk-test-secret');
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      tools: [{ type: 'function', function: { name: 'db__query', description: 'SQL' } }],
      tool_choice: 'auto',
    });
    expect(request?.body['stream']).toBeUndefined();
  });

  it('sends assistant tool calls, tool results and images in the wire format', async () => {
    const fake = await start({ json: completion({ content: 'done' }) });
    await llmFor(fake).chat({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 't', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'c1', content: 'result' },
        { role: 'user', content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] },
      ],
    });
    expect(fake.requests[0]?.body['messages']).toEqual([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'result' },
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }],
      },
    ]);
  });

  it('streams text deltas and assembles tool-call deltas split across chunks, with usage', async () => {
    const fake = await start({
      sse: toolCallChunks(
        [
          { id: 'call_a', name: 'db__query', arguments: '{"sql":"select * from sales"}' },
          { id: 'call_b', name: 'api__analytics', arguments: '{"metric":"revenue","q":4}' },
        ],
        4,
        'Let me look. ',
      ),
    });
    const events = await collect(
      llmFor(fake).stream({ messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(fake.requests[0]?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(events.filter((e) => e.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'Let me look. ' },
    ]);
    expect(
      events.filter((e) => e.type === 'tool-call').map((e) => e.type === 'tool-call' && e.call),
    ).toEqual([
      { id: 'call_a', name: 'db__query', arguments: '{"sql":"select * from sales"}' },
      { id: 'call_b', name: 'api__analytics', arguments: '{"metric":"revenue","q":4}' },
    ]);
    const finish = events.at(-1);
    expect(finish?.type).toBe('finish');
    if (finish?.type !== 'finish') return;
    expect(finish.response.finishReason).toBe('tool-calls');
    expect(finish.response.content).toBe('Let me look. ');
    expect(finish.response.usage).toEqual({ inputTokens: 20, outputTokens: 12, totalTokens: 32 });
  });

  it('streams after a 429, and replays a server that ignored stream: true', async () => {
    const fake = await start(
      { status: 429, headers: { 'retry-after': '0' }, json: { error: { message: 'busy' } } },
      { sse: textChunks(['after ', 'retry']) },
      {
        json: completion({
          content: 'whole',
          toolCalls: [{ id: 'c9', name: 't', arguments: '{}' }],
        }),
      },
    );
    const llm = llmFor(fake);
    const first = await collect(llm.stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(first.at(-1)).toMatchObject({ type: 'finish', response: { content: 'after retry' } });
    const second = await collect(llm.stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(second.map((event) => event.type)).toEqual(['text-delta', 'tool-call', 'finish']);
    expect(second.at(-1)).toMatchObject({
      type: 'finish',
      response: { content: 'whole', finishReason: 'tool-calls' },
    });
    expect(fake.requests).toHaveLength(3);
  });

  it('streams plain text to the end', async () => {
    const fake = await start({ sse: textChunks(['Q4 ', 'sales ', 'rose.']) });
    const events = await collect(
      llmFor(fake).stream({ messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(events.map((e) => (e.type === 'text-delta' ? e.text : e.type))).toEqual([
      'Q4 ',
      'sales ',
      'rose.',
      'finish',
    ]);
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.response).toMatchObject({
      content: 'Q4 sales rose.',
      finishReason: 'stop',
      toolCalls: [],
    });
  });

  it('retries a 429 after the Retry-After the server asked for, then succeeds', async () => {
    const fake = await start(
      {
        status: 429,
        headers: { 'retry-after': '0' },
        json: { error: { message: 'slow down', code: 'rate_limit_exceeded' } },
      },
      { status: 503, json: { error: { message: 'overloaded' } } },
      { json: completion({ content: 'ok' }) },
    );
    const response = await llmFor(fake).chat({ messages: [{ role: 'user', content: 'x' }] });
    expect(response.content).toBe('ok');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after maxRetries with a ModelApiError carrying status, code and Retry-After', async () => {
    const limited: FakeAnswer = {
      status: 429,
      headers: { 'retry-after-ms': '1' },
      json: { error: { message: 'slow down', code: 'rate_limit_exceeded' } },
    };
    const fake = await start(limited, limited);
    const error = await llmFor(fake, { maxRetries: 1 })
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(ModelApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      status: 429,
      retryable: true,
      code: 'rate_limit_exceeded',
      attempts: 2,
      retryAfterMs: 1,
    });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry when Retry-After is longer than maxRetryDelayMs', async () => {
    const fake = await start({ status: 429, headers: { 'retry-after': '3600' }, json: {} });
    const error = await llmFor(fake)
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 401, and never puts the key in the error', async () => {
    const fake = await start({
      status: 401,
      json: { error: { message: 'Incorrect API key provided' } },
    });
    const error = await llmFor(fake)
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(ModelApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(String((error as Error).message)).not.toContain('sk-test-secret');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a server that cannot be reached, then fails with a retryable ModelApiError', async () => {
    const fake = await start();
    const baseUrl = fake.baseUrl;
    await fake.close();
    server = undefined;
    const llm = new OpenAIChatLLM({ model: 'm', baseUrl, retryDelayMs: 1, maxRetries: 2 });
    const error = await llm
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(ModelApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, attempts: 3 });
    expect((error as Error).message).toMatch(/could not be reached/);
  });

  it('rejects a malformed stream chunk and a non-JSON body with ModelResponseError', async () => {
    const fake = await start(
      { sse: [{ choices: [{ index: 0, delta: { content: 'a' } }] }, '{"choices": [', '[DONE]'] },
      { raw: '<html>gateway</html>' },
    );
    const llm = llmFor(fake);
    const streamError = await collect(
      llm.stream({ messages: [{ role: 'user', content: 'x' }] }),
    ).catch((e: unknown) => e);
    expect(ModelResponseError.isInstance(streamError)).toBe(true);
    const bodyError = await llm
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(ModelResponseError.isInstance(bodyError)).toBe(true);
    expect((bodyError as ModelResponseError).excerpt).toContain('gateway');
  });

  it('reports an error object sent mid-stream as a ModelApiError', async () => {
    const fake = await start({
      sse: [{ error: { message: 'context length exceeded', code: 'context_length_exceeded' } }],
    });
    const error = await collect(
      llmFor(fake).stream({ messages: [{ role: 'user', content: 'x' }] }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'context_length_exceeded' });
    expect(ModelApiError.isInstance(error)).toBe(true);
  });

  it('rejects a stream cut off before it finished', async () => {
    const fake = await start({ sse: [{ choices: [{ index: 0, delta: { content: 'half' } }] }] });
    const error = await collect(
      llmFor(fake).stream({ messages: [{ role: 'user', content: 'x' }] }),
    ).catch((e: unknown) => e);
    expect(ModelResponseError.isInstance(error)).toBe(true);
  });

  it('accepts lenient servers: ids missing, arguments as objects, finish_reason stop with tool calls', async () => {
    const fake = await start({
      json: {
        choices: [
          {
            message: {
              role: 'assistant',
              content: '',
              tool_calls: [{ function: { name: 'echo', arguments: { text: 'hi' } } }],
            },
            finish_reason: 'stop',
          },
        ],
      },
    });
    const response = await llmFor(fake).chat({ messages: [{ role: 'user', content: 'x' }] });
    expect(response.toolCalls).toEqual([
      { id: 'call_0', name: 'echo', arguments: '{"text":"hi"}' },
    ]);
    expect(response.finishReason).toBe('tool-calls');
    expect(response.usage).toBeUndefined();
  });

  it('cancels with the caller signal (McpCancelledError) and times out (McpTimeoutError)', async () => {
    const fake = await start({ hang: true }, { hang: true });
    const controller = new AbortController();
    const pending = llmFor(fake).chat({
      messages: [{ role: 'user', content: 'x' }],
      signal: controller.signal,
    });
    await fake.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toSatisfy((e) => McpCancelledError.isInstance(e));
    const timeout = await llmFor(fake, { timeoutMs: 50, maxRetries: 0 })
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(McpTimeoutError.isInstance(timeout)).toBe(true);
  });

  it('keeps the API key out of JSON, inspect and option errors', () => {
    const llm = new OpenAIChatLLM({ model: 'm', apiKey: 'sk-very-secret' });
    expect(JSON.stringify(llm)).not.toContain('sk-very-secret');
    expect(JSON.stringify(llm)).toContain('[redacted]');
    expect(inspect(llm)).not.toContain('sk-very-secret');
    let error: unknown;
    try {
      new OpenAIChatLLM({ model: 'm', apiKey: 42 as unknown as string });
    } catch (caught) {
      error = caught;
    }
    expect(McpConfigError.isInstance(error)).toBe(true);
    expect((error as McpConfigError).field).toBe('OpenAIChatLLM.apiKey');
    expect(JSON.stringify((error as McpConfigError).issues)).not.toContain('42');
  });

  it('keeps a URL query out of messages and JSON, and refuses credentials in the URL', async () => {
    const fake = await start();
    const url = `${fake.baseUrl}?api-key=query-secret`;
    await fake.close();
    server = undefined;
    const llm = new OpenAIChatLLM({ model: 'm', baseUrl: url, maxRetries: 0 });
    const error = await llm
      .chat({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain('query-secret');
    expect(JSON.stringify(llm)).not.toContain('query-secret');
    let refused: unknown;
    try {
      new OpenAIChatLLM({ model: 'm', baseUrl: 'https://user:pw-secret@example.com/v1' });
    } catch (caught) {
      refused = caught;
    }
    expect((refused as Error).message).toMatch(/without credentials/);
    expect(JSON.stringify(refused)).not.toContain('pw-secret');
    expect((refused as McpConfigError).received).toBe('[redacted]');
  });

  it('validates options once, naming the field', () => {
    expect(() => new OpenAIChatLLM({ model: '' })).toThrow(/OpenAIChatLLM\.model/);
    expect(() => new OpenAIChatLLM({ model: 'm', baseUrl: 'ftp://x/v1' })).toThrow(
      /OpenAIChatLLM\.baseUrl/,
    );
    expect(() => new OpenAIChatLLM({ model: 'm', maxRetries: -1 })).toThrow(/maxRetries/);
  });
});
