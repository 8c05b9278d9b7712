// Tools as a server describes them, and what calling one returns.
import type { ContentBlock } from './content.js';
import type { JsonSchema, McpMeta } from './json.js';
import type { Icon } from './server.js';

/** Hints about a tool's behaviour. Hints, not guarantees: never trust them from an untrusted server. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [hint: string]: unknown;
}

/** A tool as listed by `tools/list`. */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: McpMeta;
}

/** The result of `tools/call`. A tool failure is a result with `isError: true`, not a JSON-RPC error. */
export interface CallToolResult {
  content: ContentBlock[];
  /**
   * Machine-readable result; matches the tool's `outputSchema` when it has one. Any JSON
   * value since 2026-07-28 (an object in earlier revisions): narrow before reading fields.
   */
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: McpMeta;
  [key: string]: unknown;
}
