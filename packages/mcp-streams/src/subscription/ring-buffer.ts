// A bounded FIFO on a circular array that grows (by doubling) up to its capacity: memory is
// what the buffered events need, never more than `capacity` slots.

export class RingBuffer<T> {
  readonly capacity: number;
  #slots: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#slots = new Array<T | undefined>(Math.min(capacity, 16));
  }

  get size(): number {
    return this.#size;
  }

  get full(): boolean {
    return this.#size >= this.capacity;
  }

  /** Appends `value`; the caller checks `full` first. */
  push(value: T): void {
    if (this.#size === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#size) % this.#slots.length] = value;
    this.#size++;
  }

  /** Removes and returns the oldest value, or undefined when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const value = this.#slots[this.#head];
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#slots.length;
    this.#size--;
    return value;
  }

  clear(): void {
    this.#slots = new Array<T | undefined>(Math.min(this.capacity, 16));
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const length = Math.min(this.capacity, this.#slots.length * 2);
    const next = new Array<T | undefined>(length);
    for (let i = 0; i < this.#size; i++)
      next[i] = this.#slots[(this.#head + i) % this.#slots.length];
    this.#slots = next;
    this.#head = 0;
  }
}
