// The server's definitions, shared by every SDK server instance it creates (one per legacy
// session, stdio or memory connection, or modern HTTP request), with change notification so
// long-lived instances can follow additions and removals.
import type { StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import type {
  MockPromptArgument,
  MockPromptHandler,
  MockResourceReader,
  MockResourceTemplateOptions,
  MockResourceTemplateReader,
  MockToolHandler,
} from './definitions.js';

export interface ToolEntry {
  name: string;
  handler: MockToolHandler;
  title: string | undefined;
  description: string | undefined;
  inputSchema: StandardSchemaWithJSON;
  outputSchema: StandardSchemaWithJSON | undefined;
  annotations: ToolAnnotations | undefined;
  meta: Record<string, unknown> | undefined;
}

export interface ResourceEntry {
  uri: string;
  name: string;
  read: MockResourceReader;
  title: string | undefined;
  description: string | undefined;
  mimeType: string | undefined;
  meta: Record<string, unknown> | undefined;
}

export interface ResourceTemplateEntry {
  uriTemplate: string;
  name: string;
  read: MockResourceTemplateReader;
  options: MockResourceTemplateOptions;
}

export interface PromptEntry {
  name: string;
  handler: MockPromptHandler;
  title: string | undefined;
  description: string | undefined;
  arguments: MockPromptArgument[] | undefined;
  meta: Record<string, unknown> | undefined;
}

export type RegistryChange =
  | { kind: 'tool'; name: string; entry: ToolEntry | undefined }
  | { kind: 'resource'; uri: string; entry: ResourceEntry | undefined }
  | { kind: 'template'; name: string; entry: ResourceTemplateEntry | undefined }
  | { kind: 'prompt'; name: string; entry: PromptEntry | undefined };

export class Registry {
  readonly tools = new Map<string, ToolEntry>();
  readonly resources = new Map<string, ResourceEntry>();
  readonly templates = new Map<string, ResourceTemplateEntry>();
  readonly prompts = new Map<string, PromptEntry>();
  readonly #listeners = new Set<(change: RegistryChange) => void>();

  onChange(listener: (change: RegistryChange) => void): void {
    this.#listeners.add(listener);
  }

  setTool(name: string, entry: ToolEntry | undefined): boolean {
    return this.#set(this.tools, name, entry, { kind: 'tool', name, entry });
  }

  setResource(uri: string, entry: ResourceEntry | undefined): boolean {
    return this.#set(this.resources, uri, entry, { kind: 'resource', uri, entry });
  }

  setTemplate(name: string, entry: ResourceTemplateEntry | undefined): boolean {
    return this.#set(this.templates, name, entry, { kind: 'template', name, entry });
  }

  setPrompt(name: string, entry: PromptEntry | undefined): boolean {
    return this.#set(this.prompts, name, entry, { kind: 'prompt', name, entry });
  }

  /** Adds, replaces (entry) or removes (undefined); false when there was nothing to remove. */
  #set<T>(map: Map<string, T>, key: string, entry: T | undefined, change: RegistryChange): boolean {
    if (entry === undefined) {
      if (!map.delete(key)) return false;
    } else {
      map.set(key, entry);
    }
    for (const listener of this.#listeners) listener(change);
    return true;
  }
}
