// `${VAR}` expansion for config files: `${VAR}`, `${VAR:-default}` (default when unset or
// empty), `${env:VAR}` (VS Code's spelling), and `$$` for a literal `$`. A `$` not followed by
// `{` or `$` stays as it is. Defaults are literal text: no expansion inside them.

export interface ExpandEnvOptions {
  /** Environment to read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values looked up before `env`, by the whole name: `workspaceFolder`, `input:api-key`. */
  variables?: Readonly<Record<string, string | undefined>>;
}

/** Why a string could not be expanded. */
export interface EnvExpansionFailure {
  /** `missing`: unset variable without default; `malformed`: `${` without `}` or an empty name. */
  reason: 'missing' | 'malformed';
  /** The variable's name (for `missing`). */
  variable?: string;
}

export type EnvExpansionResult =
  | { ok: true; value: string }
  | { ok: false; failure: EnvExpansionFailure };

const lookup = (record: Readonly<Record<string, string | undefined>> | undefined, name: string) =>
  record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;

/** Expands one string; never throws. */
export function expandEnv(text: string, options: ExpandEnvOptions = {}): EnvExpansionResult {
  const env = options.env ?? process.env;
  let out = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      index = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) return { ok: false, failure: { reason: 'malformed' } };
    const body = text.slice(dollar + 2, close);
    const split = body.indexOf(':-');
    const name = split === -1 ? body : body.slice(0, split);
    const fallback = split === -1 ? undefined : body.slice(split + 2);
    if (name.length === 0 || /[\s{$]/.test(name))
      return { ok: false, failure: { reason: 'malformed' } };
    const value = name.startsWith('env:')
      ? lookup(env, name.slice(4))
      : (lookup(options.variables, name) ?? lookup(env, name));
    if (value === undefined || (value === '' && fallback !== undefined)) {
      if (fallback === undefined)
        return { ok: false, failure: { reason: 'missing', variable: name } };
      out += fallback;
    } else {
      out += value;
    }
    index = close + 1;
  }
  return { ok: true, value: out };
}
