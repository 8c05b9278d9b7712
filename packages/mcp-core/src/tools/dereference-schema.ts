// Inlines local `$ref`s of a JSON Schema, for LLM APIs that do not follow them. Iterative
// throughout, with budgets, so hostile schemas (deep, huge, cyclic, exponential) cannot
// overflow the stack or blow up memory.
import type { JsonSchema } from '@tframex/mcp-api';

export interface DereferenceOptions {
  /** Most refs expanded inside one another along a path (default 32); deeper ones stay refs. */
  maxDepth?: number;
  /** Most nodes that expansions may copy in, in all (default 10 000); past it, refs stay. */
  maxNodes?: number;
  /**
   * What to do with a recursive definition (one that reaches itself through refs):
   * `keep-ref` (default) keeps the `$ref` and its definition in `$defs`, lossless;
   * `any` inlines it until it recurs and puts `{}` (any value) there, so no `$ref` is left.
   */
  cycles?: 'keep-ref' | 'any';
}

type Json = unknown;
type Container = Record<string, Json> | Json[];
interface Chain {
  pointer: string;
  parent: Chain | undefined;
}
interface Task {
  source: Json;
  parent: Container;
  key: string | number;
  chain: Chain | undefined;
  depth: number;
}

const DEFS_KEYWORDS = ['$defs', 'definitions'] as const;
/** Keywords whose meaning does not depend on the other keywords of their object. */
const MERGE_UNSAFE = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  '$ref',
  '$dynamicRef',
  '$id',
  '$anchor',
]);
const NOT_FOUND = Symbol('not found');
const ANALYSIS_BUDGET = 1_000_000;

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets an own property even for the key `__proto__` (a plain assignment would set the prototype). */
function setOwn(target: Container, key: string | number, value: Json): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    (target as Record<string | number, Json>)[key] = value;
  }
}

/** The segments of a local JSON-pointer ref (`#/a/b~1c`), or undefined for anything else. */
function pointerSegments(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(ref.slice(2));
  } catch {
    return undefined;
  }
  return decoded.split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const canonicalPointer = (segments: readonly string[]): string =>
  segments.length === 0
    ? '#'
    : `#/${segments
        .map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/%/g, '%25'))
        .join('/')}`;

function resolveSegments(root: Json, segments: readonly string[]): Json | typeof NOT_FOUND {
  let current: Json = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return NOT_FOUND;
      const index = Number(segment);
      if (index >= current.length) return NOT_FOUND;
      current = current[index];
    } else if (isObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return NOT_FOUND;
    }
  }
  return current;
}

/** push(...items) without spreading: a huge array must not become a huge argument list. */
function pushAll<T>(stack: T[], items: Iterable<T>): void {
  for (const item of items) stack.push(item);
}

function inChain(chain: Chain | undefined, pointer: string): boolean {
  for (let link = chain; link; link = link.parent) if (link.pointer === pointer) return true;
  return false;
}

/** Local refs found in `node` without following them (iterative). */
function refsWithin(node: Json, budget: { left: number }): Set<string> | undefined {
  const found = new Set<string>();
  const stack: Json[] = [node];
  while (stack.length > 0) {
    if (--budget.left < 0) return undefined;
    const current = stack.pop();
    if (Array.isArray(current)) pushAll(stack, current);
    else if (isObject(current)) {
      for (const [key, value] of Object.entries(current)) {
        if (key === '$ref' && typeof value === 'string') {
          const segments = pointerSegments(value);
          if (segments) found.add(canonicalPointer(segments));
        } else stack.push(value);
      }
    }
  }
  return found;
}

/**
 * Pointers whose target reaches itself through refs. When the analysis would cost too much,
 * every pointer counts as recursive: refs then stay refs, which is always correct.
 */
function recursivePointers(root: Json): (pointer: string) => boolean {
  const budget = { left: ANALYSIS_BUDGET };
  const edges = new Map<string, Set<string>>();
  const pending = [...(refsWithin(root, budget) ?? [])];
  if (budget.left < 0) return () => true;
  while (pending.length > 0) {
    const pointer = pending.pop() as string;
    if (edges.has(pointer)) continue;
    const segments = pointerSegments(pointer);
    const target = segments ? resolveSegments(root, segments) : NOT_FOUND;
    const next = target === NOT_FOUND ? new Set<string>() : refsWithin(target, budget);
    if (!next) return () => true;
    edges.set(pointer, next);
    pushAll(pending, next);
  }
  const recursive = new Set<string>();
  for (const start of edges.keys()) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length > 0) {
      const pointer = stack.pop() as string;
      if (pointer === start) {
        recursive.add(start);
        break;
      }
      if (seen.has(pointer)) continue;
      seen.add(pointer);
      pushAll(stack, edges.get(pointer) ?? []);
      if (--budget.left < 0) return () => true;
    }
  }
  return (pointer) => recursive.has(pointer);
}

/**
 * Whether inlining could change what a ref means: a subschema other than the root declares
 * `$id` (a bundled resource with its own base), or a local ref cannot be followed (an anchor,
 * a pointer to nothing, an absolute ref to the root's own `$id`). Such schemas are copied
 * verbatim. Too large to tell within budget counts as yes.
 */
function mustCopyVerbatim(root: Record<string, Json>): boolean {
  const rootId = typeof root.$id === 'string' ? root.$id.replace(/#.*$/, '') : undefined;
  const stack: Json[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (key === '$ref') stack.push({ $ref: value });
    else if (key !== '$id') stack.push(value);
  }
  for (let budget = ANALYSIS_BUDGET; stack.length > 0; budget -= 1) {
    if (budget <= 0) return true;
    const current = stack.pop();
    if (Array.isArray(current)) {
      pushAll(stack, current);
      continue;
    }
    if (!isObject(current)) continue;
    for (const [key, value] of Object.entries(current)) {
      if (key === '$id' && typeof value === 'string') return true;
      if (key !== '$ref' || typeof value !== 'string') {
        stack.push(value);
        continue;
      }
      if (rootId && value.startsWith(rootId)) return true;
      if (!value.startsWith('#')) continue;
      const segments = pointerSegments(value);
      if (!segments || resolveSegments(root, segments) === NOT_FOUND) return true;
    }
  }
  return false;
}

const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
]);

/**
 * A copy of `schema` with local refs (`#/$defs/…`, `#/definitions/…`, any JSON pointer, with
 * `~0`/`~1` and percent escapes) replaced by what they point to. A ref with sibling keywords
 * is merged with its target when that keeps the meaning (siblings are annotations or touch
 * other keywords), else becomes `allOf: [target]` next to the siblings. Remote refs
 * (`https://…`, `other.json#…`) stay as they are. A schema with a local ref that cannot be
 * followed (an anchor, a pointer to nothing) or that bundles resources with their own `$id`
 * is copied verbatim, since inlining could change what its refs mean. Root `$defs` and
 * `definitions` are dropped once nothing points into them. Recursive definitions follow
 * `cycles`. Never mutates the input, never throws (on input it cannot read, it returns the
 * input), keeps key order, and is idempotent whenever `maxDepth` and `maxNodes` were not hit.
 */
export function dereferenceSchema<S extends JsonSchema | boolean>(
  schema: S,
  options: DereferenceOptions = {},
): S {
  if (!isObject(schema)) return schema;
  try {
    return dereferenceObject(schema, options) as S;
  } catch {
    return schema;
  }
}

function dereferenceObject(root: Record<string, Json>, options: DereferenceOptions): Json {
  const verbatim = mustCopyVerbatim(root);
  const maxDepth = Number.isInteger(options.maxDepth)
    ? Math.max(0, options.maxDepth as number)
    : 32;
  const maxNodes = Number.isInteger(options.maxNodes)
    ? Math.max(0, options.maxNodes as number)
    : 10_000;
  const cycles = options.cycles === 'any' ? 'any' : 'keep-ref';
  const isRecursive = verbatim ? () => true : recursivePointers(root);
  let nodesLeft = maxNodes;
  const retained = new Map<string, { keyword: string; name: string }>();
  const stack: Task[] = [];

  const retain = (segments: readonly string[]) => {
    const [keyword, name] = segments;
    if (name !== undefined && (keyword === '$defs' || keyword === 'definitions')) {
      retained.set(`${keyword}/${name}`, { keyword, name });
    }
  };

  /** A new object in place, its keys laid out in source order before their values arrive. */
  const place = (task: Task, keys: readonly string[]): Record<string, Json> => {
    const out: Record<string, Json> = {};
    for (const key of keys) setOwn(out, key, undefined);
    setOwn(task.parent, task.key, out);
    return out;
  };

  const copyObject = (task: Task, source: Record<string, Json>) => {
    const keys = Object.keys(source);
    const out = place(task, keys);
    for (const key of keys) {
      stack.push({ source: source[key], parent: out, key, chain: task.chain, depth: task.depth });
    }
  };

  const run = (task: Task) => {
    stack.push(task);
    while (stack.length > 0) {
      const current = stack.pop() as Task;
      const { source } = current;
      if (current.depth > 0) nodesLeft -= 1;
      if (Array.isArray(source)) {
        const out: Json[] = Array.from({ length: source.length });
        setOwn(current.parent, current.key, out);
        source.forEach((value, index) =>
          stack.push({ ...current, source: value, parent: out, key: index }),
        );
        continue;
      }
      if (!isObject(source)) {
        setOwn(current.parent, current.key, source);
        continue;
      }
      const ref = source.$ref;
      const segments = typeof ref === 'string' ? pointerSegments(ref) : undefined;
      if (verbatim || typeof ref !== 'string' || !segments) {
        copyObject(current, source);
        continue;
      }
      const pointer = canonicalPointer(segments);
      const target = resolveSegments(root, segments);
      if (target === NOT_FOUND) {
        copyObject(current, source);
        continue;
      }
      const cyclic =
        inChain(current.chain, pointer) || (cycles === 'keep-ref' && isRecursive(pointer));
      if (cyclic && cycles === 'any') {
        const { $ref: _dropped, ...siblings } = source;
        copyObject(current, siblings);
        continue;
      }
      if (cyclic || current.depth >= maxDepth || nodesLeft <= 0) {
        retain(segments);
        copyObject(current, source);
        continue;
      }
      const chain = { pointer, parent: current.chain };
      const depth = current.depth + 1;
      const siblings = Object.keys(source).filter((key) => key !== '$ref');
      if (siblings.length === 0) {
        stack.push({ source: target, parent: current.parent, key: current.key, chain, depth });
        continue;
      }
      const mergeable =
        isObject(target) &&
        !Object.hasOwn(target, '$ref') &&
        !Object.hasOwn(target, '$dynamicRef') &&
        siblings.every(
          (key) => ANNOTATIONS.has(key) || (!MERGE_UNSAFE.has(key) && !Object.hasOwn(target, key)),
        );
      if (mergeable) {
        const fromTarget = Object.keys(target).filter((key) => !siblings.includes(key));
        const out = place(current, [...fromTarget, ...siblings]);
        for (const key of fromTarget)
          stack.push({ source: target[key], parent: out, key, chain, depth });
        for (const key of siblings) {
          stack.push({
            source: source[key],
            parent: out,
            key,
            chain: current.chain,
            depth: current.depth,
          });
        }
        continue;
      }
      const ownAllOf = siblings.includes('allOf') ? source.allOf : undefined;
      const extra = Array.isArray(ownAllOf) ? ownAllOf : ownAllOf === undefined ? [] : [ownAllOf];
      const out = place(current, ['allOf', ...siblings.filter((key) => key !== 'allOf')]);
      const allOf: Json[] = Array.from({ length: 1 + extra.length });
      setOwn(out, 'allOf', allOf);
      stack.push({ source: target, parent: allOf, key: 0, chain, depth });
      extra.forEach((value, index) =>
        stack.push({
          source: value,
          parent: allOf,
          key: index + 1,
          chain: current.chain,
          depth: current.depth,
        }),
      );
      for (const key of siblings) {
        if (key === 'allOf') continue;
        stack.push({
          source: source[key],
          parent: out,
          key,
          chain: current.chain,
          depth: current.depth,
        });
      }
    }
  };

  const holder: Json[] = [];
  const { $defs: _defs, definitions: _definitions, ...body } = root;
  run({
    source: body,
    parent: holder,
    key: 0,
    chain: { pointer: '#', parent: undefined },
    depth: 0,
  });
  const output = holder[0] as Record<string, Json>;

  // Definitions that refs still point into, each dereferenced once, until nothing new is needed.
  const done = new Set<string>();
  const defsOut: Record<string, Record<string, Json>> = {};
  const nextPending = () => {
    if (verbatim) {
      for (const keyword of DEFS_KEYWORDS) {
        const defs = root[keyword];
        if (!isObject(defs)) continue;
        for (const name of Object.keys(defs)) retained.set(`${keyword}/${name}`, { keyword, name });
      }
    }
    return [...retained.entries()].filter(([id]) => !done.has(id));
  };
  for (let pending = nextPending(); pending.length > 0; pending = nextPending()) {
    for (const [id, { keyword, name }] of pending) {
      done.add(id);
      const defs = root[keyword];
      if (!isObject(defs) || !Object.hasOwn(defs, name)) continue;
      const into = (defsOut[keyword] ??= {});
      const pointer = canonicalPointer([keyword, name]);
      run({
        source: defs[name],
        parent: into,
        key: name,
        chain: { pointer, parent: undefined },
        depth: 0,
      });
    }
  }
  for (const keyword of DEFS_KEYWORDS) {
    const original = root[keyword];
    const kept = defsOut[keyword];
    if (!isObject(original)) {
      // A malformed `$defs` (not an object) is not ours to drop.
      if (Object.hasOwn(root, keyword)) setOwn(output, keyword, original);
      continue;
    }
    if (!kept && !verbatim) continue;
    // Original order, so repeated runs give identical output.
    const ordered: Record<string, Json> = {};
    for (const name of Object.keys(original)) {
      if (kept && Object.hasOwn(kept, name)) setOwn(ordered, name, kept[name]);
    }
    setOwn(output, keyword, ordered);
  }
  return output;
}
