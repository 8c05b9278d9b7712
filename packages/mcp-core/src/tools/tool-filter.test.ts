import { describe, expect, it } from 'vitest';
import type { Tool } from '@tframex/mcp-api';
import { compileToolFilter, matchesToolFilter } from './tool-filter.js';
import { isIdempotentTool } from './is-idempotent-tool.js';

const query: Tool = {
  name: 'run_query',
  inputSchema: { type: 'object' },
  annotations: { readOnlyHint: true },
  _meta: { category: 'database', fastmcp: { tags: ['SQL', 'read'] } },
};
const drop: Tool = {
  name: 'drop_table',
  inputSchema: { type: 'object' },
  _meta: { tags: ['sql', 'admin'], category: 'database' },
};
const weather: Tool = {
  name: 'get_weather',
  inputSchema: { type: 'object' },
  annotations: { destructiveHint: false },
};
const tools = [query, drop, weather];
const names = (filter: Parameters<typeof compileToolFilter>[0], server = 'db') => {
  const matches = compileToolFilter(filter);
  return tools.filter((tool) => matches(tool, { server })).map((tool) => tool.name);
};

describe('matchesToolFilter', () => {
  it('an empty filter matches everything', () => {
    expect(names({})).toEqual(['run_query', 'drop_table', 'get_weather']);
  });

  it('matches capability against categories and tags, case-insensitively', () => {
    expect(names({ capability: 'Database' })).toEqual(['run_query', 'drop_table']);
    expect(names({ capability: ['admin', 'nothing'] })).toEqual(['drop_table']);
  });

  it('requires every tag', () => {
    expect(names({ tags: ['sql'] })).toEqual(['run_query', 'drop_table']);
    expect(names({ tags: ['sql', 'read'] })).toEqual(['run_query']);
    expect(names({ capability: 'database', tags: ['sql', 'admin'] })).toEqual(['drop_table']);
  });

  it('matches annotations using the spec defaults for missing hints', () => {
    expect(names({ annotations: { readOnlyHint: true } })).toEqual(['run_query']);
    // destructiveHint defaults to true, so only the tool that says false matches.
    expect(names({ annotations: { destructiveHint: false } })).toEqual(['get_weather']);
    expect(names({ annotations: { openWorldHint: true } })).toEqual([
      'run_query',
      'drop_table',
      'get_weather',
    ]);
  });

  it('matches names exactly, by glob or by RegExp (also a stateful one)', () => {
    expect(names({ name: 'run_query' })).toEqual(['run_query']);
    expect(names({ name: '*_table' })).toEqual(['drop_table']);
    expect(names({ name: 'get_?eather' })).toEqual(['get_weather']);
    const sticky = /query|weather/g;
    expect(names({ name: sticky })).toEqual(['run_query', 'get_weather']);
    expect(names({ name: sticky })).toEqual(['run_query', 'get_weather']);
    expect(names({ name: 'run.query' })).toEqual([]);
  });

  it('matches the server from the context or from the tool itself', () => {
    expect(names({ server: 'd*' })).toHaveLength(3);
    expect(names({ server: ['api', 'web'] })).toEqual([]);
    expect(matchesToolFilter({ ...weather, server: 'api' }, { server: 'api' })).toBe(true);
    expect(matchesToolFilter(weather, { server: 'api' })).toBe(false);
  });

  it('matches an McpTool by its original name too', () => {
    const flattened = { name: 'db__run_query', originalName: 'run_query', server: 'db' };
    expect(matchesToolFilter(flattened, { name: 'run_query', server: 'db' })).toBe(true);
  });

  it('rejects a malformed filter with McpConfigError and a hint', () => {
    expect(() => compileToolFilter({ tags: 'sql' } as never)).toThrow(
      expect.objectContaining({ kind: 'config', field: 'filter.tags' }),
    );
    expect(() => compileToolFilter({ tag: ['sql'] } as never)).toThrow(/did you mean "tags"/);
  });
});

describe('isIdempotentTool', () => {
  it('is true for read-only or idempotent tools only', () => {
    expect(isIdempotentTool(query)).toBe(true);
    expect(isIdempotentTool({ annotations: { idempotentHint: true } })).toBe(true);
    expect(isIdempotentTool(drop)).toBe(false);
    expect(isIdempotentTool({ annotations: { readOnlyHint: false } })).toBe(false);
  });
});
