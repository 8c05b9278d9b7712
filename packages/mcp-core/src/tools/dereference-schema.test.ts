import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/client';
import type { JsonSchema } from '@tframex/mcp-api';
import { dereferenceSchema } from './dereference-schema.js';

/** Every local JSON-pointer ref found in `node`. */
function localRefs(node: unknown, found: string[] = []): string[] {
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) stack.push(...current);
    else if (typeof current === 'object' && current !== null) {
      for (const [key, value] of Object.entries(current)) {
        if (
          key === '$ref' &&
          typeof value === 'string' &&
          (value === '#' || value.startsWith('#/'))
        )
          found.push(value);
        else stack.push(value);
      }
    }
  }
  return found;
}

function resolves(root: unknown, ref: string): boolean {
  if (ref === '#') return true;
  let current: unknown = root;
  for (const raw of decodeURIComponent(ref.slice(2)).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment))
      return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return true;
}

const pydanticStyle: JsonSchema = {
  type: 'object',
  properties: {
    owner: { $ref: '#/$defs/Person', description: 'Who owns it' },
    pets: { type: 'array', items: { $ref: '#/$defs/Pet' } },
  },
  required: ['owner'],
  $defs: {
    Person: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    Pet: {
      type: 'object',
      properties: { kind: { enum: ['cat', 'dog'] }, owner: { $ref: '#/$defs/Person' } },
    },
    Unused: { type: 'null' },
  },
};

describe('dereferenceSchema', () => {
  it('inlines $defs refs, merges annotation siblings and drops the definitions', () => {
    const before = JSON.stringify(pydanticStyle);
    const result = dereferenceSchema(pydanticStyle);
    expect(result).toEqual({
      type: 'object',
      properties: {
        owner: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
          description: 'Who owns it',
        },
        pets: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              kind: { enum: ['cat', 'dog'] },
              owner: {
                type: 'object',
                properties: { name: { type: 'string' } },
                required: ['name'],
              },
            },
          },
        },
      },
      required: ['owner'],
    });
    expect(JSON.stringify(pydanticStyle)).toBe(before);
  });

  it('validates the same instances as the original', () => {
    const validator = new AjvJsonSchemaValidator();
    const original = validator.getValidator(pydanticStyle as JsonSchemaType);
    const inlined = validator.getValidator(dereferenceSchema(pydanticStyle) as JsonSchemaType);
    const instances = [
      { owner: { name: 'Ann' } },
      { owner: {} },
      { owner: { name: 'Ann' }, pets: [{ kind: 'cat', owner: { name: 'Bo' } }] },
      { owner: { name: 'Ann' }, pets: [{ kind: 'cow' }] },
      { owner: { name: 'Ann' }, pets: [{ owner: { name: 3 } }] },
      { pets: [] },
    ];
    for (const instance of instances) {
      expect(inlined(instance).valid).toBe(original(instance).valid);
    }
  });

  it('follows definitions, arbitrary pointers and escaped segments', () => {
    const schema: JsonSchema = {
      properties: {
        a: { type: 'integer', minimum: 1 },
        b: { $ref: '#/properties/a' },
        c: { $ref: '#/definitions/with~1slash' },
        d: { $ref: '#/definitions/tilde~0and%25percent' },
      },
      definitions: { 'with/slash': { type: 'string' }, 'tilde~and%percent': { type: 'boolean' } },
    };
    expect(dereferenceSchema(schema)).toEqual({
      properties: {
        a: { type: 'integer', minimum: 1 },
        b: { type: 'integer', minimum: 1 },
        c: { type: 'string' },
        d: { type: 'boolean' },
      },
    });
  });

  it('uses allOf when merging would change the meaning', () => {
    const schema: JsonSchema = {
      properties: { x: { $ref: '#/$defs/Obj', properties: { extra: { type: 'string' } } } },
      $defs: {
        Obj: {
          type: 'object',
          properties: { id: { type: 'number' } },
          additionalProperties: false,
        },
      },
    };
    expect(dereferenceSchema(schema).properties?.x).toEqual({
      allOf: [
        { type: 'object', properties: { id: { type: 'number' } }, additionalProperties: false },
      ],
      properties: { extra: { type: 'string' } },
    });
  });

  it('leaves remote refs alone and inlines the rest', () => {
    const schema: JsonSchema = {
      properties: {
        remote: { $ref: 'https://example.com/schemas/thing.json' },
        ok: { $ref: '#/$defs/Ok' },
      },
      $defs: { Ok: { type: 'string' } },
    };
    expect(dereferenceSchema(schema)).toEqual({
      properties: {
        remote: { $ref: 'https://example.com/schemas/thing.json' },
        ok: { type: 'string' },
      },
    });
  });

  it.each([
    ['a pointer to nothing', '#/$defs/Nope'],
    ['an anchor', '#thing'],
    ['an absolute ref to its own $id', 'https://example.com/root.json#/$defs/Ok'],
  ])('copies a schema verbatim when it holds a ref it cannot follow: %s', (_label, ref) => {
    const schema: JsonSchema = {
      $id: 'https://example.com/root.json',
      properties: { odd: { $ref: ref }, ok: { $ref: '#/$defs/Ok' } },
      $defs: { Ok: { type: 'string' } },
    };
    const result = dereferenceSchema(schema);
    expect(result).toEqual(schema);
    expect(result).not.toBe(schema);
  });

  it('keeps recursive definitions as refs and only the definitions still needed', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' }, label: { $ref: '#/$defs/Label' } },
      $defs: {
        Node: {
          type: 'object',
          properties: {
            label: { $ref: '#/$defs/Label' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
          },
        },
        Label: { type: 'string', maxLength: 20 },
      },
    };
    const result = dereferenceSchema(schema);
    expect(result.properties).toEqual({
      root: { $ref: '#/$defs/Node' },
      label: { type: 'string', maxLength: 20 },
    });
    expect(result.$defs).toEqual({
      Node: {
        type: 'object',
        properties: {
          label: { type: 'string', maxLength: 20 },
          children: { type: 'array', items: { $ref: '#/$defs/Node' } },
        },
      },
    });
    const validate = new AjvJsonSchemaValidator().getValidator(result as JsonSchemaType);
    expect(validate({ root: { label: 'a', children: [{ label: 'b', children: [] }] } }).valid).toBe(
      true,
    );
    expect(validate({ root: { children: [{ label: 'x'.repeat(30) }] } }).valid).toBe(false);
  });

  it('with cycles: "any" leaves no ref: recursion ends in {}', () => {
    const schema: JsonSchema = {
      properties: { root: { $ref: '#/$defs/A' } },
      $defs: {
        A: { type: 'object', properties: { b: { $ref: '#/$defs/B' } } },
        B: { type: 'object', properties: { a: { $ref: '#/$defs/A', description: 'back' } } },
      },
    };
    expect(dereferenceSchema(schema, { cycles: 'any' })).toEqual({
      properties: {
        root: {
          type: 'object',
          properties: { b: { type: 'object', properties: { a: { description: 'back' } } } },
        },
      },
    });
    expect(dereferenceSchema({ properties: { self: { $ref: '#' } } }, { cycles: 'any' })).toEqual({
      properties: { self: {} },
    });
  });

  it('stops at maxDepth and maxNodes with a still-valid schema', () => {
    const defs: Record<string, JsonSchema> = {};
    for (let i = 0; i < 40; i += 1) {
      defs[`D${i}`] = {
        type: 'object',
        properties: { left: { $ref: `#/$defs/D${i + 1}` }, right: { $ref: `#/$defs/D${i + 1}` } },
      };
    }
    defs.D40 = { type: 'string' };
    const exponential: JsonSchema = { $ref: '#/$defs/D0', $defs: defs };
    for (const options of [{}, { maxDepth: 3 }, { maxNodes: 50 }]) {
      const result = dereferenceSchema(exponential, options);
      expect(JSON.stringify(result).length).toBeLessThan(2_000_000);
      for (const ref of localRefs(result)) expect(resolves(result, ref)).toBe(true);
    }
  });

  it('handles very wide arrays without spreading them into calls', () => {
    const values = Array.from({ length: 150_000 }, (_, index) => index);
    const result = dereferenceSchema({
      properties: { big: { $ref: '#/$defs/Big' } },
      $defs: { Big: { enum: values } },
    });
    const copied = (result.properties?.big as unknown as { enum: number[] }).enum;
    expect(result.$defs).toBeUndefined();
    expect(copied).not.toBe(values);
    expect([copied.length, copied[0], copied[149_999]]).toEqual([150_000, 0, 149_999]);
  });

  it('survives nesting far deeper than the call stack', () => {
    let deep: JsonSchema = { type: 'string' };
    for (let i = 0; i < 30_000; i += 1) deep = { type: 'array', items: deep };
    const result = dereferenceSchema({ properties: { deep }, $defs: { X: { type: 'null' } } });
    expect(result.$defs).toBeUndefined();
    let depth = 0;
    for (
      let node: JsonSchema | undefined = result.properties?.deep;
      node?.items;
      node = node.items as JsonSchema
    )
      depth += 1;
    expect(depth).toBe(30_000);
  });

  it('copies schemas that bundle resources with their own $id unchanged', () => {
    const schema: JsonSchema = {
      properties: { a: { $ref: '#/$defs/A' } },
      $defs: {
        A: { $id: 'https://example.com/a', $defs: { X: { type: 'string' } }, $ref: '#/$defs/X' },
      },
    };
    const result = dereferenceSchema(schema);
    expect(result).toEqual(schema);
    expect(result).not.toBe(schema);
  });

  it('keeps keys in their original order and passes boolean schemas through', () => {
    const result = dereferenceSchema({
      title: 't',
      properties: { z: { type: 'string' }, a: { $ref: '#/$defs/A' } },
      $defs: { A: { description: 'd', type: 'number' } },
    });
    expect(JSON.stringify(result)).toBe(
      '{"title":"t","properties":{"z":{"type":"string"},"a":{"description":"d","type":"number"}}}',
    );
    expect(dereferenceSchema(true)).toBe(true);
  });

  it('never copies __proto__ keys onto prototypes', () => {
    const schema = JSON.parse(
      '{"properties":{"__proto__":{"$ref":"#/$defs/P"}},"$defs":{"P":{"type":"string","__proto__":{"polluted":true}}}}',
    ) as JsonSchema;
    const result = dereferenceSchema(schema);
    expect(Object.keys(result.properties ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.properties)).toBe(Object.prototype);
  });
});

describe('dereferenceSchema properties', () => {
  const defName = fc.constantFrom('A', 'B', 'C', 'a/b', 'ti~lde');
  const escape = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');
  const schemaArbitrary = fc.letrec((tie) => ({
    ref: fc.record(
      {
        $ref: fc.oneof(
          defName.map((name) => `#/$defs/${escape(name)}`),
          fc.constantFrom('#', '#/properties/p', '#/$defs/A/properties/p', 'other.json#/x'),
        ),
        description: fc.string({ maxLength: 5 }),
      },
      { requiredKeys: ['$ref'] },
    ),
    leaf: fc.oneof(
      fc.constant({ type: 'string' }),
      fc.constant({ type: 'number', minimum: 0 }),
      fc.constant(true),
    ),
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      tie('ref'),
      fc.record({
        type: fc.constant('object'),
        properties: fc.dictionary(fc.constantFrom('p', 'q', '', '__proto__'), tie('node'), {
          maxKeys: 3,
        }),
      }),
      fc.record({ type: fc.constant('array'), items: tie('node') }),
      fc.record({ anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    ),
    root: fc.record({
      type: fc.constant('object'),
      properties: fc.dictionary(fc.constantFrom('p', 'q', 'r'), tie('node'), { maxKeys: 3 }),
      $defs: fc.dictionary(defName, tie('node'), { maxKeys: 5 }),
    }),
  })).root as fc.Arbitrary<JsonSchema>;

  it('never throws, never mutates, leaves no dangling ref, and is idempotent', () => {
    fc.assert(
      fc.property(
        schemaArbitrary,
        fc.constantFrom<'keep-ref' | 'any'>('keep-ref', 'any'),
        (schema, cycles) => {
          const before = JSON.stringify(schema);
          const once = dereferenceSchema(schema, { cycles });
          const twice = dereferenceSchema(once, { cycles });
          expect(JSON.stringify(schema)).toBe(before);
          expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
          for (const ref of localRefs(once))
            expect(resolves(once, ref)).toBe(resolves(schema, ref));
          // In "any" mode no followable ref is left, unless the schema was copied verbatim.
          if (cycles === 'any' && localRefs(once).some((ref) => resolves(schema, ref))) {
            expect(once).toEqual(schema);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns anything that is not a schema object as it is, without throwing', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
        dereferenceSchema(value as JsonSchema);
      }),
    );
  });
});
