import type { McpCacheStore } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from './memory-cache-store.js';

const entry = (value: string) => ({ value, expiresAt: 10_000 });

describe('MemoryCacheStore', () => {
  it('drops a whole group, and only that group', () => {
    const store: McpCacheStore = new MemoryCacheStore();
    store.set('a1', entry('1'), { group: 'a' });
    store.set('a2', entry('2'), { group: 'a' });
    store.set('b1', entry('3'), { group: 'b' });
    store.set('loose', entry('4'));
    store.deleteGroup!('a');
    expect(store.get('a1')).toBeUndefined();
    expect(store.get('a2')).toBeUndefined();
    expect(store.get('b1')).toEqual(entry('3'));
    expect(store.get('loose')).toEqual(entry('4'));
    store.deleteGroup!('nobody');
    expect(store.get('b1')).toEqual(entry('3'));
  });

  it('moves a key to its new group when set again, and forgets evicted keys', () => {
    const store = new MemoryCacheStore(2);
    store.set('k', entry('1'), { group: 'a' });
    store.set('k', entry('2'), { group: 'b' });
    store.deleteGroup('a');
    expect(store.get('k')).toEqual(entry('2'));
    store.set('x', entry('3'), { group: 'b' });
    store.set('y', entry('4'), { group: 'c' }); // evicts k, the oldest
    expect(store.size).toBe(2);
    expect(store.get('k')).toBeUndefined();
    store.set('k', entry('5')); // no longer in group b
    store.deleteGroup('b');
    expect(store.get('k')).toEqual(entry('5'));
    expect(store.get('x')).toBeUndefined();
    store.clear();
    expect(store.size).toBe(0);
  });
});
