// Prompts and what getting one returns.
import type { ContentBlock } from './content.js';
import type { McpMeta } from './json.js';
import type { Icon } from './server.js';

export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: McpMeta;
}

export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentBlock;
}

export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: McpMeta;
  [key: string]: unknown;
}
