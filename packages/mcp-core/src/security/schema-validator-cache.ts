// Compiled JSON Schema validators, cached by schema content, on the SDK's ajv-based engine.
// Servers re-send the same schemas with every tools/list; compiling costs milliseconds,
// validating microseconds.
import type { JsonSchemaType } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { McpSecurityError } from '@tframex/mcp-api';

export type SchemaCheck = (
  value: unknown,
) => { valid: true } | { valid: false; errorMessage: string };

export interface SchemaValidatorCacheOptions {
  /** Compiled validators kept, least recently used dropped first (default 512). */
  maxEntries?: number;
  /**
   * Compilations after which the engine is replaced. The engine keeps every schema it ever
   * compiled; starting afresh bounds that memory when servers keep sending new schemas.
   */
  recycleEngineAfter?: number;
}

export class SchemaValidatorCache {
  readonly #maxEntries: number;
  readonly #recycleAfter: number;
  readonly #byContent = new Map<string, SchemaCheck>();
  #byObject = new WeakMap<object, SchemaCheck>();
  #engine = new AjvJsonSchemaValidator();
  #compiledOnEngine = 0;

  constructor(options: SchemaValidatorCacheOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 512);
    this.#recycleAfter = Math.max(1, options.recycleEngineAfter ?? 1_024);
  }

  /** Validators cached. */
  get size(): number {
    return this.#byContent.size;
  }

  /**
   * The validator for `schema`, compiled once per distinct content. A schema the engine
   * cannot compile (an unknown dialect, a bad pattern, a remote `$ref`) is refused with
   * McpSecurityError (rule `schema-validation`).
   */
  validatorFor(schema: object, context: { tool?: string; server?: string } = {}): SchemaCheck {
    const byObject = this.#byObject.get(schema);
    if (byObject) return byObject;
    const key = JSON.stringify(schema);
    let check = this.#byContent.get(key);
    if (check) {
      // Refresh its place in the LRU order.
      this.#byContent.delete(key);
    } else {
      check = this.#compile(schema, context);
    }
    this.#byContent.set(key, check);
    if (this.#byContent.size > this.#maxEntries) {
      const oldest = this.#byContent.keys().next().value as string;
      this.#byContent.delete(oldest);
      this.#byObject = new WeakMap();
    }
    this.#byObject.set(schema, check);
    return check;
  }

  #compile(schema: object, context: { tool?: string; server?: string }): SchemaCheck {
    // A top-level $id would make the engine hand back whatever it compiled earlier under that
    // id, so two servers (or one hostile server) could swap each other's schemas.
    const { $id: _id, ...withoutId } = schema as Record<string, unknown>;
    if (++this.#compiledOnEngine > this.#recycleAfter) {
      this.#engine = new AjvJsonSchemaValidator();
      this.#compiledOnEngine = 1;
    }
    let validate: ReturnType<AjvJsonSchemaValidator['getValidator']>;
    try {
      validate = this.#engine.getValidator(withoutId as JsonSchemaType);
    } catch {
      // Nested $ids clash between schemas compiled on one engine; a fresh engine settles that.
      try {
        validate = new AjvJsonSchemaValidator().getValidator(withoutId as JsonSchemaType);
      } catch (error) {
        const what = context.tool ? `The schema of tool "${context.tool}"` : 'A schema';
        throw new McpSecurityError(`${what} cannot be used for validation: ${describe(error)}`, {
          rule: 'schema-validation',
          server: context.server,
          cause: error,
        });
      }
    }
    return (value) => {
      const result = validate(value);
      return result.valid ? { valid: true } : { valid: false, errorMessage: result.errorMessage };
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'it is not a valid JSON Schema';
}
