// @tframex/mcp-agents/testing: a scripted model double for tests and demos (no real model).
export { ScriptedChatModel } from './scripted-chat-model.js';
export type {
  ScriptedAnswer,
  ScriptedChatModelOptions,
  ScriptedStep,
} from './scripted-chat-model.js';
