// The cap on requests in flight (`maxConnections`): a request takes a place before it runs;
// when all are taken it waits in a bounded queue, and past that it is refused.
import { McpRateLimitedError } from '@tframex/mcp-api';

export interface AdmissionQueueOptions {
  server: string;
  /** Places for requests in flight; undefined: no cap. */
  maxInFlight: number | undefined;
  /** Requests that may wait for a place; more are refused. */
  maxQueued: number;
  /** The error a waiting request gets when the client closes. */
  closedError: () => Error;
}

export class AdmissionQueue {
  readonly #options: AdmissionQueueOptions;
  readonly #waiters: (() => void)[] = [];
  #active = 0;
  #closed = false;

  constructor(options: AdmissionQueueOptions) {
    this.#options = options;
  }

  /** Requests waiting for a place. */
  get queued(): number {
    return this.#waiters.length;
  }

  /**
   * Takes a place: undefined when one was free (no promise to wait on), else a promise that
   * settles when one frees up. Throws McpRateLimitedError when the queue is full.
   */
  admit(signal: AbortSignal | undefined): Promise<void> | undefined {
    const { maxInFlight, maxQueued, server } = this.#options;
    if (maxInFlight === undefined || this.#active < maxInFlight) {
      this.#active++;
      return undefined;
    }
    if (this.#waiters.length >= maxQueued) {
      throw new McpRateLimitedError(
        `"${server}" has ${maxInFlight} requests in flight and ${this.#waiters.length} queued; the queue is full`,
        { server, source: 'local' },
      );
    }
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#active++;
        if (this.#closed) {
          this.release();
          reject(this.#options.closedError());
        } else resolve();
      };
      const onAbort = () => {
        const at = this.#waiters.indexOf(wake);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }

  /** Gives a place back; the longest waiter takes it. */
  release(): void {
    this.#active--;
    this.#waiters.shift()?.();
  }

  /** Every waiter is refused with the closed error. */
  close(): void {
    this.#closed = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
