// A listing that is both an async iterator (one entry at a time, pages fetched as the loop goes)
// and awaitable (every entry in an array), so `await list()` stays terse and `for await` stays
// constant in memory.

/** Entries of a listing. `for await` walks them page by page; `await` collects them all. */
export class ResourceListing<T> implements AsyncIterable<T>, PromiseLike<T[]> {
  readonly #entries: () => AsyncIterable<T>;

  constructor(entries: () => AsyncIterable<T>) {
    this.#entries = entries;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.#entries()[Symbol.asyncIterator]();
  }

  /** Every entry, in one array. */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const entry of this) all.push(entry);
    return all;
  }

  then<A = T[], B = never>(
    onFulfilled?: ((value: T[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.toArray().then(onFulfilled, onRejected);
  }
}
