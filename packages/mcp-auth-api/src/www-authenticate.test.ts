import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './index.js';

describe('parseWwwAuthenticate', () => {
  it('reads an MCP bearer challenge with resource metadata and scope', () => {
    const header =
      'Bearer error="insufficient_scope", scope="files:read files:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"';
    expect(parseWwwAuthenticate(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          error: 'insufficient_scope',
          scope: 'files:read files:write',
          resource_metadata: 'https://mcp.example.com/.well-known/oauth-protected-resource',
        },
      },
    ]);
  });

  it('splits several challenges and keeps token68 values', () => {
    expect(
      parseWwwAuthenticate(
        'Basic realm="x", Bearer realm=api,error=invalid_token, Negotiate abc123==',
      ),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'bearer', params: { realm: 'api', error: 'invalid_token' } },
      { scheme: 'negotiate', params: {}, token68: 'abc123==' },
    ]);
  });

  it('handles escapes, odd spacing and case', () => {
    expect(parseWwwAuthenticate('  BEARER  Realm = "a \\"quoted\\" realm" ,  Error=x')).toEqual([
      { scheme: 'bearer', params: { realm: 'a "quoted" realm', error: 'x' } },
    ]);
  });

  it('returns nothing for empty input and never throws on garbage', () => {
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    for (const junk of [
      '=',
      '"',
      ',,,',
      'Bearer "unterminated',
      'Bearer a="b',
      '\u0000\u0001',
      'Bearer ,=,',
    ]) {
      expect(() => parseWwwAuthenticate(junk)).not.toThrow();
    }
  });
});
