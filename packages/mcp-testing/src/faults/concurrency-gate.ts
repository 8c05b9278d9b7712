// A FIFO semaphore: requests past the limit wait for a slot, in arrival order.

export class ConcurrencyGate {
  readonly #limit: number;
  readonly #queue: Array<() => void> = [];
  #running = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Resolves with a release function once a slot is free. Releasing twice is harmless. */
  async acquire(): Promise<() => void> {
    if (this.#running >= this.#limit) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      this.#running += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#running -= 1;
    };
  }

  /** Lets everything queued through, for a fault that was removed or a server that stops. */
  openAll(): void {
    for (const next of this.#queue.splice(0)) {
      this.#running += 1;
      next();
    }
  }
}
