import { describe, expect, it } from 'vitest';
import { AesGcmEncryption } from './at-rest-encryption.js';
import { ResourceCache, type CacheEntry } from './resource-cache.js';

describe('ResourceCache', () => {
  it('expires entries by the hint or the default TTL, evicts the least recently used', async () => {
    let now = 1_000;
    const store = new Map<string, CacheEntry>();
    const cache = new ResourceCache({ ttlMs: 100, maxEntries: 2, store, now: () => now });
    await cache.set('a', { uri: 'x://a', mimeType: 'text/plain', text: 'A' });
    await cache.set('b', { uri: 'x://b', mimeType: 'text/plain', text: 'B' }, 500);
    await cache.set('zero', { uri: 'x://z', mimeType: 'text/plain', text: 'Z' }, 0);
    expect(store.has('zero')).toBe(false);
    expect((await cache.get('a'))?.text).toBe('A'); // a is now the most recent
    await cache.set('c', { uri: 'x://c', mimeType: 'text/plain', text: 'C' });
    expect([...store.keys()].sort()).toEqual(['a', 'c']);
    now += 150;
    expect(await cache.get('a')).toBeUndefined();
    expect(store.has('a')).toBe(false);
  });

  it('drops every path read from one URI; keeps only ciphertext with encryption', async () => {
    const store = new Map<string, CacheEntry>();
    const key = new Uint8Array(32).fill(1);
    const cache = new ResourceCache({
      ttlMs: 10_000,
      maxEntries: 10,
      store,
      encryption: new AesGcmEncryption(key),
    });
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await cache.set('by-path', { uri: 'x://doc', mimeType: 'application/octet-stream', bytes });
    await cache.set('by-uri', { uri: 'x://doc', mimeType: 'application/octet-stream', bytes });
    expect(JSON.stringify([...store.values()])).not.toContain('AAEC');
    expect([...((await cache.get('by-path'))?.bytes ?? [])]).toEqual([0, 1, 2, 255]);
    await expect(
      new AesGcmEncryption(new Uint8Array(32)).decrypt(store.get('by-uri')!.encrypted!),
    ).rejects.toThrow(/integrity/);
    cache.deleteUri('x://doc');
    expect(store.size).toBe(0);
    expect(JSON.stringify(new AesGcmEncryption(key))).toBe('"[redacted]"');
  });
});
