// Reasoning models (DeepSeek-R1, Qwen3, ...) wrap their thinking in <think>...</think>;
// an agent that strips it hands on only the answer. An unclosed tag drops the rest.
export function stripThinkTags(text: string): string {
  return text
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .replace(/<think>[\s\S]*$/i, '')
    .trim();
}
