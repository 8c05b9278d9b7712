import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMcpUri, isMcpUri, McpConfigError, parseMcpUri } from './index.js';

// A property run is pure CPU work: on a machine whose cores are busy it takes many times
// longer, so its time limit only guards against a hang.
const PROPERTY = { timeout: 120_000 };
describe('mcp:// URIs', () => {
  it('parses a tool, a nested name and a wildcard', () => {
    expect(parseMcpUri('mcp://database/query')).toEqual({
      server: 'database',
      name: 'query',
      wildcard: false,
    });
    expect(parseMcpUri('mcp://db/database/query')).toEqual({
      server: 'db',
      name: 'database/query',
      wildcard: false,
    });
    expect(parseMcpUri('mcp://api/*')).toEqual({ server: 'api', name: '*', wildcard: true });
    expect(parseMcpUri('MCP://api/weather').server).toBe('api');
    expect(parseMcpUri('mcp://fs/file%3A%2F%2F%2Ftmp%2Fa%20b.txt').name).toBe(
      'file:///tmp/a b.txt',
    );
  });

  it.each([
    ['http://db/query', 'does not start with mcp://'],
    ['mcp://', 'no /<name>'],
    ['mcp:///query', 'server alias is empty'],
    ['mcp://db', 'no /<name>'],
    ['mcp://db/', 'name after the server is empty'],
    ['mcp://d b/q', 'server alias'],
    ['mcp://db/q?x=1', 'percent-encode'],
    ['mcp://db/%E0%A4%A', 'malformed percent-escape'],
  ])('rejects %s with a config error that says why', (uri, why) => {
    let caught: unknown;
    try {
      parseMcpUri(uri);
    } catch (error) {
      caught = error;
    }
    expect(McpConfigError.isInstance(caught)).toBe(true);
    expect((caught as McpConfigError).message).toContain(why);
    expect((caught as McpConfigError).field).toBe('uri');
  });

  it('formats what it parses, for any alias and name (property)', PROPERTY, () => {
    const alias = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    const name = fc.string({ minLength: 1, maxLength: 80, unit: 'binary' });
    fc.assert(
      fc.property(alias, name, (server, toolName) => {
        const uri = formatMcpUri(server, toolName);
        expect(isMcpUri(uri)).toBe(true);
        expect(parseMcpUri(uri)).toEqual({ server, name: toolName, wildcard: false });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws anything but McpConfigError on arbitrary input (property)', PROPERTY, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        try {
          const parsed = parseMcpUri(`mcp://${input}`);
          expect(parsed.server.length).toBeGreaterThan(0);
        } catch (error) {
          expect(McpConfigError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a tool literally named * apart from the wildcard', () => {
    const uri = formatMcpUri('db', '*');
    expect(uri).toBe('mcp://db/%2A');
    expect(parseMcpUri(uri)).toEqual({ server: 'db', name: '*', wildcard: false });
    expect(formatMcpUri('db', '', { wildcard: true })).toBe('mcp://db/*');
    expect(() => formatMcpUri('bad alias', 'x')).toThrow(McpConfigError);
  });
});
