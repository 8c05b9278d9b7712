// The DriverContext a resource hands its driver: the session, what the URI says, and tool calls
// and resource reads that enforce the resource's bounds.
import type { McpSession, ReadResourceResult, ServerCapabilities, Tool } from '@tframex/mcp-api';
import { contentFromContents, type ResourceContent } from '../content/resource-content.js';
import { assertContentsWithinSize, assertWithinSize } from '../content/size-limit.js';
import type { ResourceType } from '../resource-type.js';
import type { DriverContext } from './resource-driver.js';
import type { OperationOptions, ReadOptions } from './operation-options.js';
import { textsOf, toolError } from './tool-result.js';
import { assertEncryptedTransport } from './transport-check.js';

export interface DriverContextSettings {
  readonly session: McpSession;
  readonly type: ResourceType | undefined;
  readonly name: string;
  readonly tools: ReadonlyMap<string, Tool>;
  readonly capabilities: ServerCapabilities | undefined;
  readonly maxBytes: number;
  readonly encryptTransport: boolean;
  readonly timeoutMs: number | undefined;
}

function requestOptions(options: OperationOptions | undefined, timeoutMs: number | undefined) {
  const budget = options?.timeoutMs ?? timeoutMs;
  return {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(budget !== undefined ? { timeoutMs: budget } : {}),
  };
}

/** The content of `result` that answers `uri` (the first part when none names it). */
export function pickContent(result: ReadResourceResult, uri: string): ResourceContent {
  const contents = result.contents ?? [];
  const part = contents.find((entry) => entry.uri === uri) ?? contents[0];
  const ttl = result['ttlMs'];
  const hint = typeof ttl === 'number' && ttl >= 0 ? { ttlMs: ttl } : {};
  if (!part) return { uri, mimeType: undefined, text: '', ...hint };
  return { ...contentFromContents(part), ...hint };
}

export function createDriverContext(settings: DriverContextSettings): DriverContext {
  const { session, maxBytes, encryptTransport, timeoutMs } = settings;
  const slash = settings.name.indexOf('/');
  const instance = slash < 0 ? settings.name : settings.name.slice(0, slash);
  const prefix = slash < 0 ? '' : settings.name.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  const memos = new Map<string, Promise<unknown>>();
  return {
    session,
    type: settings.type,
    name: settings.name,
    instance,
    prefix,
    tools: settings.tools,
    capabilities: settings.capabilities,
    maxBytes,
    encryptTransport,
    async call(tool, args, options) {
      const result = await session.callTool(tool, args, requestOptions(options, timeoutMs));
      let size = 0;
      for (const text of textsOf(result)) size += text.length;
      assertWithinSize(size, maxBytes, `The answer of tool "${tool}"`, session.name);
      if (result.isError) throw toolError(result, tool, session.name);
      return result;
    },
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let value = memos.get(key) as Promise<T> | undefined;
      if (!value) {
        value = compute();
        memos.set(key, value);
        value.catch(() => {
          if (memos.get(key) === value) memos.delete(key);
        });
      }
      return value;
    },
    async readResource(uri, options: ReadOptions = {}) {
      if (encryptTransport) assertEncryptedTransport(uri, session.name);
      const result = await session.readResource(uri, requestOptions(options, timeoutMs));
      assertContentsWithinSize(
        result.contents ?? [],
        options.maxBytes ?? maxBytes,
        `Resource ${JSON.stringify(uri)}`,
        session.name,
      );
      return pickContent(result, uri);
    },
  };
}
