// Where an MCPClient stands as one session (McpSession.state), computed from its pooled
// connections; who hears about changes; and the `closed` promise that settles once it ended.
import type { McpSessionState, McpSessionStateChange } from '@tframex/mcp-api';
import type { ManagedState } from './managed-connection.js';

type Listener = (change: McpSessionStateChange) => void;

/** The session's state from its connections' states: the best of them. */
export function sessionStateOf(states: readonly ManagedState[]): McpSessionState {
  if (states.includes('connected')) return 'connected';
  if (states.includes('reconnecting')) return 'reconnecting';
  if (states.includes('connecting')) return 'connecting';
  if (states.every((state) => state === 'closed')) return 'closed';
  return 'idle';
}

export class SessionLifecycle {
  #state: McpSessionState = 'idle';
  readonly #listeners = new Set<Listener>();
  readonly #onListenerError: (error: unknown) => void;
  readonly closed: Promise<void>;
  readonly #resolveClosed: () => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
    let resolve!: () => void;
    this.closed = new Promise<void>((settle) => (resolve = settle));
    this.#resolveClosed = resolve;
  }

  get state(): McpSessionState {
    return this.#state;
  }

  /** Moves to `state` and tells the listeners (each isolated); `closed` is final. */
  set(state: McpSessionState, error?: unknown): void {
    const previous = this.#state;
    if (previous === state || previous === 'closed') return;
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
  }

  onChange(listener: Listener): () => void {
    // A wrapper per call, so one function added twice is removed once per call.
    const entry: Listener = (change) => listener(change);
    if (this.#state !== 'closed') this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }
}
