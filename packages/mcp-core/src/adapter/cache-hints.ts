// Cache hints (2026-07-28 `ttlMs` / `cacheScope`) of a result, read from the result as the
// server sent it and handed back by value in the request's report (no side table).
import type { SdkCacheHints, SdkRequestReport } from './sdk-types.js';

/** The server's cache hints in a raw result, if it sent any. */
export function cacheHintsIn(result: unknown): SdkCacheHints | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const raw = result as { ttlMs?: unknown; cacheScope?: unknown };
  const ttlMs = typeof raw.ttlMs === 'number' ? raw.ttlMs : undefined;
  const scope = typeof raw.cacheScope === 'string' ? raw.cacheScope : undefined;
  if (ttlMs === undefined && scope === undefined) return undefined;
  return {
    ...(ttlMs !== undefined ? { ttlMs } : {}),
    ...(scope !== undefined ? { scope } : {}),
  };
}

/** Writes the hints of `result` into the request's report, when the caller asked for one. */
export function noteCacheHints(report: SdkRequestReport | undefined, result: unknown): void {
  if (report === undefined) return;
  const hints = cacheHintsIn(result);
  if (hints) report.cacheHints = hints;
}
