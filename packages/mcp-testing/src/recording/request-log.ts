// Keeps every request and client notification a server saw, answers the queries tests make,
// and lets a test wait for a request deterministically instead of sleeping.
import { McpConnectionError, McpTimeoutError } from '@tframex/mcp-api';
import type { RecordedNotification, RecordedRequest } from './recorded-request.js';
import { RequestRecord, type RequestRecordInit } from './request-record.js';

type Waiter<T> = {
  matches: (value: T) => boolean;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
};

/**
 * What `waitForRequest` matches: a method name or a predicate, applied when a request
 * arrives (its outcome and faults come later: await `settled` on the record for those).
 */
export type RequestMatcher = string | ((request: RecordedRequest) => boolean);

export interface WaitOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
}

export class RequestLog {
  readonly #requests: RequestRecord[] = [];
  readonly #notifications: RecordedNotification[] = [];
  readonly #requestWaiters = new Set<Waiter<RecordedRequest>>();
  readonly #notificationWaiters = new Set<Waiter<RecordedNotification>>();
  #seq = 0;

  begin(init: RequestRecordInit): RequestRecord {
    const record = new RequestRecord(++this.#seq, init);
    this.#requests.push(record);
    this.#wake(this.#requestWaiters, record);
    return record;
  }

  notification(init: Omit<RecordedNotification, 'seq' | 'receivedAt'>): void {
    const recorded: RecordedNotification = { ...init, seq: ++this.#seq, receivedAt: Date.now() };
    this.#notifications.push(recorded);
    this.#wake(this.#notificationWaiters, recorded);
  }

  get requests(): RecordedRequest[] {
    return [...this.#requests];
  }

  get notifications(): RecordedNotification[] {
    return [...this.#notifications];
  }

  requestsFor(method: string): RecordedRequest[] {
    return this.#requests.filter((request) => request.method === method);
  }

  callsTo(tool: string): RecordedRequest[] {
    return this.#requests.filter(
      (request) => request.method === 'tools/call' && request.target === tool,
    );
  }

  clear(): void {
    this.#requests.length = 0;
    this.#notifications.length = 0;
  }

  waitForRequest(matcher: RequestMatcher, options: WaitOptions = {}): Promise<RecordedRequest> {
    const matches =
      typeof matcher === 'string' ? (r: RecordedRequest) => r.method === matcher : matcher;
    return this.#wait(this.#requests, this.#requestWaiters, matches, options, 'request');
  }

  waitForNotification(
    matcher: string | ((notification: RecordedNotification) => boolean),
    options: WaitOptions = {},
  ): Promise<RecordedNotification> {
    const matches =
      typeof matcher === 'string' ? (n: RecordedNotification) => n.method === matcher : matcher;
    return this.#wait(
      this.#notifications,
      this.#notificationWaiters,
      matches,
      options,
      'notification',
    );
  }

  /** Rejects every pending wait: the server stopped, so nothing more will arrive. */
  abortWaiters(): void {
    for (const waiters of [this.#requestWaiters, this.#notificationWaiters] as Set<
      Waiter<never>
    >[]) {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new McpConnectionError('The mock server stopped while a test was waiting'));
      }
      waiters.clear();
    }
  }

  #wait<T>(
    seen: readonly T[],
    waiters: Set<Waiter<T>>,
    matches: (value: T) => boolean,
    options: WaitOptions,
    what: string,
  ): Promise<T> {
    const found = seen.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new McpTimeoutError(`No matching ${what} arrived within ${timeoutMs} ms`, {
              timeoutMs,
            }),
          );
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }

  #wake<T>(waiters: Set<Waiter<T>>, value: T): void {
    for (const waiter of waiters) {
      if (!waiter.matches(value)) continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
      waiter.resolve(value);
    }
  }
}
