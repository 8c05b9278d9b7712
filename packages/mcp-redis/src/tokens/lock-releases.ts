// Wake-ups for callers waiting on a RedisTokenStore lock. One subscriber connection per store
// (opened the first time a lock is found taken) listens on the channel the release script
// publishes to, so a waiter tries again as soon as the holder lets go rather than at its next
// poll. Polling stays as the safety net: a lease that lapses is not announced.
import type { RedisConnection } from '../connection/redis-connection.js';

export interface LockWatch {
  /** Resolves when a release of the watched lock is announced. */
  readonly released: Promise<void>;
  cancel(): void;
}

export class LockReleases {
  readonly #connection: RedisConnection;
  readonly #channel: string;
  readonly #onError: (error: unknown) => void;
  readonly #watchers = new Map<string, Set<() => void>>();
  #subscribed: Promise<boolean> | undefined;

  constructor(connection: RedisConnection, channel: string, onError: (error: unknown) => void) {
    this.#connection = connection;
    this.#channel = channel;
    this.#onError = onError;
  }

  get channel(): string {
    return this.#channel;
  }

  /** Subscribes (once); false when that failed, and waiters then only poll. */
  ready(): Promise<boolean> {
    this.#subscribed ??= (async () => {
      try {
        const subscriber = await this.#connection.dedicated();
        await subscriber.subscribe(this.#channel, (lockKey: string) => this.#wake(lockKey));
        return true;
      } catch (error) {
        this.#onError(this.#connection.toError(error));
        this.#subscribed = undefined;
        return false;
      }
    })();
    return this.#subscribed;
  }

  /** Watches `lockKey` from now on: register before trying, so no release slips between. */
  watch(lockKey: string): LockWatch {
    let wake!: () => void;
    const released = new Promise<void>((resolve) => (wake = resolve));
    const watchers = this.#watchers.get(lockKey) ?? new Set<() => void>();
    this.#watchers.set(lockKey, watchers);
    watchers.add(wake);
    return {
      released,
      cancel: () => {
        watchers.delete(wake);
        if (watchers.size === 0 && this.#watchers.get(lockKey) === watchers) {
          this.#watchers.delete(lockKey);
        }
      },
    };
  }

  #wake(lockKey: string): void {
    for (const wake of [...(this.#watchers.get(lockKey) ?? [])]) wake();
  }
}
