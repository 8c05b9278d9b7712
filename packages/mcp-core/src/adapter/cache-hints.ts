// Cache hints (2026-07-28 `ttlMs` / `cacheScope`) of results, kept beside them without copying
// the results (the lists are returned as arrays, which have no room for them).

const CACHE_HINTS = new WeakMap<object, { ttlMs?: number; scope?: string }>();

export function noteCacheHints<T extends object>(value: T, result: object): T {
  const raw = result as { ttlMs?: unknown; cacheScope?: unknown };
  if (typeof raw.ttlMs === 'number' || typeof raw.cacheScope === 'string') {
    CACHE_HINTS.set(value, {
      ...(typeof raw.ttlMs === 'number' ? { ttlMs: raw.ttlMs } : {}),
      ...(typeof raw.cacheScope === 'string' ? { scope: raw.cacheScope } : {}),
    });
  }
  return value;
}

/** The server's cache hints for a result this module returned, if it sent any. */
export function cacheHintsOf(value: unknown): { ttlMs?: number; scope?: string } | undefined {
  return typeof value === 'object' && value !== null ? CACHE_HINTS.get(value) : undefined;
}
