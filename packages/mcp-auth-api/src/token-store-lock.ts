// TokenStoreLock: a lease on one key of a TokenStore, so that one holder at a time (across
// every process sharing the store) renews that key's tokens while the others wait for them.

/** A lease on one key, held until released or until its time-to-live runs out. */
export interface TokenStoreLock {
  /** Gives the lease up. Harmless after it expired, even if another holder took the key since. */
  release(): Promise<void>;
}

export interface TokenStoreLockOptions {
  /** The lease ends by itself after this long, so a holder that died cannot block the key. */
  ttlMs: number;
  /** How long to wait for another holder to let go (default 0: one attempt). */
  waitMs?: number;
  /** Stops waiting: `lock` then rejects with the signal's reason. */
  signal?: AbortSignal;
}
