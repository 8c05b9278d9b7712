// A middleware that answers repeated reads from a cache: lists and resource reads by
// default, chosen tools on request. Honours the modern era's cache hints (`ttlMs`,
// `cacheScope`) when the server sends them; can encrypt what it stores.
import type { McpMiddleware, McpRequest, McpResponse } from '@tframex/mcp-api';
import { parseOptions } from '../config/parse-options.js';
import { CachingMiddlewareOptionsSchema } from './caching-middleware-options-schema.js';

/** Where cached responses live. Values are strings (JSON, possibly encrypted). */
export interface CacheStore {
  get(
    key: string,
  ):
    | Promise<{ value: string; expiresAt: number } | undefined>
    | { value: string; expiresAt: number }
    | undefined;
  set(key: string, entry: { value: string; expiresAt: number }): Promise<void> | void;
  delete(key: string): Promise<void> | void;
  clear(): Promise<void> | void;
}

/** An in-memory store bounded by entry count (oldest out first). */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly maxEntries = 1000) {}
  get size(): number {
    return this.#entries.size;
  }
  /** What the store holds (as stored: ciphertext when a cipher is used). */
  entries(): IterableIterator<[string, { value: string; expiresAt: number }]> {
    return this.#entries.entries();
  }
  get(key: string) {
    return this.#entries.get(key);
  }
  set(key: string, entry: { value: string; expiresAt: number }): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.maxEntries)
      this.#entries.delete(this.#entries.keys().next().value!);
  }
  delete(key: string): void {
    this.#entries.delete(key);
  }
  clear(): void {
    this.#entries.clear();
  }
}

/** Turns cached text into ciphertext and back: an MCPSecurity with `encryptionKey` is one. */
export interface CacheCipher {
  encrypt(plaintext: string): Promise<string> | string;
  decryptString(ciphertext: string): Promise<string> | string;
}

export interface CachingMiddlewareOptions {
  /** How long an entry stays fresh when the server gives no hint. Default 60 000. */
  ttlMs?: number;
  /** Methods to cache. Default: the list methods and `resources/read`. */
  methods?: string[];
  /** Tools whose results may be cached (`tools/call`); only side-effect-free ones. */
  tools?: string[];
  /** Use the server's `ttlMs`/`cacheScope` hints when present. Default true. */
  honourServerHints?: boolean;
  /** Default: a MemoryCacheStore of 1000 entries. */
  store?: CacheStore;
  /** Encrypts entries before they reach the store (for stores that persist). */
  cipher?: CacheCipher;
  /** Clock, for tests. */
  now?: () => number;
}

const DEFAULT_METHODS = [
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'prompts/list',
  'resources/read',
];
const INVALIDATED_BY: Record<string, string[]> = {
  'tools/list': ['notifications/tools/list_changed'],
  'resources/list': ['notifications/resources/list_changed'],
  'resources/templates/list': ['notifications/resources/list_changed'],
  'prompts/list': ['notifications/prompts/list_changed'],
};

/** Stable JSON: object keys sorted, so equal params give equal keys. */
function stableJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value)
    .filter((key) => key !== '_meta')
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

export interface CachingMiddleware extends McpMiddleware {
  /** Drops every entry (e.g. after a list_changed notification). */
  clear(): Promise<void>;
  /** Drops the entries of one method on one server. */
  invalidate(server: string, method: string): Promise<void>;
  /** Feed server notifications here to drop stale lists: `client.onNotification('*', cache.onNotification)`. */
  onNotification(
    notification: { method: string; params?: Record<string, unknown> },
    server?: string,
  ): void;
  readonly stats: { hits: number; misses: number };
}

export function cachingMiddleware(options: CachingMiddlewareOptions = {}): CachingMiddleware {
  parseOptions(CachingMiddlewareOptionsSchema, options, { subject: 'cachingMiddleware options' });
  const ttlMs = options.ttlMs ?? 60_000;
  const methods = new Set(options.methods ?? DEFAULT_METHODS);
  const tools = new Set(options.tools ?? []);
  const honour = options.honourServerHints ?? true;
  const store = options.store ?? new MemoryCacheStore();
  const now = options.now ?? Date.now;
  const cipher = options.cipher;
  const keysByMethod = new Map<string, Set<string>>();
  const stats = { hits: 0, misses: 0 };

  const cacheable = (request: McpRequest) =>
    request.method === 'tools/call'
      ? request.target !== undefined && tools.has(request.target)
      : methods.has(request.method);
  const keyOf = (request: McpRequest) =>
    `${request.server}\u0000${request.method}\u0000${stableJson(request.params ?? {})}`;
  const remember = (request: McpRequest, key: string) => {
    const group = `${request.server}\u0000${request.method}`;
    let keys = keysByMethod.get(group);
    if (!keys) keysByMethod.set(group, (keys = new Set()));
    keys.add(key);
  };
  const invalidate = async (server: string, method: string) => {
    const group = `${server}\u0000${method}`;
    const keys = keysByMethod.get(group);
    keysByMethod.delete(group);
    if (keys) await Promise.all([...keys].map((key) => store.delete(key)));
  };

  return {
    name: 'caching',
    stats,
    async beforeRequest(request) {
      if (!cacheable(request)) return request;
      const key = keyOf(request);
      const entry = await store.get(key);
      if (!entry || entry.expiresAt <= now()) {
        stats.misses++;
        if (entry) await store.delete(key);
        return request;
      }
      stats.hits++;
      const text = cipher ? await cipher.decryptString(entry.value) : entry.value;
      return {
        request,
        result: JSON.parse(text) as unknown,
        durationMs: 0,
        source: 'cache',
      } satisfies McpResponse;
    },
    async afterResponse(response) {
      const request = response.request;
      if (response.source !== 'server' || !cacheable(request)) return response;
      const hinted = honour ? response.cache : undefined;
      // A private answer must not be shared: keep it out of a store that may be shared.
      if (hinted?.scope === 'private' && options.store) return response;
      const lifetime = hinted?.ttlMs ?? ttlMs;
      if (lifetime <= 0) return response;
      const key = keyOf(request);
      const text = JSON.stringify(response.result);
      await store.set(key, {
        value: cipher ? await cipher.encrypt(text) : text,
        expiresAt: now() + lifetime,
      });
      remember(request, key);
      return response;
    },
    clear: async () => {
      keysByMethod.clear();
      await store.clear();
    },
    invalidate,
    onNotification(notification, server) {
      for (const [method, triggers] of Object.entries(INVALIDATED_BY)) {
        if (!triggers.includes(notification.method)) continue;
        for (const group of [...keysByMethod.keys()]) {
          const [groupServer, groupMethod] = group.split('\u0000');
          if (groupMethod === method && (server === undefined || groupServer === server))
            void invalidate(groupServer!, method);
        }
      }
      if (
        notification.method === 'notifications/resources/updated' &&
        typeof notification.params?.uri === 'string'
      ) {
        const uri = notification.params.uri;
        for (const group of [...keysByMethod.keys()]) {
          if (!group.endsWith('\u0000resources/read')) continue;
          const [groupServer] = group.split('\u0000');
          if (server !== undefined && groupServer !== server) continue;
          const key = `${groupServer}\u0000resources/read\u0000${stableJson({ uri })}`;
          keysByMethod.get(group)?.delete(key);
          void store.delete(key);
        }
      }
    },
  };
}
