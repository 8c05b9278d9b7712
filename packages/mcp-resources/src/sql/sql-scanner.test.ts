import { McpConfigError } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { inlineParams, numberPlaceholders, statementCount } from './bind-params.js';
import { postgresLiteral, wireParam } from './postgres-literal.js';

describe('binding SQL parameters', () => {
  it('rewrites ? to $n outside literals, identifiers, dollar quotes and comments', () => {
    const sql = `SELECT '?', "a?b", $$ ? $$, $tag$ ? $tag$, E'\\' ?', x ?? y -- ?\n FROM t /* ? /* ? */ */ WHERE a = ? AND b = ?`;
    expect(numberPlaceholders(sql, [1, 2])).toBe(
      `SELECT '?', "a?b", $$ ? $$, $tag$ ? $tag$, E'\\' ?', x ? y -- ?\n FROM t /* ? /* ? */ */ WHERE a = $1 AND b = $2`,
    );
    expect(numberPlaceholders('SELECT $1, $2, $1', ['a', 'b'])).toBe('SELECT $1, $2, $1');
  });

  it('refuses mismatched counts, mixed styles and unterminated quotes', () => {
    expect(() => numberPlaceholders('SELECT ?', [])).toThrow(/1 placeholder\(s\) but 0/);
    expect(() => numberPlaceholders('SELECT ?, $1', [1, 2])).toThrow(/mixes/);
    expect(() => inlineParams("SELECT 'x", [])).toThrow(McpConfigError);
    expect(() => inlineParams('SELECT $a$ x', [])).toThrow(/dollar-quoted/);
  });

  it('renders literals that cannot break out of their quotes', () => {
    expect(postgresLiteral("'; DROP TABLE users; --")).toBe("E'''; DROP TABLE users; --'");
    expect(postgresLiteral('back\\slash')).toBe("E'back\\\\slash'");
    expect(postgresLiteral(null)).toBe('NULL');
    expect(postgresLiteral(true)).toBe('TRUE');
    expect(postgresLiteral(12n)).toBe('12');
    expect(postgresLiteral(Number.NaN)).toBe("'NaN'::float8");
    expect(postgresLiteral(new Date(0))).toBe("'1970-01-01T00:00:00.000Z'::timestamptz");
    expect(postgresLiteral(new Uint8Array([1, 255]))).toBe("E'\\\\x01ff'::bytea");
    expect(postgresLiteral([1, 'a'])).toBe("ARRAY[1, E'a']");
    expect(() => postgresLiteral('a\0b')).toThrow(/NUL/);
    expect(() => wireParam('a\0b', 'params.0')).toThrow(/params\.0/);
    expect(() => postgresLiteral({} as never)).toThrow(McpConfigError);
    expect(wireParam(['a"b', 'c\\d', null])).toBe('{"a\\"b","c\\\\d",NULL}');
    expect(inlineParams('SELECT ? AS v', ["it's"])).toBe("SELECT E'it''s' AS v");
  });

  it('counts statements, ignoring ; inside literals and trailing ;', () => {
    expect(statementCount('SELECT 1;')).toBe(1);
    expect(statementCount("SELECT ';'; ")).toBe(1);
    expect(statementCount('COMMIT; INSERT INTO t VALUES (1)')).toBe(2);
    expect(statementCount('SELECT 1 -- ; x\n')).toBe(1);
  });
});
