// Where an MCPTestClient stands (McpSession.state), who hears about changes, and the
// `closed` promise that settles once the session has ended for good.
import type { McpSessionState, McpSessionStateChange } from '@tframex/mcp-api';

export type StateListener = (change: McpSessionStateChange) => void;

export class SessionState {
  #state: McpSessionState = 'idle';
  readonly #listeners = new Set<StateListener>();
  readonly #onListenerError: (error: unknown) => void;
  readonly closed: Promise<void>;
  readonly #resolveClosed: () => void;

  /** `onListenerError` gets what a listener throws; the other listeners still run. */
  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
    let resolve!: () => void;
    this.closed = new Promise<void>((settle) => (resolve = settle));
    this.#resolveClosed = resolve;
  }

  get current(): McpSessionState {
    return this.#state;
  }

  /** Moves to `state` and tells the listeners; `closed` is final, and no change repeats a state. */
  set(state: McpSessionState, error?: unknown): McpSessionStateChange | undefined {
    const previous = this.#state;
    if (previous === state || previous === 'closed') return undefined;
    this.#state = state;
    const change: McpSessionStateChange =
      error === undefined ? { state, previous } : { state, previous, error };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (thrown) {
        this.#onListenerError(thrown);
      }
    }
    if (state === 'closed') {
      this.#listeners.clear();
      this.#resolveClosed();
    }
    return change;
  }

  onChange(listener: StateListener): () => void {
    // A copy per listener, so one function added twice is removed once per call.
    const entry: StateListener = (change) => listener(change);
    if (this.#state !== 'closed') this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }
}
