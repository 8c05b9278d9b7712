// One consumer of a stream: a pull-based async iterator over its own bounded buffer. The
// producer never waits on it: when the buffer is full the overflow policy decides, and what
// was dropped is counted.
import type { McpStreamEvent } from '../stream-event.js';
import { McpStreamOverflowError } from '../errors/mcp-stream-overflow-error.js';
import type { McpEventPredicate } from './event-filter.js';
import { RingBuffer } from './ring-buffer.js';

/** What happens to an event that arrives when the buffer is full. */
export type McpOverflowPolicy = 'drop-oldest' | 'drop-newest' | 'fail';

/** Why a subscription ended. */
export type McpStreamEndReason =
  /** `close()`, `return()`, `break` or `await using` ended it. */
  | 'closed'
  /** Its AbortSignal fired. */
  | 'aborted'
  /** The session closed. */
  | 'session-closed'
  /** `MCPStream.close()`, or the upstream could not be kept. */
  | 'stream-closed'
  /** Overflow policy `fail`: the consumer fell behind (the iterator throws the error). */
  | 'overflow';

/**
 * Settles the delivery of one event that came from a StreamBus: resolved once the consumer is
 * done with it (the bus acknowledges it), rejected when the subscription ended before that
 * (the bus delivers it again, here after a restart or to another member of the group).
 */
export interface DeliveryReceipt {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * When an event counts as done: `on-next` when the consumer asks for the next one (or leaves
 * the loop with break/return), `manual` when `acknowledge` says so (windows, once processed).
 */
export type AckMode = 'on-next' | 'manual';

export interface McpStreamSubscriptionInit {
  ackMode?: AckMode;
  bufferSize: number;
  overflow: McpOverflowPolicy;
  filter: McpEventPredicate | undefined;
  signal: AbortSignal | undefined;
  /** Told when a filter throws: the event is skipped for this subscriber only. */
  reportError: (error: unknown, where: string) => void;
  /** Called once when the subscription ends, so the stream can let go of it. */
  detach: (subscription: McpStreamSubscription) => void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

export class McpStreamSubscription<T = unknown>
  implements AsyncIterableIterator<McpStreamEvent<T>>, AsyncDisposable
{
  readonly #buffer: RingBuffer<McpStreamEvent<T>>;
  readonly #overflow: McpOverflowPolicy;
  readonly #filter: McpEventPredicate | undefined;
  readonly #init: McpStreamSubscriptionInit;
  #waiters: {
    resolve: (result: IteratorResult<McpStreamEvent<T>>) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #readable: { promise: Promise<void>; resolve: () => void } | undefined;
  #dropped = 0;
  #delivered = 0;
  #endReason: McpStreamEndReason | undefined;
  #error: unknown;
  #failure: unknown;
  #resolveClosed!: (reason: McpStreamEndReason) => void;
  #onAbort: (() => void) | undefined;
  /** Receipts of bus events not yet done, by event. */
  readonly #receipts = new Map<McpStreamEvent, DeliveryReceipt>();
  #lastHanded: McpStreamEvent | undefined;
  /** Ack mode `manual`: bus events handed out and not yet acknowledged or released. */
  readonly #handedOut = new Set<McpStreamEvent>();
  /** Settles once, when the subscription has ended; never rejects. */
  readonly closed: Promise<McpStreamEndReason>;

  constructor(init: McpStreamSubscriptionInit) {
    this.#init = init;
    this.#buffer = new RingBuffer(init.bufferSize);
    this.#overflow = init.overflow;
    this.#filter = init.filter;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    const signal = init.signal;
    if (signal) {
      if (signal.aborted) queueMicrotask(() => this.end('aborted'));
      else {
        this.#onAbort = () => this.end('aborted');
        signal.addEventListener('abort', this.#onAbort, { once: true });
      }
    }
  }

  /** Events dropped by the overflow policy (never counting filtered-out ones). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Events handed to the consumer so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Events waiting in the buffer. */
  get buffered(): number {
    return this.#buffer.size;
  }

  get bufferSize(): number {
    return this.#buffer.capacity;
  }

  /** Why it ended, once it has (buffered events may still be read). */
  get endReason(): McpStreamEndReason | undefined {
    return this.#endReason;
  }

  /** Offers an event; the stream calls this for every event of the upstream. */
  offer(event: McpStreamEvent, receipt?: DeliveryReceipt): void {
    if (this.#endReason !== undefined) {
      receipt?.reject(new Error('the subscription has ended'));
      return;
    }
    if (this.#filter) {
      try {
        if (!this.#filter(event)) {
          receipt?.resolve(); // filtered out: done with it
          return;
        }
      } catch (error) {
        this.#init.reportError(error, 'filter');
        receipt?.resolve();
        return;
      }
    }
    if (receipt) this.#receipts.set(event, receipt);
    const typed = event as McpStreamEvent<T>;
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#handOut(typed);
      waiter.resolve({ done: false, value: typed });
      return;
    }
    if (this.#buffer.full) {
      switch (this.#overflow) {
        case 'drop-newest':
          this.#dropped++;
          this.#settle(event, true);
          return;
        case 'drop-oldest':
          this.#settle(this.#buffer.shift(), true);
          this.#dropped++;
          break;
        case 'fail':
          this.#dropped++;
          this.end(
            'overflow',
            new McpStreamOverflowError(
              `The consumer fell ${this.#buffer.capacity} events behind (bufferSize) and the overflow policy is "fail"`,
              { bufferSize: this.#buffer.capacity },
            ),
          );
          return;
      }
    }
    this.#buffer.push(typed);
    if (this.#readable) {
      const { resolve } = this.#readable;
      this.#readable = undefined;
      resolve();
    }
  }

  /** The next buffered event, without waiting (undefined when none is buffered). */
  tryNext(): McpStreamEvent<T> | undefined {
    const event = this.#buffer.shift();
    if (event !== undefined) this.#handOut(event);
    return event;
  }

  /** Marks events as done (ack mode `manual`): their bus entries are acknowledged. */
  acknowledge(events: Iterable<McpStreamEvent>): void {
    if (this.#receipts.size === 0) return;
    for (const event of events) this.#settle(event, true);
  }

  /** Gives events back (ack mode `manual`): the bus delivers them again. */
  release(events: Iterable<McpStreamEvent>): void {
    if (this.#receipts.size === 0) return;
    for (const event of events) this.#settle(event, false);
  }

  #handOut(event: McpStreamEvent<T>): void {
    this.#delivered++;
    if (this.#receipts.size === 0) return;
    if (this.#init.ackMode === 'manual') {
      this.#handedOut.add(event as McpStreamEvent);
      return;
    }
    const previous = this.#lastHanded;
    this.#lastHanded = event as McpStreamEvent;
    if (previous) this.#settle(previous, true);
  }

  #settle(event: McpStreamEvent | undefined, done: boolean): void {
    if (event === undefined) return;
    const receipt = this.#receipts.get(event);
    if (!receipt) return;
    this.#receipts.delete(event);
    this.#handedOut.delete(event);
    if (done) receipt.resolve();
    else receipt.reject(new Error('the subscription ended before the event was processed'));
  }

  /** Resolves when an event is buffered or the subscription has ended. */
  readable(): Promise<void> {
    if (this.#buffer.size > 0 || this.#endReason !== undefined) return Promise.resolve();
    if (!this.#readable) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#readable = { promise, resolve };
    }
    return this.#readable.promise;
  }

  next(): Promise<IteratorResult<McpStreamEvent<T>>> {
    const event = this.#buffer.shift();
    if (event !== undefined) {
      this.#handOut(event);
      return Promise.resolve({ done: false, value: event });
    }
    if (this.#endReason !== undefined) {
      if (this.#error !== undefined) {
        const error = this.#error;
        this.#error = undefined; // thrown once; later calls see the end
        return Promise.reject(error);
      }
      return Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Ends the subscription (what `break` and `await using` call). */
  async return(): Promise<IteratorResult<McpStreamEvent<T>>> {
    this.end('closed');
    return DONE;
  }

  /** Ends the subscription; buffered events are discarded. Idempotent. */
  async close(): Promise<void> {
    this.end('closed');
    this.#buffer.clear();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Ends the subscription: waiting `next()` calls finish (or reject with `error`), buffered
   * events can still be read, then the iterator is done. Idempotent.
   */
  end(reason: McpStreamEndReason, error?: unknown): void {
    if (this.#endReason !== undefined) return;
    this.#endReason = reason;
    this.#failure = error;
    if (this.#onAbort) this.#init.signal?.removeEventListener('abort', this.#onAbort);
    const waiters = this.#waiters;
    this.#waiters = [];
    if (error !== undefined) {
      const [first, ...rest] = waiters;
      if (first) first.reject(error);
      else this.#error = error;
      for (const waiter of rest) waiter.resolve(DONE);
    } else {
      for (const waiter of waiters) waiter.resolve(DONE);
    }
    if (this.#readable) {
      this.#readable.resolve();
      this.#readable = undefined;
    }
    if (this.#receipts.size > 0) {
      // Leaving the loop (break, return) means the consumer is done with the last event; any
      // other end leaves it, and everything still buffered, to be delivered again.
      // In ack mode `manual` what was handed out is settled by whoever took it.
      const last = this.#lastHanded;
      if (reason === 'closed' && last) this.#settle(last, true);
      for (const event of [...this.#receipts.keys()]) {
        if (!this.#handedOut.has(event)) this.#settle(event, false);
      }
    }
    this.#init.detach(this as McpStreamSubscription);
    this.#resolveClosed(reason);
  }

  /** The error that ended the subscription (an McpStreamOverflowError), if one did. */
  get failure(): unknown {
    return this.#failure;
  }
}
