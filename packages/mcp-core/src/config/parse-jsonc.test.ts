import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJsonc } from './parse-jsonc.js';

describe('parseJsonc', () => {
  it('drops comments and trailing commas but never touches strings', () => {
    const text = `{
      // servers
      "servers": {
        "a": { "url": "https://x.example/a//b", "note": "/* not a comment */", }, /* trailing */
      },
      "list": [1, 2, 3,],
      "quote": "say \\"hi\\", // still text",
    }`;
    expect(parseJsonc(text)).toEqual({
      servers: { a: { url: 'https://x.example/a//b', note: '/* not a comment */' } },
      list: [1, 2, 3],
      quote: 'say "hi", // still text',
    });
  });

  it('still rejects what is not JSON', () => {
    expect(() => parseJsonc('{ "a": }')).toThrow(SyntaxError);
    expect(() => parseJsonc('[1,,]')).toThrow(SyntaxError);
  });

  it('reads plain JSON exactly as JSON.parse does (property)', () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        expect(parseJsonc(json)).toEqual(JSON.parse(json));
      }),
    );
  });
});
