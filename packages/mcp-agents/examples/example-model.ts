// The model the examples use: a real OpenAI-compatible model when OPENAI_BASE_URL is set
// (with OPENAI_API_KEY and OPENAI_MODEL), else a scripted model double that replays `script`.
import { OpenAIChatLLM, type ChatModel } from '../src/index.js';
import { ScriptedChatModel, type ScriptedAnswer } from '../src/testing/index.js';

export function exampleModel(script: ScriptedAnswer[]): ChatModel {
  const baseUrl = process.env['OPENAI_BASE_URL'];
  if (baseUrl) {
    return new OpenAIChatLLM({
      baseUrl,
      model: process.env['OPENAI_MODEL'] ?? 'gpt-4o-mini',
      ...(process.env['OPENAI_API_KEY'] ? { apiKey: process.env['OPENAI_API_KEY'] } : {}),
    });
  }
  return new ScriptedChatModel({ name: 'scripted-model (no real model)', script });
}
