// A resource looked up by name or URI through a session, read as a plain value.
import {
  McpProtocolError,
  type McpRequestOptions,
  type McpSession,
  type ReadResourceResult,
  type ResourceContents,
} from '@tframex/mcp-api';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function isJson(mimeType: string | undefined): boolean {
  return mimeType !== undefined && /^application\/(?:[\w.-]+\+)?json\b/i.test(mimeType);
}

function valueOf(contents: ResourceContents): unknown {
  if ('blob' in contents) return new Uint8Array(Buffer.from(contents.blob, 'base64'));
  if (isJson(contents.mimeType)) {
    try {
      return JSON.parse(contents.text);
    } catch {
      return contents.text;
    }
  }
  return contents.text;
}

export class TestResource {
  readonly #session: McpSession;
  readonly #nameOrUri: string;
  #uri: string | undefined;

  constructor(session: McpSession, nameOrUri: string) {
    this.#session = session;
    this.#nameOrUri = nameOrUri;
  }

  /** The resource's URI: a listed resource with that URI or name, else the argument itself if it is a URI. */
  async uri(options?: McpRequestOptions): Promise<string> {
    if (this.#uri !== undefined) return this.#uri;
    const resources = await this.#session.listResources(options);
    const found =
      resources.find((resource) => resource.uri === this.#nameOrUri) ??
      resources.find((resource) => resource.name === this.#nameOrUri);
    if (found) return (this.#uri = found.uri);
    if (SCHEME.test(this.#nameOrUri)) return (this.#uri = this.#nameOrUri);
    throw new McpProtocolError(`No resource is named ${this.#nameOrUri}`, {
      code: -32002,
      method: 'resources/list',
      server: this.#session.name,
      data: { name: this.#nameOrUri },
    });
  }

  /** The `resources/read` result as the server sent it. */
  async readRaw(options?: McpRequestOptions): Promise<ReadResourceResult> {
    return this.#session.readResource(await this.uri(options), options);
  }

  /**
   * The content as a value: JSON (by MIME type) parsed, text as a string, a blob as bytes;
   * an array of those when the server sent several contents.
   */
  async read<T = unknown>(options?: McpRequestOptions): Promise<T> {
    const { contents } = await this.readRaw(options);
    const values = contents.map(valueOf);
    return (values.length === 1 ? values[0] : values) as T;
  }

  /**
   * The entries the resource lists: a JSON array as is; a JSON object holding exactly one
   * array (`{ files: [...] }`) that array; another JSON object its keys; text its non-empty
   * lines; several contents their URIs.
   */
  async list<T = unknown>(options?: McpRequestOptions): Promise<T[]> {
    const { contents } = await this.readRaw(options);
    if (contents.length !== 1) return contents.map((entry) => entry.uri) as T[];
    const value = valueOf(contents[0]!);
    if (Array.isArray(value)) return value as T[];
    if (typeof value === 'string')
      return value.split(/\r?\n/).filter((line) => line.trim() !== '') as T[];
    if (value instanceof Uint8Array) return [value] as T[];
    if (typeof value === 'object' && value !== null) {
      const arrays = Object.values(value).filter(Array.isArray);
      return (
        arrays.length === 1 && Object.keys(value).length === 1 ? arrays[0] : Object.keys(value)
      ) as T[];
    }
    return [value] as T[];
  }
}
