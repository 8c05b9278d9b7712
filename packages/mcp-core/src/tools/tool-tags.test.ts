import { describe, expect, it } from 'vitest';
import { readToolCategories, readToolTags } from './tool-tags.js';

describe('readToolTags', () => {
  it('reads plain, FastMCP (both namespaces) and namespaced tags, deduplicated', () => {
    const tool = {
      _meta: {
        tags: ['sql', 'read'],
        fastmcp: { tags: ['sql', 'analytics'] },
        _fastmcp: { tags: ['legacy'] },
        'com.example/tags': 'reporting',
      },
    };
    expect(readToolTags(tool)).toEqual(['sql', 'read', 'analytics', 'legacy', 'reporting']);
  });

  it('ignores what is not a tag and tolerates missing or malformed _meta', () => {
    expect(readToolTags({})).toEqual([]);
    expect(readToolTags({ _meta: { tags: [1, null, ' ', 'ok', { x: 1 }] } })).toEqual(['ok']);
    expect(readToolTags({ _meta: { tags: 'x'.repeat(300) } })).toEqual([]);
    expect(readToolTags({ _meta: 'nonsense' as never })).toEqual([]);
  });

  it('caps the number of tags a hostile server can send', () => {
    const tags = Array.from({ length: 10_000 }, (_, index) => `t${index}`);
    expect(readToolTags({ _meta: { tags } })).toHaveLength(256);
  });
});

describe('readToolCategories', () => {
  it('reads category and capability keys in the same places', () => {
    const tool = {
      _meta: {
        category: 'database',
        fastmcp: { capabilities: ['query'] },
        'io.acme/capability': 'sql',
      },
    };
    expect(readToolCategories(tool)).toEqual(['database', 'query', 'sql']);
  });
});
