// A request's own abort signal, handed from the SDK transport's `send` to our fetch beneath it
// through the async scope of that send (one scope per client's fetch, no shared state): the
// transport never sees a per-request signal, so it never combines one with its long-lived
// signal (`AbortSignal.any`, which on Node 20 leaves a record behind for every request).
import { AsyncLocalStorage } from 'node:async_hooks';

export class RequestSignalScope {
  readonly #storage = new AsyncLocalStorage<AbortSignal>();

  /** Runs `send` so that fetches it makes see `signal` as their request's own. */
  run<T>(signal: AbortSignal, send: () => T): T {
    return this.#storage.run(signal, send);
  }

  /** The signal of the request whose send is running, if any. */
  current(): AbortSignal | undefined {
    return this.#storage.getStore();
  }
}
