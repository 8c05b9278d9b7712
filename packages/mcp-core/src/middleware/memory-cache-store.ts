// The in-process default store of cachingMiddleware: entries in a Map bounded by count (oldest
// out first), with the groups of McpCacheStore so a whole (server, method) can be dropped.
import type { McpCacheEntry, McpCacheSetOptions, McpCacheStore } from '@tframex/mcp-api';

/** An in-memory McpCacheStore bounded by entry count (oldest out first), with groups. */
export class MemoryCacheStore implements McpCacheStore {
  readonly #entries = new Map<string, McpCacheEntry>();
  readonly #groupOfKey = new Map<string, string>();
  readonly #keysOfGroup = new Map<string, Set<string>>();

  constructor(private readonly maxEntries = 1000) {}

  get size(): number {
    return this.#entries.size;
  }

  /** What the store holds (as stored: ciphertext when a cipher is used). */
  entries(): IterableIterator<[string, McpCacheEntry]> {
    return this.#entries.entries();
  }

  get(key: string): McpCacheEntry | undefined {
    return this.#entries.get(key);
  }

  set(key: string, entry: McpCacheEntry, options: McpCacheSetOptions = {}): void {
    this.delete(key);
    this.#entries.set(key, entry);
    if (options.group !== undefined) {
      this.#groupOfKey.set(key, options.group);
      let keys = this.#keysOfGroup.get(options.group);
      if (!keys) this.#keysOfGroup.set(options.group, (keys = new Set()));
      keys.add(key);
    }
    while (this.#entries.size > this.maxEntries) this.delete(this.#entries.keys().next().value!);
  }

  delete(key: string): void {
    this.#entries.delete(key);
    const group = this.#groupOfKey.get(key);
    if (group === undefined) return;
    this.#groupOfKey.delete(key);
    const keys = this.#keysOfGroup.get(group);
    keys?.delete(key);
    if (keys?.size === 0) this.#keysOfGroup.delete(group);
  }

  deleteGroup(group: string): void {
    for (const key of [...(this.#keysOfGroup.get(group) ?? [])]) this.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#groupOfKey.clear();
    this.#keysOfGroup.clear();
  }
}
