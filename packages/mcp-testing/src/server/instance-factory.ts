// Builds official SDK McpServer instances from the registry, and keeps long-lived ones
// (legacy HTTP sessions, stdio and memory connections) in step with it, so additions and
// removals after start reach connected clients with the SDK's list-changed notifications.
import { toCallToolResult } from '@tframex/mcp-api';
import {
  isInputRequiredResult,
  completable,
  fromJsonSchema,
  McpServer,
  ResourceTemplate,
  type CallToolResult,
  type LoggingLevel,
  type RegisteredPrompt,
  type RegisteredResource,
  type RegisteredResourceTemplate,
  type RegisteredTool,
  type ServerContext,
  type StandardSchemaWithJSON,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { ignore } from '../config/ignore.js';
import { toGetPromptResult, toReadResourceResult } from './content.js';
import type {
  PromptEntry,
  Registry,
  RegistryChange,
  ResourceEntry,
  ResourceTemplateEntry,
  ToolEntry,
} from './registry.js';
import { InputRequiredSignal } from './client-asks.js';
import { createRequestContext, type InstanceBinding } from './request-context.js';

export interface ServerIdentity {
  name: string;
  version: string;
  title: string | undefined;
  instructions: string | undefined;
}

interface LiveInstance {
  readonly mcp: McpServer;
  readonly binding: InstanceBinding;
  readonly tools: Map<string, RegisteredTool>;
  readonly resources: Map<string, RegisteredResource>;
  readonly templates: Map<string, RegisteredResourceTemplate>;
  readonly prompts: Map<string, RegisteredPrompt>;
  readonly subscriptions: Set<string>;
}

/**
 * The SDK warns on the console, once per registration, about tool names outside SEP-986
 * (`database/query`). A mock must serve such names (clients have to cope with them), and it
 * registers every tool again for each instance, so the warnings are silenced while it does.
 */
function quietly<T>(register: () => T): T {
  const warn = console.warn;
  console.warn = ignore;
  try {
    return register();
  } finally {
    console.warn = warn;
  }
}

let anyObjectSchema: StandardSchemaWithJSON | undefined;
/** Accepts any arguments object; used when a tool declares no input schema. */
export function anyObject(): StandardSchemaWithJSON {
  return (anyObjectSchema ??= fromJsonSchema({ type: 'object' }));
}

/**
 * McpServer installs its list/call handlers (and declares their capabilities) on the first
 * registration, which it refuses once connected. Registering and removing one of each up
 * front lets a connected instance accept the first tool, resource, prompt or completion added
 * later.
 */
function primeHandlers(mcp: McpServer): void {
  const empty = { contents: [] };
  mcp.registerTool('tframex-prime', { inputSchema: anyObject() }, () => ({ content: [] })).remove();
  mcp.registerResource('tframex-prime', 'mock:///tframex-prime', {}, () => empty).remove();
  const template = new ResourceTemplate('mock:///tframex-prime/{x}', {
    list: undefined,
    complete: { x: () => [] },
  });
  mcp.registerResource('tframex-prime-template', template, {}, () => empty).remove();
  mcp.registerPrompt('tframex-prime', {}, () => ({ messages: [] })).remove();
}

function registerTool(mcp: McpServer, entry: ToolEntry, binding: InstanceBinding): RegisteredTool {
  const run = async (args: unknown, sdk: ServerContext): Promise<CallToolResult> => {
    let value: unknown;
    try {
      value = await entry.handler(
        (args ?? {}) as Record<string, unknown>,
        createRequestContext(sdk, binding),
      );
    } catch (error) {
      // `context.ask` on a modern connection: ask the client, and run again with its answer.
      if (error instanceof InputRequiredSignal) return error.toResult() as CallToolResult;
      throw error;
    }
    // A 2026-07-28 `inputRequired(...)` answer passes through: the client fulfils it and retries.
    if (isInputRequiredResult(value)) return value as unknown as CallToolResult;
    return toCallToolResult(value) as CallToolResult;
  };
  return mcp.registerTool(
    entry.name,
    {
      title: entry.title,
      description: entry.description,
      inputSchema: entry.inputSchema,
      outputSchema: entry.outputSchema,
      annotations: entry.annotations,
      _meta: entry.meta,
    },
    run,
  );
}

function registerResource(
  mcp: McpServer,
  entry: ResourceEntry,
  binding: InstanceBinding,
): RegisteredResource {
  return mcp.registerResource(
    entry.name,
    entry.uri,
    {
      title: entry.title,
      description: entry.description,
      mimeType: entry.mimeType,
      _meta: entry.meta,
    },
    async (uri, sdk) =>
      toReadResourceResult(
        entry.uri,
        await entry.read(uri.href, createRequestContext(sdk, binding)),
        entry.mimeType,
      ),
  );
}

function registerTemplate(
  mcp: McpServer,
  entry: ResourceTemplateEntry,
  binding: InstanceBinding,
): RegisteredResourceTemplate {
  const { options } = entry;
  const list = options.list;
  const template = new ResourceTemplate(entry.uriTemplate, {
    list: list ? () => ({ resources: list() }) : undefined,
    ...(options.complete ? { complete: options.complete } : {}),
  });
  return mcp.registerResource(
    entry.name,
    template,
    {
      title: options.title,
      description: options.description,
      mimeType: options.mimeType,
      _meta: options.meta,
    },
    async (uri, variables, sdk) =>
      toReadResourceResult(
        uri.href,
        await entry.read(uri.href, variables, createRequestContext(sdk, binding)),
        options.mimeType,
      ),
  );
}

function promptArgsSchema(entry: PromptEntry) {
  const shape: Record<string, z.ZodType> = {};
  for (const argument of entry.arguments ?? []) {
    let field: z.ZodString = z.string();
    if (argument.description !== undefined) field = field.describe(argument.description);
    if (argument.complete) field = completable(field, argument.complete);
    shape[argument.name] = argument.required ? field : field.optional();
  }
  // Loose, so a handler sees every argument the client sent, declared or not.
  return z.looseObject(shape);
}

function registerPrompt(
  mcp: McpServer,
  entry: PromptEntry,
  binding: InstanceBinding,
): RegisteredPrompt {
  return mcp.registerPrompt(
    entry.name,
    {
      title: entry.title,
      description: entry.description,
      argsSchema: promptArgsSchema(entry),
      _meta: entry.meta,
    },
    async (args, sdk) =>
      toGetPromptResult(
        await entry.handler(args as Record<string, string>, createRequestContext(sdk, binding)),
        entry.description,
      ) as never,
  );
}

export class InstanceFactory {
  readonly #registry: Registry;
  readonly #identity: ServerIdentity;
  readonly #live = new Set<LiveInstance>();

  constructor(registry: Registry, identity: ServerIdentity) {
    this.#registry = registry;
    this.#identity = identity;
    registry.onChange((change) => this.#apply(change));
  }

  /** A new SDK server with every current definition. Long-lived ones follow later changes. */
  create(binding: InstanceBinding, longLived: boolean): McpServer {
    const mcp = new McpServer(
      {
        name: this.#identity.name,
        version: this.#identity.version,
        ...(this.#identity.title ? { title: this.#identity.title } : {}),
      },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { listChanged: true, subscribe: true },
          prompts: { listChanged: true },
          logging: {},
          completions: {},
        },
        ...(this.#identity.instructions === undefined
          ? {}
          : { instructions: this.#identity.instructions }),
      },
    );
    const live: LiveInstance = {
      mcp,
      binding,
      tools: new Map(),
      resources: new Map(),
      templates: new Map(),
      prompts: new Map(),
      subscriptions: new Set(),
    };
    quietly(() => {
      primeHandlers(mcp);
      const registry = this.#registry;
      for (const entry of registry.tools.values())
        live.tools.set(entry.name, registerTool(mcp, entry, binding));
      for (const entry of registry.resources.values())
        live.resources.set(entry.uri, registerResource(mcp, entry, binding));
      for (const entry of registry.templates.values())
        live.templates.set(entry.name, registerTemplate(mcp, entry, binding));
      for (const entry of registry.prompts.values())
        live.prompts.set(entry.name, registerPrompt(mcp, entry, binding));
    });
    mcp.server.setRequestHandler('resources/subscribe', (request) => {
      live.subscriptions.add(request.params.uri);
      return {};
    });
    mcp.server.setRequestHandler('resources/unsubscribe', (request) => {
      live.subscriptions.delete(request.params.uri);
      return {};
    });
    if (longLived) {
      this.#live.add(live);
      const previous = mcp.server.onclose;
      mcp.server.onclose = () => {
        this.#live.delete(live);
        previous?.();
      };
    }
    return mcp;
  }

  /** Connected long-lived instances. */
  get liveCount(): number {
    return this.#live.size;
  }

  notifyToolsChanged(): void {
    for (const { mcp } of this.#live) mcp.sendToolListChanged();
  }

  notifyResourcesChanged(): void {
    for (const { mcp } of this.#live) mcp.sendResourceListChanged();
  }

  notifyPromptsChanged(): void {
    for (const { mcp } of this.#live) mcp.sendPromptListChanged();
  }

  /** Legacy connections hear only about URIs they subscribed to; modern ones are filtered by the SDK. */
  notifyResourceUpdated(uri: string): void {
    for (const { mcp, binding, subscriptions } of this.#live) {
      if (binding.era === 'legacy' && !subscriptions.has(uri)) continue;
      mcp.server.sendResourceUpdated({ uri }).catch(ignore);
    }
  }

  log(level: LoggingLevel, data: unknown, logger?: string): void {
    for (const { mcp } of this.#live) {
      mcp.server
        .sendLoggingMessage({ level, data, ...(logger === undefined ? {} : { logger }) })
        .catch(ignore);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#live].map(({ mcp }) => mcp.close().catch(ignore)));
    this.#live.clear();
  }

  #apply(change: RegistryChange): void {
    quietly(() => {
      for (const live of this.#live) {
        const { mcp, binding } = live;
        switch (change.kind) {
          case 'tool':
            live.tools.get(change.name)?.remove();
            live.tools.delete(change.name);
            if (change.entry) live.tools.set(change.name, registerTool(mcp, change.entry, binding));
            break;
          case 'resource':
            live.resources.get(change.uri)?.remove();
            live.resources.delete(change.uri);
            if (change.entry)
              live.resources.set(change.uri, registerResource(mcp, change.entry, binding));
            break;
          case 'template':
            live.templates.get(change.name)?.remove();
            live.templates.delete(change.name);
            if (change.entry)
              live.templates.set(change.name, registerTemplate(mcp, change.entry, binding));
            break;
          case 'prompt':
            live.prompts.get(change.name)?.remove();
            live.prompts.delete(change.name);
            if (change.entry)
              live.prompts.set(change.name, registerPrompt(mcp, change.entry, binding));
            break;
        }
      }
    });
  }
}
