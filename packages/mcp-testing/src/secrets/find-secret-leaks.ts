// findSecretLeaks: every way a secret can escape from an object by printing it. Walks what a
// user can reach from a public object (own properties, public getters, array items, Map and
// Set contents) and prints each object reached as console.log, util.inspect (also with
// hidden properties and getters), JSON.stringify and String do; strings themselves are
// values a user asked for, not leaks.
import { inspect } from 'node:util';

export interface SecretLeak {
  /** Where the object that printed the secret sits: `settings.tls`, `servers[0]`. */
  path: string;
  /** How it was printed: `inspect`, `inspect-hidden`, `inspect-getters`, `json`, `string`. */
  view: string;
  /** Which secret showed (the first 4 characters, then `…`). */
  secret: string;
}

export interface FindSecretLeaksOptions {
  /** How deep to walk from the root (default 6). */
  maxDepth?: number;
  /** Name of the root in paths (default `root`). */
  rootName?: string;
}

type View = [name: string, print: (value: object) => string];

const VIEWS: View[] = [
  ['inspect', (value) => inspect(value, { depth: 8 })],
  ['inspect-hidden', (value) => inspect(value, { depth: 8, showHidden: true })],
  ['inspect-getters', (value) => inspect(value, { depth: 8, getters: true })],
  ['json', (value) => JSON.stringify(value) ?? ''],
  ['string', (value) => String(value)],
];

/** Own enumerable properties and the getters of user-made prototypes, read without throwing. */
function children(value: object): [string, unknown][] {
  const out: [string, unknown][] = [];
  const read = (key: string) => {
    try {
      out.push([key, (value as Record<string, unknown>)[key]]);
    } catch {
      // A getter that throws hides nothing.
    }
  };
  if (value instanceof Map) {
    let index = 0;
    for (const [key, item] of value)
      out.push([`<${typeof key === 'string' ? key : index++}>`, item]);
    return out;
  }
  if (value instanceof Set) {
    let index = 0;
    for (const item of value) out.push([`<${index++}>`, item]);
    return out;
  }
  for (const key of Object.keys(value)) read(key);
  for (
    let proto: unknown = Object.getPrototypeOf(value);
    proto !== null && proto !== Object.prototype && proto !== Array.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (typeof proto !== 'object' || proto === Function.prototype) break;
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (descriptor.get && !key.startsWith('_')) read(key);
    }
  }
  return out;
}

/**
 * The places where printing an object reachable from `root` shows any of `secrets`. An empty
 * list means no `console.log`, `util.inspect`, `JSON.stringify` or template string of any of
 * them can leak one.
 */
export function findSecretLeaks(
  root: unknown,
  secrets: readonly string[],
  options: FindSecretLeaksOptions = {},
): SecretLeak[] {
  const maxDepth = options.maxDepth ?? 6;
  const leaks: SecretLeak[] = [];
  const seen = new WeakSet<object>();
  const visit = (value: unknown, path: string, depth: number) => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
    if (seen.has(value) || depth > maxDepth) return;
    seen.add(value);
    if (typeof value === 'object') {
      for (const [view, print] of VIEWS) {
        let text: string;
        try {
          text = print(value);
        } catch {
          continue;
        }
        for (const secret of secrets)
          if (secret.length > 0 && text.includes(secret))
            leaks.push({ path, view, secret: `${secret.slice(0, 4)}…` });
      }
    }
    if (typeof value === 'function') return;
    for (const [key, child] of children(value))
      visit(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
  };
  visit(root, options.rootName ?? 'root', 0);
  return leaks;
}
