import type { JsonSchema } from '@tframex/mcp-api';
import { describe, expect, it } from 'vitest';
import { inlineLocalRefs } from './inline-local-refs.js';

describe('inlineLocalRefs', () => {
  it('inlines $defs and definitions, and drops them once unused', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        where: { $ref: '#/$defs/Filter' },
        order: { $ref: '#/definitions/Order', description: 'sort order' },
        list: { type: 'array', items: { $ref: '#/$defs/Filter' } },
      },
      $defs: {
        Filter: { type: 'object', properties: { field: { $ref: '#/$defs/Name' } } },
        Name: { type: 'string' },
      },
      definitions: { Order: { enum: ['asc', 'desc'], description: 'either way' } },
    };
    expect(inlineLocalRefs(schema)).toEqual({
      type: 'object',
      properties: {
        where: { type: 'object', properties: { field: { type: 'string' } } },
        order: { enum: ['asc', 'desc'], description: 'sort order' },
        list: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' } } },
        },
      },
    });
    // The input is left as it was.
    expect(schema.$defs).toBeDefined();
  });

  it('follows JSON pointers with escapes, and a reference at the root', () => {
    const schema = {
      $ref: '#/$defs/a~1b',
      $defs: {
        'a/b': { type: 'object', properties: { n: { $ref: '#/$defs/tilde~0x' } } },
        'tilde~x': { type: 'number' },
      },
    } as JsonSchema;
    expect(inlineLocalRefs(schema)).toEqual({
      type: 'object',
      properties: { n: { type: 'number' } },
    });
  });

  it('keeps recursive and dangling references, with the definitions they need', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { tree: { $ref: '#/$defs/Node' }, other: { $ref: '#/$defs/Missing' } },
      $defs: {
        Node: {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
        },
      },
    };
    const inlined = inlineLocalRefs(schema);
    expect(inlined.properties?.['tree']).toEqual({
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
    });
    expect(inlined.properties?.['other']).toEqual({ $ref: '#/$defs/Missing' });
    expect(inlined.$defs).toEqual(schema.$defs);
  });

  it('leaves remote references alone and a schema that would grow too large whole', () => {
    const remote: JsonSchema = { type: 'object', properties: { x: { $ref: 'https://x/s.json' } } };
    expect(inlineLocalRefs(remote)).toEqual(remote);
    // Each level doubles: about 20 000 nodes once inlined, past the default 10 000.
    const defs: Record<string, JsonSchema> = { L0: { type: 'string' } };
    for (let level = 1; level <= 12; level++) {
      defs[`L${level}`] = {
        type: 'object',
        properties: { a: { $ref: `#/$defs/L${level - 1}` }, b: { $ref: `#/$defs/L${level - 1}` } },
      };
    }
    const huge: JsonSchema = { $ref: '#/$defs/L12', $defs: defs };
    expect(inlineLocalRefs(huge)).toBe(huge);
    expect(inlineLocalRefs(huge, { maxNodes: 100_000 }).$defs).toBeUndefined();
  });
});
