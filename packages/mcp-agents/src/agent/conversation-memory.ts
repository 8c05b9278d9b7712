// ConversationMemory: what an agent remembers between calls in one runtime. `recent(n)` gives
// the LAST n messages (TFrameX 1.x gave the first n), never starting on a tool result whose
// call was cut off, so the window is always a valid conversation for a model.
import type { ChatMessage } from '../model/chat-model.js';

export class ConversationMemory {
  readonly #messages: ChatMessage[] = [];
  readonly #maxMessages: number;

  /** Keeps at most `maxMessages` (default 1000); the oldest go first. */
  constructor(maxMessages = 1_000) {
    this.#maxMessages = maxMessages;
  }

  add(...messages: ChatMessage[]): void {
    this.#messages.push(...messages);
    if (this.#messages.length > this.#maxMessages) {
      this.#messages.splice(0, this.#messages.length - this.#maxMessages);
    }
  }

  /** The last `limit` messages, less any leading tool results that lost their call. */
  recent(limit: number): ChatMessage[] {
    if (limit <= 0) return [];
    const window = this.#messages.slice(-limit);
    let start = 0;
    while (start < window.length && window[start]!.role === 'tool') start++;
    return window.slice(start);
  }

  /** Every message remembered, oldest first. */
  all(): ChatMessage[] {
    return [...this.#messages];
  }

  get size(): number {
    return this.#messages.length;
  }

  clear(): void {
    this.#messages.length = 0;
  }
}
