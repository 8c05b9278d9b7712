// Printing views for objects that hold secrets: console.log, util.inspect, JSON.stringify and
// String show a summary with every secret replaced by `[redacted]`, while code still reads
// the real values. The views live on a prototype of the object's own, so its own keys stay
// exactly its data: spreading it, iterating it or handing it to `new Headers()` or a child
// process's environment sees no extra key.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
/** Marks the prototypes made here, so a viewed plain object still counts as plain. */
const VIEW = Symbol.for('@tframex/mcp-core/redacted-view');

type InspectFunction = (value: unknown, options?: unknown) => string;

/** Installs redacting views on `target` (returned, for chaining); `describe` gives what may be shown. */
export function withRedactedView<T extends object>(
  target: T,
  describe: () => unknown,
  label = '',
): T {
  const prefix = label ? `${label} ` : '';
  const base: unknown = Object.getPrototypeOf(target);
  const parent = hasRedactedView(target) ? Object.getPrototypeOf(base as object) : base;
  const proto: object = Object.create(parent as object | null, {
    [VIEW]: { value: true },
    toJSON: { value: () => describe(), writable: true, configurable: true },
    [INSPECT]: {
      value: (_depth: number, options: unknown, inspect?: InspectFunction) =>
        `${prefix}${inspect ? inspect(describe(), options) : JSON.stringify(describe())}`,
      writable: true,
      configurable: true,
    },
    toString: {
      // Arrays keep their join shape (template strings of argument lists).
      value: () =>
        Array.isArray(target) ? String(describe()) : `${prefix}${JSON.stringify(describe())}`,
      writable: true,
      configurable: true,
    },
  });
  Object.setPrototypeOf(target, proto);
  return target;
}

/** Whether `value` carries views installed by withRedactedView. */
export function hasRedactedView(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return typeof proto === 'object' && proto !== null && Object.hasOwn(proto, VIEW);
}

/** The prototype `value` had before views were installed on it. */
export function prototypeBeneathViews(value: object): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  return hasRedactedView(value) ? Object.getPrototypeOf(proto as object) : proto;
}
