// What can be added to a MockMCPServer: tools, resources, resource templates and prompts,
// with the handler signatures and options each takes.
import type { JsonSchema, PromptMessage, ToolAnnotations } from '@tframex/mcp-api';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { MockRequestContext } from './request-context.js';

/** The `_meta` key under which `addTool(..., { tags })` lists a tool's tags. */
export const TOOL_TAGS_META_KEY = 'tags';

/**
 * Runs a tool. The return value becomes the result: a CallToolResult passes through, a string
 * becomes text content, `undefined` empty content, and any other value JSON text plus
 * `structuredContent` (see the README for arrays on legacy connections). A throw becomes a
 * tool error result (`isError: true`).
 */
export type MockToolHandler<Args = Record<string, unknown>> = (
  args: Args,
  context: MockRequestContext,
) => unknown;

/** A schema: a Standard Schema with JSON Schema output (zod 4), or a plain JSON Schema object. */
export type MockSchema = StandardSchemaWithJSON | JsonSchema;

export interface MockToolOptions {
  title?: string;
  description?: string;
  /** Validates arguments (an invalid call gets a tool error result). Any object by default. */
  inputSchema?: MockSchema;
  /** Declares and validates `structuredContent`. */
  outputSchema?: MockSchema;
  annotations?: ToolAnnotations;
  /** Listed in the tool's `_meta.tags`. */
  tags?: string[];
  /** Extra `_meta` for the tool's listing. */
  meta?: Record<string, unknown>;
}

/** Reads a resource on demand; the value is converted like a static content value. */
export type MockResourceReader = (uri: string, context: MockRequestContext) => unknown;

export interface MockResourceOptions {
  /** Listed name; defaults to the name given to `addResource`, or the URI. */
  name?: string;
  title?: string;
  description?: string;
  /** Defaults by content: `text/plain`, `application/json`, `application/octet-stream`. */
  mimeType?: string;
  meta?: Record<string, unknown>;
}

/** Reads a resource of a template, given the URI and the template's variables. */
export type MockResourceTemplateReader = (
  uri: string,
  variables: Record<string, string | string[]>,
  context: MockRequestContext,
) => unknown;

export interface MockResourceTemplateOptions {
  /** Listed name; defaults to the template. */
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** Lists concrete resources of the template (they appear in `resources/list`). */
  list?: () => Array<{
    uri: string;
    name: string;
    title?: string;
    description?: string;
    mimeType?: string;
  }>;
  /** Completes a template variable (`completion/complete`). */
  complete?: Record<string, (value: string) => string[] | Promise<string[]>>;
  meta?: Record<string, unknown>;
}

/** Builds a prompt: a string becomes one user message; messages or a full result are used as is. */
export type MockPromptHandler = (
  args: Record<string, string>,
  context: MockRequestContext,
) => unknown;

export interface MockPromptArgument {
  name: string;
  description?: string;
  required?: boolean;
  /** Completes this argument (`completion/complete`). */
  complete?: (value: string) => string[] | Promise<string[]>;
}

export interface MockPromptOptions {
  title?: string;
  description?: string;
  arguments?: MockPromptArgument[];
  meta?: Record<string, unknown>;
}

/** A prompt's content: a handler, or a fixed string or message list. */
export type MockPromptContent = MockPromptHandler | string | PromptMessage[];
