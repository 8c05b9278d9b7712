// A middleware that answers repeated reads from a cache: lists and resource reads by
// default, chosen tools on request. Honours the modern era's cache hints (`ttlMs`,
// `cacheScope`) when the server sends them; can encrypt what it stores. A failing store or
// cipher costs a miss, never a call.
import type { McpCacheStore, McpMiddleware, McpRequest, McpResponse } from '@tframex/mcp-api';
import { parseOptions } from '../config/parse-options.js';
import { CachingMiddlewareOptionsSchema } from './caching-middleware-options-schema.js';
import { MemoryCacheStore } from './memory-cache-store.js';

/**
 * Where cached responses live: an `McpCacheStore` of `@tframex/mcp-api`. Values are strings
 * (JSON, possibly encrypted). A store with `deleteGroup` keeps the (server, method) groups
 * itself, so `list_changed` in one process drops what every process sharing it wrote.
 */
export type CacheStore = McpCacheStore;

export { MemoryCacheStore };

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
  /**
   * Told when the store or the cipher fails (default console.warn). The call goes on: a get
   * that fails or an entry that cannot be read is a miss, a failed write leaves the answer
   * uncached; a cache never fails a call.
   */
  onError?: (error: unknown) => void;
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
  /** Drops the entries of one method on one server (in a shared store: everyone's). */
  invalidate(server: string, method: string): Promise<void>;
  /**
   * Feed server notifications here to drop stale lists:
   * `client.onNotification('*', (n) => cache.onNotification(n, client.name))`. Resolves once
   * the store has dropped them; never rejects (a store failure goes to `onError`).
   */
  onNotification(
    notification: { method: string; params?: Record<string, unknown> },
    server?: string,
  ): Promise<void>;
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
  const onError =
    options.onError ?? ((error: unknown) => console.warn('cachingMiddleware:', String(error)));
  // A store with groups drops a (server, method) for every process that shares it; otherwise
  // only the keys this middleware wrote (kept here) can be found again.
  const grouped = typeof store.deleteGroup === 'function';
  const keysByGroup = new Map<string, Set<string>>();
  const servers = new Set<string>();
  const stats = { hits: 0, misses: 0 };
  // An answer to a request that started before its group or key was dropped here may be the
  // old one: it is not stored. Drops and request starts are ordered by one counter.
  let sequence = 0;
  const startedAt = new WeakMap<McpRequest, number>();
  const droppedAt = new Map<string, number>();
  const dropped = (groupOrKey: string) => {
    sequence++;
    // bounded: past 10 000 remembered drops, forget them for one that stands for all ('')
    if (droppedAt.size >= 10_000) {
      droppedAt.clear();
      droppedAt.set('', sequence);
    }
    droppedAt.set(groupOrKey, sequence);
  };

  const cacheable = (request: McpRequest) =>
    request.method === 'tools/call'
      ? request.target !== undefined && tools.has(request.target)
      : methods.has(request.method);
  const groupOf = (server: string, method: string) => `${server}\u0000${method}`;
  const keyOf = (request: McpRequest) =>
    `${groupOf(request.server, request.method)}\u0000${stableJson(request.params ?? {})}`;
  const remember = (request: McpRequest, key: string) => {
    const group = groupOf(request.server, request.method);
    let keys = keysByGroup.get(group);
    if (!keys) keysByGroup.set(group, (keys = new Set()));
    keys.add(key);
  };
  const invalidate = async (server: string, method: string) => {
    const group = groupOf(server, method);
    dropped(group);
    const keys = keysByGroup.get(group);
    keysByGroup.delete(group);
    if (grouped) await store.deleteGroup!(group);
    else if (keys) await Promise.all([...keys].map((key) => store.delete(key)));
  };
  const report = (error: unknown) => {
    try {
      onError(error);
    } catch {
      // a throwing onError must not break invalidation
    }
  };
  /** Runs a store or cipher step; a failure is reported and gives `fallback` instead. */
  const guarded = async <T>(step: () => Promise<T> | T, fallback: T): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      report(error);
      return fallback;
    }
  };
  /** Servers a notification without a server applies to: every one this cache has seen. */
  const serversFor = (server: string | undefined) =>
    server !== undefined
      ? [server]
      : [...new Set([...servers, ...[...keysByGroup.keys()].map((g) => g.split('\u0000')[0]!)])];

  return {
    name: 'caching',
    stats,
    async beforeRequest(request) {
      if (!cacheable(request)) return request;
      servers.add(request.server);
      const key = keyOf(request);
      const entry = await guarded(() => store.get(key), undefined);
      if (!entry || entry.expiresAt <= now()) {
        stats.misses++;
        startedAt.set(request, sequence);
        if (entry) await guarded(() => store.delete(key), undefined);
        return request;
      }
      let result: unknown;
      try {
        result = JSON.parse(cipher ? await cipher.decryptString(entry.value) : entry.value);
      } catch (error) {
        // An entry this client cannot read (tampered, another key, written without a cipher):
        // never served; the server answers, and its answer replaces the entry.
        stats.misses++;
        startedAt.set(request, sequence);
        report(error);
        return request;
      }
      stats.hits++;
      return { request, result, durationMs: 0, source: 'cache' } satisfies McpResponse;
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
      const group = groupOf(request.server, request.method);
      const started = startedAt.get(request) ?? sequence;
      const since = (what: string) => (droppedAt.get(what) ?? -1) > started;
      if (since(group) || since(key) || since('')) return response;
      const text = JSON.stringify(response.result);
      await guarded(async () => {
        const value = cipher ? await cipher.encrypt(text) : text;
        await store.set(key, { value, expiresAt: now() + lifetime }, { group });
        if (!grouped) remember(request, key);
      }, undefined);
      return response;
    },
    clear: async () => {
      dropped('');
      keysByGroup.clear();
      await store.clear();
    },
    invalidate,
    async onNotification(notification, server) {
      const drops: Promise<void>[] = [];
      for (const [method, triggers] of Object.entries(INVALIDATED_BY)) {
        if (!triggers.includes(notification.method)) continue;
        for (const each of serversFor(server)) {
          if (grouped || keysByGroup.has(groupOf(each, method)))
            drops.push(invalidate(each, method));
        }
      }
      const uri = notification.params?.uri;
      if (notification.method === 'notifications/resources/updated' && typeof uri === 'string') {
        for (const each of serversFor(server)) {
          const key = `${groupOf(each, 'resources/read')}\u0000${stableJson({ uri })}`;
          keysByGroup.get(groupOf(each, 'resources/read'))?.delete(key);
          dropped(key);
          drops.push((async () => store.delete(key))());
        }
      }
      for (const outcome of await Promise.allSettled(drops))
        if (outcome.status === 'rejected') report(outcome.reason);
    },
  };
}
