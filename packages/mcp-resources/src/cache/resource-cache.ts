// Read cache of one resource: entries live for the server's `ttlMs` hint (2026-07-28) or the
// configured default, the least recently used go first, and with `encryptAtRest` only
// ciphertext is kept.
import type { ResourceContent } from '../content/resource-content.js';
import type { AtRestEncryption } from './at-rest-encryption.js';

/** One cached read: plain content, or (encryptAtRest) a token holding its JSON. */
export interface CacheEntry {
  readonly expiresAt: number;
  readonly content?: ResourceContent;
  readonly encrypted?: string;
}

/** Where entries live: a Map fits. */
export interface CacheStore {
  get(key: string): CacheEntry | undefined;
  set(key: string, entry: CacheEntry): unknown;
  delete(key: string): unknown;
  keys(): IterableIterator<string>;
  readonly size: number;
}

export interface ResourceCacheSettings {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly store?: CacheStore;
  readonly encryption?: AtRestEncryption;
  readonly now?: () => number;
}

interface SerializedContent {
  uri: string;
  mimeType?: string;
  text?: string;
  blob?: string;
}

export class ResourceCache {
  readonly #settings: ResourceCacheSettings;
  readonly #store: CacheStore;
  readonly #now: () => number;

  constructor(settings: ResourceCacheSettings) {
    this.#settings = settings;
    this.#store = settings.store ?? new Map<string, CacheEntry>();
    this.#now = settings.now ?? Date.now;
  }

  /** The fresh content cached under `key`, if any. */
  async get(key: string): Promise<ResourceContent | undefined> {
    const entry = this.#store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#store.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.#store.delete(key);
    this.#store.set(key, entry);
    if (entry.content) return entry.content;
    if (entry.encrypted === undefined || !this.#settings.encryption) return undefined;
    const plain = await this.#settings.encryption.decrypt(entry.encrypted);
    return fromSerialized(JSON.parse(Buffer.from(plain).toString('utf8')) as SerializedContent);
  }

  /**
   * Keeps `content` for the server's hint (`ttlMs`, 0 = not at all) or else the default TTL.
   */
  async set(key: string, content: ResourceContent, hintTtlMs?: number): Promise<void> {
    const ttlMs = hintTtlMs ?? this.#settings.ttlMs;
    if (!(ttlMs > 0)) return;
    const expiresAt = this.#now() + ttlMs;
    const entry: CacheEntry = this.#settings.encryption
      ? {
          expiresAt,
          encrypted: await this.#settings.encryption.encrypt(
            new TextEncoder().encode(JSON.stringify(toSerialized(content))),
          ),
        }
      : { expiresAt, content };
    this.#store.delete(key);
    this.#store.set(key, entry);
    while (this.#store.size > this.#settings.maxEntries) {
      const oldest = this.#store.keys().next();
      if (oldest.done) break;
      this.#store.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#store.delete(key);
  }

  clear(): void {
    for (const key of [...this.#store.keys()]) this.#store.delete(key);
  }
}

function toSerialized(content: ResourceContent): SerializedContent {
  return {
    uri: content.uri,
    ...(content.mimeType !== undefined ? { mimeType: content.mimeType } : {}),
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.bytes ? { blob: Buffer.from(content.bytes).toString('base64') } : {}),
  };
}

function fromSerialized(value: SerializedContent): ResourceContent {
  return {
    uri: value.uri,
    mimeType: value.mimeType,
    ...(value.text !== undefined ? { text: value.text } : {}),
    ...(value.blob !== undefined
      ? { bytes: new Uint8Array(Buffer.from(value.blob, 'base64')) }
      : {}),
  };
}
