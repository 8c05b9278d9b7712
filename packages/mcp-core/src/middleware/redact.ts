// Secret redaction for anything the client logs: values under secret-looking keys, and
// credentials embedded in strings (`Bearer …`, `Basic …`, URL userinfo, `?token=`).

export const REDACTED = '[REDACTED]';

const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|authori[sz]ation|cookie|credential|private[-_]?key|signature|session[-_]?id/i;
const SECRET_IN_TEXT: [RegExp, string][] = [
  [/\b(Bearer|Basic|Digest|DPoP)\s+[A-Za-z0-9._~+/=-]{4,}/g, `$1 ${REDACTED}`],
  [/(\/\/)[^/@\s:]+:[^/@\s]+@/g, `$1${REDACTED}@`],
  [/([?&](?:access_token|token|api[-_]?key|key|secret|password|code)=)[^&#\s]+/gi, `$1${REDACTED}`],
];

/** Whether a key name looks like it holds a secret. */
export function isSecretKey(key: string, extra: readonly (string | RegExp)[] = []): boolean {
  return (
    SECRET_KEY.test(key) ||
    extra.some((pattern) =>
      typeof pattern === 'string' ? pattern.toLowerCase() === key.toLowerCase() : pattern.test(key),
    )
  );
}

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_IN_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of `value` with secrets replaced by `[REDACTED]`. Depth-limited and cycle-safe:
 * logging must never throw or hang on odd input.
 */
export function redact(
  value: unknown,
  extraKeys: readonly (string | RegExp)[] = [],
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 12 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, extraKeys, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key, extraKeys) ? REDACTED : redact(item, extraKeys, depth + 1, seen);
  }
  return out;
}
