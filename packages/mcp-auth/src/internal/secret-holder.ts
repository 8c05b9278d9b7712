// The base of every plugin class here: secrets live in private fields, and every way of
// printing the object (toString, JSON.stringify, util.inspect, console.log) shows only a
// summary with secrets replaced by a marker.

/** Shown in place of a secret. */
export const REDACTED = '[redacted]';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

type InspectFunction = (value: unknown, options?: unknown) => string;

export abstract class SecretHolder {
  /** What may be shown about this object; secrets as `REDACTED`. */
  protected abstract describe(): Record<string, unknown>;

  toJSON(): Record<string, unknown> {
    return this.describe();
  }

  toString(): string {
    return `${this.constructor.name} ${JSON.stringify(this.describe())}`;
  }

  [INSPECT](_depth: number, options: unknown, inspect?: InspectFunction): string {
    const summary = this.describe();
    return `${this.constructor.name} ${inspect ? inspect(summary, options) : JSON.stringify(summary)}`;
  }
}

/** Installs the same redacting views on a plain object (plugins built by functions). */
export function redactObject<T extends object>(
  target: T,
  describe: () => Record<string, unknown>,
  label: string,
): T {
  Object.defineProperties(target, {
    toJSON: { value: () => describe(), enumerable: false },
    toString: { value: () => `${label} ${JSON.stringify(describe())}`, enumerable: false },
    [INSPECT]: {
      value: (_depth: number, options: unknown, inspect?: InspectFunction) =>
        `${label} ${inspect ? inspect(describe(), options) : JSON.stringify(describe())}`,
      enumerable: false,
    },
  });
  return target;
}
