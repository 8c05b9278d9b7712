// One way to report bad options across the package: every problem names its field, what was
// expected and what was received (secrets redacted), and all problems travel in one error.
import { McpConfigError } from '@tframex/mcp-api';

/** One thing wrong with a set of options. */
export interface ConfigProblem {
  /** Dotted path of the option: `retryDelayMs`, `rateLimit.burstSize`, `mcpServers.db.command`. */
  field: string;
  /** What the option should have been, in words. */
  expected: string;
  /** What was given (redacted when the field holds a secret). */
  received?: unknown;
  /** Whether anything at all was given; `received: undefined` alone cannot tell. */
  missing?: boolean;
  /** An extra sentence, e.g. a "did you mean" suggestion. */
  hint?: string;
  /** Redact `received` even though the field name does not say it is secret. */
  secret?: boolean;
}

const SECRET_FIELD =
  /^(apikey|token|accesstoken|bearertoken|authtoken|password|passwd|clientsecret|refreshtoken|clientkey|clientkeypassphrase|privatekey|key|signingkey|encryptionkey|passphrase|secret|pfx)$/;
const SECRET_NAMED_ENTRY = /auth|token|secret|key|passw|cookie|credential|session/i;
const REDACTED = '[redacted]';

/**
 * Whether the option at `field` holds a secret. Named secret options are, and so are the
 * entries of `headers` and `env` whose names suggest credentials (`Authorization`,
 * `GITHUB_TOKEN`, `X-API-Key`).
 */
export function isSecretField(field: string): boolean {
  const parts = field.split('.');
  const last = parts[parts.length - 1] ?? '';
  if (SECRET_FIELD.test(last.toLowerCase().replace(/[_-]/g, ''))) return true;
  const parent = parts[parts.length - 2];
  // Command-line arguments often carry tokens (`--api-key=...`); never show them.
  if (parent === 'args') return true;
  return (parent === 'headers' || parent === 'env') && SECRET_NAMED_ENTRY.test(last);
}

/** Whether an option name nobody defined looks like it holds a credential. */
export function looksSecret(name: string): boolean {
  return SECRET_NAMED_ENTRY.test(name);
}

/**
 * What an error may keep of a received value: a marker for secrets, a description for
 * objects and arrays (they may hold secrets under any name), the value itself otherwise.
 */
export function redactValue(field: string, value: unknown, secret = false): unknown {
  if (value === undefined) return undefined;
  if (secret || isSecretField(field)) return REDACTED;
  return typeof value === 'object' && value !== null ? describeValue(value) : value;
}

function constructorName(value: object): string | undefined {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return undefined;
    const ctor = (proto as { constructor?: unknown }).constructor;
    return typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== ''
      ? ctor.name
      : undefined;
  } catch {
    return undefined;
  }
}

/** A short, safe description of a value for an error message; never calls user code. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return JSON.stringify(shown);
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default: {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
      const name = constructorName(value as object);
      return name ? `a ${name}` : 'an object';
    }
  }
}

function formatProblem(problem: ConfigProblem): string {
  const secret = problem.secret === true || isSecretField(problem.field);
  let received: string;
  if (problem.missing) received = 'nothing';
  else if (secret && problem.received !== undefined) received = REDACTED;
  else received = describeValue(problem.received);
  const hint = problem.hint ? ` (${problem.hint})` : '';
  return `${problem.field || '(root)'}: expected ${problem.expected}, received ${received}${hint}`;
}

/**
 * One McpConfigError for every problem found. `field`/`expected`/`received` describe the
 * first and `issues` lists them all; with several, `cause` is also an AggregateError holding
 * one McpConfigError per problem.
 */
export function configError(subject: string, problems: readonly ConfigProblem[]): McpConfigError {
  const first = problems[0] ?? { field: '', expected: 'valid options' };
  const toOptions = (problem: ConfigProblem) => ({
    field: problem.field,
    expected: problem.expected,
    received: problem.missing
      ? undefined
      : redactValue(problem.field, problem.received, problem.secret),
  });
  if (problems.length <= 1) {
    return new McpConfigError(`Invalid ${subject}: ${formatProblem(first)}`, toOptions(first));
  }
  const lines = problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n');
  const each = problems.map(
    (problem) => new McpConfigError(formatProblem(problem), toOptions(problem)),
  );
  return new McpConfigError(`Invalid ${subject} (${problems.length} problems):\n${lines}`, {
    ...toOptions(first),
    issues: problems.map((problem) => {
      const { field, expected, received } = toOptions(problem);
      return {
        field,
        expected,
        ...(received !== undefined ? { received } : {}),
        ...(problem.hint ? { hint: problem.hint } : {}),
      };
    }),
    cause: new AggregateError(each, `${problems.length} problems`),
  });
}
