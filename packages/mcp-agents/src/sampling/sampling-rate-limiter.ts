// A sliding-window limit on sampling requests: a server may ask an agent's model at most
// `maxRequests` times per `windowMs`, so a tool cannot spend the user's model budget at will.
export interface SamplingRateLimit {
  /** Requests allowed per window (default 20). */
  maxRequests: number;
  /** The window, in ms (default 60 000). */
  windowMs: number;
}

export class SamplingRateLimiter {
  readonly #limit: SamplingRateLimit;
  readonly #times: number[] = [];

  constructor(limit: SamplingRateLimit) {
    this.#limit = limit;
  }

  get limit(): SamplingRateLimit {
    return this.#limit;
  }

  /** Takes one request; returns the ms to wait when the window is full (nothing is taken then). */
  take(now = Date.now()): { ok: true } | { ok: false; retryAfterMs: number } {
    const start = now - this.#limit.windowMs;
    while (this.#times.length > 0 && this.#times[0]! <= start) this.#times.shift();
    if (this.#times.length >= this.#limit.maxRequests) {
      return { ok: false, retryAfterMs: this.#times[0]! + this.#limit.windowMs - now };
    }
    this.#times.push(now);
    return { ok: true };
  }
}
