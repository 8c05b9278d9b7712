// "Did you mean" for unknown option names: catches snake_case, missing unit suffixes
// (`timeout` for `timeoutMs`) and small typos.

const normalize = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/** Edit distance, bounded: returns `limit + 1` as soon as the distance exceeds `limit`. */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/**
 * The known option `unknown` was probably meant to be, or undefined. `aliases` maps names
 * people commonly write (lower-cased, without `_`/`-`) to the real option.
 */
export function suggestOptionName(
  unknown: string,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  if (unknown.length > 64) return undefined;
  const wanted = normalize(unknown);
  const alias = Object.hasOwn(aliases, wanted) ? aliases[wanted] : undefined;
  if (alias !== undefined) return alias;
  for (const suffix of ['', 'ms']) {
    const exact = known.find((name) => normalize(name) === wanted + suffix);
    if (exact !== undefined) return exact;
  }
  const limit = Math.max(1, Math.floor(wanted.length / 4));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const distance = boundedDistance(wanted, normalize(name), limit);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
