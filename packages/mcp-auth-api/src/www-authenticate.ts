// Parses WWW-Authenticate (RFC 9110 §11.6.1), so plugins read challenges without regexes.

export interface WwwAuthenticateChallenge {
  /** Auth scheme, lower-cased: `bearer`, `basic`, `dpop`, ... */
  scheme: string;
  /** Auth parameters, names lower-cased: `realm`, `error`, `scope`, `resource_metadata`, ... */
  params: Record<string, string>;
  /** A token68 value, for schemes that use one instead of parameters. */
  token68?: string;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;

/** Every challenge in a WWW-Authenticate header value. A malformed tail is dropped, never thrown. */
export function parseWwwAuthenticate(
  header: string | null | undefined,
): WwwAuthenticateChallenge[] {
  const challenges: WwwAuthenticateChallenge[] = [];
  if (!header) return challenges;
  const text = header;
  let pos = 0;

  const skipSpace = (): void => {
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const found = re.exec(text);
    if (!found) return undefined;
    pos = re.lastIndex;
    return found[0];
  };
  const quotedString = (): string | undefined => {
    if (text[pos] !== '"') return undefined;
    let out = '';
    for (pos++; pos < text.length; pos++) {
      const ch = text[pos];
      if (ch === '\\' && pos + 1 < text.length) out += text[++pos];
      else if (ch === '"') {
        pos++;
        break;
      } else out += ch;
    }
    return out;
  };
  /** At `name =` (a parameter) rather than a new scheme or a token68? Leaves pos unchanged. */
  const atParam = (): boolean => {
    const save = pos;
    const name = match(TOKEN);
    skipSpace();
    const isParam = name !== undefined && text[pos] === '=' && text[pos + 1] !== '=';
    if (isParam) {
      // `abc=` followed by the end or a comma is a token68 with padding, not a parameter.
      pos++;
      skipSpace();
      const rest = text[pos];
      pos = save;
      return rest !== undefined && rest !== ',';
    }
    pos = save;
    return false;
  };

  while (pos < text.length) {
    skipSpace();
    if (text[pos] === ',') {
      pos++;
      continue;
    }
    const scheme = match(TOKEN);
    if (!scheme) break;
    const challenge: WwwAuthenticateChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    skipSpace();
    if (pos < text.length && text[pos] !== ',' && !atParam()) {
      const token68 = match(TOKEN68);
      if (token68) challenge.token68 = token68;
      continue;
    }
    // A comma-separated list of parameters, until something that is not `name=value`.
    for (;;) {
      skipSpace();
      while (text[pos] === ',') {
        pos++;
        skipSpace();
      }
      const name = atParam() ? match(TOKEN) : undefined;
      if (name === undefined) break;
      skipSpace();
      pos++; // '='
      skipSpace();
      challenge.params[name.toLowerCase()] = quotedString() ?? match(TOKEN) ?? '';
      skipSpace();
    }
  }
  return challenges;
}
