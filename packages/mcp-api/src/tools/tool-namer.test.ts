import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FLAT_TOOL_NAME_PATTERN, flattenToolName, ToolNamer } from './tool-namer.js';

// A property run is pure CPU work: on a machine whose cores are busy it takes many times
// longer, so its time limit only guards against a hang.
const PROPERTY = { timeout: 120_000 };
describe('ToolNamer', () => {
  it('keeps simple names readable as server__tool and resolves them back', () => {
    const namer = new ToolNamer();
    expect(namer.nameFor('github', 'create_issue')).toBe('github__create_issue');
    expect(namer.resolve('github__create_issue')).toEqual({
      server: 'github',
      tool: 'create_issue',
    });
  });

  it('resolves only names it handed out', () => {
    const namer = new ToolNamer();
    expect(namer.resolve('db__query')).toBeUndefined();
    namer.nameFor('db', 'query');
    expect(namer.resolve('db__query')).toEqual({ server: 'db', tool: 'query' });
  });

  it('sanitises and suffixes names that cannot stand as they are', () => {
    const namer = new ToolNamer();
    const dotted = namer.nameFor('api.example.com', 'get weather');
    expect(dotted).toMatch(/^api_example_com__get_weather_[a-z0-9]{10}$/);
    expect(namer.resolve(dotted)).toEqual({ server: 'api.example.com', tool: 'get weather' });
  });

  it('keeps pairs apart that only the separator would confuse', () => {
    const namer = new ToolNamer();
    const a = namer.nameFor('a_', '_b');
    const b = namer.nameFor('a', '___b');
    const c = namer.nameFor('a__x', 'b');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(namer.resolve(a)).toEqual({ server: 'a_', tool: '_b' });
    expect(namer.resolve(b)).toEqual({ server: 'a', tool: '___b' });
    expect(namer.resolve(c)).toEqual({ server: 'a__x', tool: 'b' });
  });

  it('truncates long names to 64 characters with a stable suffix', () => {
    const tool = 'x'.repeat(100);
    const name = new ToolNamer().nameFor('server', tool);
    expect(name).toHaveLength(64);
    expect(name).toBe(flattenToolName('server', tool));
    expect(name.startsWith('server__xxx')).toBe(true);
    expect(new ToolNamer().nameFor('server', `${tool}y`)).not.toBe(name);
  });

  it('never goes below 24 characters of budget, whatever maxLength it is given', () => {
    for (const maxLength of [0, 5, -1, 23.5]) {
      const name = flattenToolName('server', 't'.repeat(100), maxLength);
      expect(name.length).toBeLessThanOrEqual(24);
      expect(FLAT_TOOL_NAME_PATTERN.test(name)).toBe(true);
    }
  });

  it('forgets a server', () => {
    const namer = new ToolNamer();
    const name = namer.nameFor('a.b', 'tool');
    namer.nameFor('other', 'tool');
    namer.forgetServer('a.b');
    expect(namer.resolve(name)).toBeUndefined();
    expect(namer.size).toBe(1);
  });

  it('honours maxLength and validates it', () => {
    const name = new ToolNamer({ maxLength: 30 }).nameFor(
      'server',
      'a_rather_long_tool_name_indeed',
    );
    expect(name.length).toBeLessThanOrEqual(30);
    expect(() => new ToolNamer({ maxLength: 5 })).toThrow(
      expect.objectContaining({ kind: 'config', field: 'maxLength' }),
    );
  });

  it(
    'always gives valid, unique, deterministic names that resolve back (property)',
    PROPERTY,
    () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(fc.string({ maxLength: 80 }), fc.string({ maxLength: 120 })), {
            selector: ([server, tool]) => `${server}\u0000${tool}`,
            maxLength: 40,
          }),
          (pairs) => {
            const namer = new ToolNamer();
            const again = new ToolNamer();
            const names = pairs.map(([server, tool]) => namer.nameFor(server, tool));
            if (new Set(names).size !== names.length) return false;
            return pairs.every(([server, tool], index) => {
              const name = names[index] as string;
              const resolved = namer.resolve(name);
              return (
                FLAT_TOOL_NAME_PATTERN.test(name) &&
                again.nameFor(server, tool) === name &&
                resolved?.server === server &&
                resolved.tool === tool
              );
            });
          },
        ),
      );
    },
  );
});
