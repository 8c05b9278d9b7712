// A single-consumer queue that turns pushed values into an async iterable: the bridge between
// callback events and `for await`.
export class AsyncQueue<T> {
  readonly #items: T[] = [];
  #waiting: (() => void) | undefined;
  #ended = false;
  #error: { error: unknown } | undefined;

  push(item: T): void {
    if (this.#ended) return;
    this.#items.push(item);
    this.#wake();
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  fail(error: unknown): void {
    this.#error = { error };
    this.end();
  }

  /** Iterates once; `onReturn` runs when the consumer leaves before the end. */
  iterate(onReturn: () => void): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<T>> => {
          for (;;) {
            if (this.#items.length > 0) return { value: this.#items.shift()!, done: false };
            if (this.#error) throw this.#error.error;
            if (this.#ended) return { value: undefined, done: true };
            await new Promise<void>((resolve) => (this.#waiting = resolve));
          }
        },
        return: async (): Promise<IteratorResult<T>> => {
          if (!this.#ended) onReturn();
          this.#items.length = 0;
          return { value: undefined, done: true };
        },
      }),
    };
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }
}
