// Checks the arguments a model sent against a tool's input schema before the tool runs, so a
// bad call goes back to the model as a readable error instead of reaching the server.
import type { JsonSchema } from '@tframex/mcp-api';
import { Ajv, type ValidateFunction } from 'ajv';

export type ArgumentCheck =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; message: string };

export class ArgumentValidator {
  readonly #ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  readonly #compiled = new WeakMap<object, ValidateFunction | null>();

  /** Parses the model's JSON text and checks it against `schema`. */
  check(schema: JsonSchema, argumentsText: string): ArgumentCheck {
    let args: unknown;
    if (argumentsText.trim() === '') args = {};
    else {
      try {
        args = JSON.parse(argumentsText);
      } catch {
        return {
          ok: false,
          message: `The arguments are not valid JSON: ${argumentsText.slice(0, 200)}`,
        };
      }
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return { ok: false, message: 'The arguments must be a JSON object' };
    }
    const validate = this.#validatorFor(schema);
    if (validate && !validate(args)) {
      const problems = (validate.errors ?? [])
        .slice(0, 5)
        .map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
      return {
        ok: false,
        message: `The arguments do not match the tool's input schema: ${problems.join('; ')}`,
      };
    }
    return { ok: true, args: args as Record<string, unknown> };
  }

  #validatorFor(schema: JsonSchema): ValidateFunction | null {
    const known = this.#compiled.get(schema);
    if (known !== undefined) return known;
    let validate: ValidateFunction | null;
    try {
      // The meta-schema URL picks a draft Ajv may not load; the keywords are what count.
      const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
      validate = this.#ajv.compile(rest);
    } catch {
      // A schema Ajv cannot compile is left to the server to enforce.
      validate = null;
    }
    this.#compiled.set(schema, validate);
    return validate;
  }
}
