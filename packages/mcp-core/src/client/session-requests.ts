// The McpSession requests as ClientRequest objects: method, target, params, whether they may
// be replayed, and the call on a pooled connection. The facade sends them; nothing here runs.
import {
  LIST_METHODS,
  type Completion,
  type CompletionArgument,
  type CompletionReference,
  type GetPromptResult,
  type McpListItems,
  type McpListKind,
  type McpPage,
  type McpPageOptions,
  type McpRequestOptions,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
} from '@tframex/mcp-api';
import type { ClientRequest } from './client-request.js';

/** Where each list's entries sit in its result. */
const LIST_RESULT_KEYS: Record<McpListKind, string> = {
  tools: 'tools',
  resources: 'resources',
  resourceTemplates: 'resourceTemplates',
  prompts: 'prompts',
};

type Options = McpRequestOptions | undefined;

export const sessionRequests = {
  listResources: (options: Options): ClientRequest<Resource[]> => ({
    method: 'resources/list',
    params: {},
    options,
    idempotent: true,
    operation: (c, o) => c.listResources(o),
  }),

  listResourceTemplates: (options: Options): ClientRequest<ResourceTemplate[]> => ({
    method: 'resources/templates/list',
    params: {},
    options,
    idempotent: true,
    operation: (c, o) => c.listResourceTemplates(o),
  }),

  readResource: (uri: string, options: Options): ClientRequest<ReadResourceResult> => ({
    method: 'resources/read',
    target: uri,
    params: { uri },
    options,
    idempotent: true,
    operation: (c, o, p) => c.readResource(p.uri as string, o),
  }),

  listPrompts: (options: Options): ClientRequest<Prompt[]> => ({
    method: 'prompts/list',
    params: {},
    options,
    idempotent: true,
    operation: (c, o) => c.listPrompts(o),
  }),

  getPrompt: (
    name: string,
    args: Record<string, string> | undefined,
    options: Options,
  ): ClientRequest<GetPromptResult> => ({
    method: 'prompts/get',
    target: name,
    params: { name, ...(args ? { arguments: args } : {}) },
    options,
    idempotent: true,
    operation: (c, o, p) =>
      c.getPrompt(p.name as string, p.arguments as Record<string, string> | undefined, o),
  }),

  complete: (
    ref: CompletionReference,
    argument: CompletionArgument,
    options: (McpRequestOptions & { context?: { arguments?: Record<string, string> } }) | undefined,
  ): ClientRequest<Completion> => ({
    method: 'completion/complete',
    target: ref.type === 'ref/prompt' ? ref.name : ref.uri,
    params: { ref, argument, ...(options?.context ? { context: options.context } : {}) },
    options,
    idempotent: true,
    operation: (c, o, p) =>
      c.complete(
        p.ref as CompletionReference,
        p.argument as CompletionArgument,
        p.context as { arguments?: Record<string, string> } | undefined,
        o,
      ),
  }),

  ping: (options: Options): ClientRequest<void> => ({
    method: 'ping',
    params: {},
    options,
    idempotent: true,
    operation: (c, o) => c.ping(o),
  }),

  /** Any method; replayed only when the caller says it is idempotent. */
  generic: (
    method: string,
    params: Record<string, unknown>,
    options: (McpRequestOptions & { idempotent?: boolean }) | undefined,
  ): ClientRequest<Record<string, unknown>> => ({
    method,
    ...(typeof params.name === 'string' ? { target: params.name } : {}),
    ...(typeof params.uri === 'string' ? { target: params.uri } : {}),
    params,
    options,
    idempotent: options?.idempotent === true,
    operation: (c, o, p) => c.request(method, p, o),
  }),

  /** One page of a list, as the raw result; `toPage` reads it. */
  listPage: (
    list: McpListKind,
    options: McpPageOptions | undefined,
  ): ClientRequest<Record<string, unknown>> => {
    const method = LIST_METHODS[list];
    return {
      method,
      params: options?.cursor !== undefined ? { cursor: options.cursor } : {},
      options,
      idempotent: true,
      operation: (c, o, p) => c.listPage(method, p.cursor as string | undefined, o),
    };
  },
};

/** The entries, cursor and cache hint of one page of `list`. */
export function toPage<K extends McpListKind>(
  list: K,
  page: Record<string, unknown>,
): McpPage<McpListItems[K]> {
  const items = (page[LIST_RESULT_KEYS[list]] ?? []) as McpListItems[K][];
  const { nextCursor, ttlMs } = page;
  return {
    items,
    ...(typeof nextCursor === 'string' ? { nextCursor } : {}),
    ...(typeof ttlMs === 'number' ? { ttlMs } : {}),
  };
}
