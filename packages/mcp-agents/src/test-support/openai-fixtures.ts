// OpenAI-format answers for the fake server: chat.completion bodies and chat.completion.chunk
// streams, written for these tests (tool-call deltas split across chunks, a trailing usage
// chunk with no choices, the `[DONE]` marker).
export interface FixtureToolCall {
  id: string;
  name: string;
  arguments: string;
}

export function completion(options: {
  content?: string | null;
  toolCalls?: FixtureToolCall[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}): Record<string, unknown> {
  const toolCalls = options.toolCalls ?? [];
  return {
    id: 'chatcmpl-fixture',
    object: 'chat.completion',
    created: 1_760_000_000,
    model: 'fixture-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: options.content ?? null,
          ...(toolCalls.length
            ? {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        finish_reason: options.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
      },
    ],
    usage: options.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-fixture',
  object: 'chat.completion.chunk',
  created: 1_760_000_000,
  model: 'fixture-model',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** Text in pieces, then `stop`, a usage chunk and `[DONE]`. */
export function textChunks(pieces: string[]): unknown[] {
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((piece) => chunk({ content: piece })),
    chunk({}, 'stop'),
    {
      id: 'chatcmpl-fixture',
      object: 'chat.completion.chunk',
      model: 'fixture-model',
      choices: [],
      usage: {
        prompt_tokens: 7,
        completion_tokens: pieces.length,
        total_tokens: 7 + pieces.length,
      },
    },
    '[DONE]',
  ];
}

/**
 * Tool calls streamed as OpenAI does: the first delta of each call carries index, id and name,
 * the arguments follow in `pieces` deltas; `finish_reason: "tool_calls"`, usage, `[DONE]`.
 */
export function toolCallChunks(calls: FixtureToolCall[], pieces = 3, leadText?: string): unknown[] {
  const out: unknown[] = [chunk({ role: 'assistant', content: null })];
  if (leadText) out.push(chunk({ content: leadText }));
  calls.forEach((call, index) => {
    out.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    const size = Math.ceil(call.arguments.length / pieces) || 1;
    for (let at = 0; at < call.arguments.length; at += size) {
      out.push(
        chunk({
          tool_calls: [{ index, function: { arguments: call.arguments.slice(at, at + size) } }],
        }),
      );
    }
  });
  out.push(chunk({}, 'tool_calls'));
  out.push({
    id: 'chatcmpl-fixture',
    object: 'chat.completion.chunk',
    model: 'fixture-model',
    choices: [],
    usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
  });
  out.push('[DONE]');
  return out;
}
