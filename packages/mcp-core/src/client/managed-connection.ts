// One slot of the client's pool: keeps an SDK connection alive across session expiry,
// stdio crashes and dead keepalives by opening a fresh one (single-flight), and tells the
// client when it did so, so subscriptions can be restored.
import { McpConnectionError, McpError, type McpProtocolEra } from '@tframex/mcp-api';
import {
  SdkConnection,
  type SdkConnectionOptions,
  type TransportSpec,
} from '../adapter/sdk-adapter.js';

export type ManagedState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ManagedStateChange {
  readonly state: ManagedState;
  readonly previous: ManagedState;
  readonly error?: McpError;
  /** The connection the change is about: the new one, or the one that was just lost. */
  readonly connection: SdkConnection | undefined;
  /** When leaving `connected`: how long that session lasted, in ms. */
  readonly sessionDurationMs?: number;
}

export interface ManagedConnectionHooks {
  /** Builds the transport spec afresh for every (re)connect. */
  spec: () => TransportSpec;
  /** Runs before each (re)connect (client-certificate material is read anew). */
  beforeOpen?: () => Promise<void> | undefined;
  sdkOptions: Omit<SdkConnectionOptions, 'onUnexpectedClose' | 'knownEra'>;
  connectTimeoutMs: number;
  /** The slot moved from `change.previous` to `change.state`. */
  onState: (change: ManagedStateChange) => void;
  /** A connection opened: the first one, or one that replaced a lost one (`reconnected`). */
  onOpened: (connection: SdkConnection, reconnected: boolean) => Promise<void> | void;
  /** The connection was lost; the slot reconnects on next use (or right away when asked). */
  onLost: (error: McpError) => void;
}

export class ManagedConnection {
  readonly index: number;
  /** Requests in flight on this slot: the pool dispatches to the least busy. */
  inFlight = 0;
  /** `performance.now()` of the last request end, for keepalive. */
  lastActivity = 0;
  readonly #server: string;
  readonly #hooks: ManagedConnectionHooks;
  #current: SdkConnection | undefined;
  #opening: Promise<SdkConnection> | undefined;
  #state: ManagedState = 'idle';
  #era: McpProtocolEra | undefined;
  #generation = 0;
  /** The last connection that opened, kept for what events say about it after it is gone. */
  #last: SdkConnection | undefined;
  /** `performance.now()` when the current session became connected. */
  #connectedSince: number | undefined;
  /** `Date.now()` when the current session became connected. */
  #connectedAt: number | undefined;

  constructor(server: string, index: number, hooks: ManagedConnectionHooks) {
    this.#server = server;
    this.index = index;
    this.#hooks = hooks;
  }

  get state(): ManagedState {
    return this.#state;
  }
  /** The live connection, if there is one right now. */
  get current(): SdkConnection | undefined {
    return this.#current && !this.#current.isClosed ? this.#current : undefined;
  }

  /** `Date.now()` when the current session began, while connected. */
  get connectedAt(): number | undefined {
    return this.#state === 'connected' ? this.#connectedAt : undefined;
  }
  /** The live connection, or the last one while between connections (for its endpoint). */
  get lastConnection(): SdkConnection | undefined {
    return this.#last;
  }

  #setState(state: ManagedState, error?: McpError): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    let sessionDurationMs: number | undefined;
    if (state === 'connected') {
      this.#connectedSince = performance.now();
      this.#connectedAt = Date.now();
    } else if (previous === 'connected' && this.#connectedSince !== undefined) {
      sessionDurationMs = performance.now() - this.#connectedSince;
      this.#connectedSince = undefined;
    }
    this.#hooks.onState({
      state,
      previous,
      ...(error ? { error } : {}),
      connection: this.#last,
      ...(sessionDurationMs !== undefined ? { sessionDurationMs } : {}),
    });
  }

  /** The live connection, opening one if needed (concurrent callers share one attempt). */
  get(signal?: AbortSignal): Promise<SdkConnection> {
    const live = this.current;
    if (live) return Promise.resolve(live);
    return this.#open(signal);
  }

  #open(signal?: AbortSignal): Promise<SdkConnection> {
    if (this.#state === 'closed') {
      return Promise.reject(
        new McpConnectionError(`the client for "${this.#server}" is closed`, {
          server: this.#server,
          retryable: false,
        }),
      );
    }
    if (this.#opening) return this.#opening;
    const reconnecting = this.#generation > 0;
    this.#setState(reconnecting ? 'reconnecting' : 'connecting');
    const generation = ++this.#generation;
    const open = () =>
      SdkConnection.open(
        this.#server,
        this.#hooks.spec(),
        {
          ...this.#hooks.sdkOptions,
          ...(this.#era ? { knownEra: this.#era } : {}),
          onUnexpectedClose: (error) => this.#lost(generation, error),
        },
        { timeoutMs: this.#hooks.connectTimeoutMs, ...(signal ? { signal } : {}) },
      );
    const before = this.#hooks.beforeOpen?.();
    const attempt = before ? before.then(open) : open();
    this.#opening = attempt.then(
      async (connection) => {
        if (this.#state === 'closed') {
          this.#opening = undefined;
          await connection.close();
          throw new McpConnectionError(`the client for "${this.#server}" closed while connecting`, {
            server: this.#server,
            retryable: false,
          });
        }
        // Session setup (the log level) lands before any request uses the session; callers
        // meanwhile keep waiting on this same attempt.
        await Promise.resolve(this.#hooks.onOpened(connection, reconnecting)).catch(
          () => undefined,
        );
        this.#opening = undefined;
        this.#current = connection;
        this.#last = connection;
        this.#era = connection.protocolEra;
        this.#setState('connected');
        return connection;
      },
      (error: unknown) => {
        this.#opening = undefined;
        if (this.#state !== 'closed')
          this.#setState('idle', McpError.isInstance(error) ? error : undefined);
        throw error;
      },
    );
    return this.#opening;
  }

  #lost(generation: number, error: McpError): void {
    if (generation !== this.#generation || this.#state === 'closed') return;
    this.#current = undefined;
    this.#setState('idle', error);
    this.#hooks.onLost(error);
  }

  /**
   * Drops the current connection (the server forgot its session, or a keepalive failed)
   * and opens a new one. A connection that was already replaced is left alone.
   */
  async reconnect(stale?: SdkConnection): Promise<SdkConnection> {
    if (stale && this.#current !== stale) return this.get();
    const old = this.#current;
    this.#current = undefined;
    if (old) {
      this.#generation++; // its close is expected: not a loss
      void old.close();
    }
    return this.#open();
  }

  async close(): Promise<void> {
    this.#setState('closed');
    const current = this.#current;
    this.#current = undefined;
    const opening = this.#opening;
    await Promise.all([
      current?.close(),
      opening?.then(
        (c) => c.close(),
        () => undefined,
      ),
    ]);
  }
}
