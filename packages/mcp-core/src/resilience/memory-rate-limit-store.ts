// MemoryRateLimitStore: the in-process McpRateLimitStore (token buckets in a Map), the
// default where one process is all there is; a Redis one takes its place across processes.
import type { McpRateLimitGrant, McpRateLimitStore, McpRateLimitTake } from '@tframex/mcp-api';

interface Bucket {
  tokens: number;
  refilledAtMs: number;
  pausedUntilMs: number;
}

export class MemoryRateLimitStore implements McpRateLimitStore {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async take(key: string, request: McpRateLimitTake): Promise<McpRateLimitGrant> {
    const now = this.#now();
    const wanted = request.tokens ?? 1;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: request.capacity, refilledAtMs: now, pausedUntilMs: 0 };
      this.#buckets.set(key, bucket);
    }
    if (now < bucket.pausedUntilMs) {
      return { granted: false, remaining: 0, retryAfterMs: bucket.pausedUntilMs - now };
    }
    const since = Math.max(now - Math.max(bucket.refilledAtMs, bucket.pausedUntilMs), 0);
    bucket.tokens = Math.min(request.capacity, bucket.tokens + since * request.refillPerMs);
    bucket.refilledAtMs = now;
    if (bucket.tokens >= wanted) {
      bucket.tokens -= wanted;
      return { granted: true, remaining: bucket.tokens, retryAfterMs: 0 };
    }
    const retryAfterMs = Math.ceil((wanted - bucket.tokens) / request.refillPerMs);
    return { granted: false, remaining: bucket.tokens, retryAfterMs };
  }

  async pause(key: string, forMs: number): Promise<void> {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: 0, refilledAtMs: now, pausedUntilMs: 0 };
    bucket.tokens = 0;
    bucket.pausedUntilMs = Math.max(bucket.pausedUntilMs, now + forMs);
    this.#buckets.set(key, bucket);
  }
}
