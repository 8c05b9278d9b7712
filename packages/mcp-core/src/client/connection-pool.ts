// The client's pooled sessions to one server: opens them (falling back to the legacy SSE
// transport when the server only speaks that), picks the least busy for each request, keeps
// idle ones alive, names each in connection events, and closes them all.
import { McpConnectionError, McpSessionExpiredError } from '@tframex/mcp-api';
import type { McpConnectionState, McpEndpointFields } from '@tframex/mcp-telemetry-api';
import type {
  SdkConnection,
  ServerRequestHandlers,
  TransportSpec,
} from '../adapter/sdk-adapter.js';
import { createMcpFetch, type McpFetch } from '../http/mcp-fetch.js';
import type { ClientSettings } from './client-settings.js';
import type { ClientTelemetry } from './client-telemetry.js';
import {
  ManagedConnection,
  type ManagedState,
  type ManagedStateChange,
} from './managed-connection.js';
import { withoutStandaloneStream } from './without-standalone-stream.js';

export const STATE_MAP: Record<ManagedState, McpConnectionState> = {
  idle: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  closed: 'closed',
};

export interface ConnectionPoolHooks {
  /** A server notification arrived on pooled connection `index`. */
  onNotification: (
    index: number,
    method: string,
    params: Record<string, unknown> | undefined,
  ) => void;
  /** A connection opened (the first one, or a replacement): set it up before any request. */
  onOpened: (index: number, connection: SdkConnection, reconnected: boolean) => Promise<void>;
  /** A connection was lost (the slot reconnects on next use). */
  onLost: (index: number) => void;
  /** A pooled connection changed state. */
  onStateChange: (index: number, change: ManagedStateChange) => void;
  /** The server-request handlers a connection opening now announces. */
  serverRequestHandlers: () => ServerRequestHandlers;
}

export class ConnectionPool {
  readonly #settings: Readonly<ClientSettings>;
  readonly #telemetry: ClientTelemetry;
  readonly #hooks: ConnectionPoolHooks;
  readonly #slots: ManagedConnection[];
  readonly #fetch: McpFetch | undefined;
  #transportKind: TransportSpec['kind'];
  #keepaliveTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    settings: Readonly<ClientSettings>,
    telemetry: ClientTelemetry,
    hooks: ConnectionPoolHooks,
  ) {
    this.#settings = settings;
    this.#telemetry = telemetry;
    this.#hooks = hooks;
    const transport = settings.transport;
    this.#transportKind = transport.kind;
    if (transport.kind === 'streamable-http' || transport.kind === 'sse') {
      const security = settings.security;
      this.#fetch = createMcpFetch({
        server: settings.name,
        ...(settings.auth ? { auth: settings.auth } : {}),
        ...(settings.tls ? { tls: settings.tls } : {}),
        enableCompression: settings.enableCompression,
        ...(settings.maxResponseBytes ? { maxResponseBytes: settings.maxResponseBytes } : {}),
        ...(settings.signHeaders ? { signHeaders: settings.signHeaders } : {}),
        ...(security
          ? {
              checkUrl: (url: URL) => void security.checkUrl(url, { server: settings.name }),
              checkRedirect: (from: URL, to: URL) =>
                security.checkRedirect(from, to, { server: settings.name }),
            }
          : {}),
      });
    }
    const size = transport.kind === 'memory' ? 1 : settings.connectionPoolSize;
    this.#slots = Array.from({ length: size }, (_, index) => this.#makeSlot(index));
  }

  /** The transport actually in use (`sse` after a fallback from Streamable HTTP). */
  get transportKind(): TransportSpec['kind'] {
    return this.#transportKind;
  }
  /** The first pooled connection, when live: the one that answers identity questions. */
  get primary(): SdkConnection | undefined {
    return this.#slots[0]!.current;
  }
  get slots(): readonly ManagedConnection[] {
    return this.#slots;
  }
  get isConnected(): boolean {
    return this.#slots.some((slot) => slot.current !== undefined);
  }
  get pids(): number[] {
    return this.#slots.flatMap((slot) =>
      slot.current?.pid !== undefined ? [slot.current.pid] : [],
    );
  }

  /** The least busy slot; the first on ties, so a quiet client keeps to one session. */
  pick(): ManagedConnection {
    const slots = this.#slots;
    let best = slots[0]!;
    for (let i = 1; i < slots.length; i++) if (slots[i]!.inFlight < best.inFlight) best = slots[i]!;
    return best;
  }

  /** Where a pooled connection goes, as events name it. */
  endpoint(index: number, connection: SdkConnection | undefined): McpEndpointFields {
    const transport = this.#settings.transport;
    const url =
      transport.kind === 'streamable-http' || transport.kind === 'sse' ? transport.url : undefined;
    const sessionId = connection?.sessionId;
    const protocolVersion = connection?.protocolVersion;
    return {
      connection: index,
      transport: this.#transportKind,
      ...(sessionId !== undefined ? { sessionId } : {}),
      ...(protocolVersion !== undefined ? { protocolVersion } : {}),
      ...(url
        ? {
            serverAddress: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            serverPort: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
          }
        : {}),
    };
  }

  /**
   * Opens the first connection; a Streamable HTTP URL that answers 404/405 is tried once
   * more as legacy SSE when `sseFallback` allows.
   */
  async connectPrimary(signal?: AbortSignal): Promise<void> {
    const transport = this.#settings.transport;
    try {
      await this.#slots[0]!.get(signal);
    } catch (error) {
      const canFallBack =
        transport.kind === 'streamable-http' &&
        transport.fallbackToSse &&
        this.#transportKind === 'streamable-http' &&
        McpConnectionError.isInstance(error) &&
        (error.status === 404 || error.status === 405);
      if (!canFallBack) throw error;
      this.#transportKind = 'sse';
      await this.#slots[0]!.get(signal);
    }
  }

  /** Opens the other pooled connections. */
  async connectRest(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.#slots.slice(1).map((slot) => slot.get(signal)));
  }

  #makeSlot(index: number): ManagedConnection {
    const settings = this.#settings;
    const hooks = this.#hooks;
    return new ManagedConnection(settings.name, index, {
      spec: () => this.#spec(index),
      // Client-certificate material may have rotated (CertAuth reads its files anew).
      beforeOpen: () => this.#fetch?.refreshTls(),
      connectTimeoutMs: settings.connectTimeoutMs,
      sdkOptions: {
        clientInfo: settings.clientInfo,
        protocol: settings.protocol,
        // Read at each connect: handlers installed since are announced by the next session.
        get handlers() {
          return hooks.serverRequestHandlers();
        },
        onNotification: (method, params) => this.#hooks.onNotification(index, method, params),
        onTransportError: (error) => {
          if (McpSessionExpiredError.isInstance(error))
            void this.#slots[index]!.reconnect().catch(() => undefined);
        },
      },
      onState: (change) => {
        hooks.onStateChange(index, change);
        const hub = this.#telemetry.hub;
        if (!hub.hasListeners('connection:state')) return;
        hub.emit('connection:state', {
          ...this.endpoint(index, change.connection),
          server: settings.name,
          state: STATE_MAP[change.state],
          previous: STATE_MAP[change.previous],
          ...(change.error ? { error: change.error } : {}),
          ...(change.sessionDurationMs !== undefined
            ? { sessionDurationMs: change.sessionDurationMs }
            : {}),
        });
      },
      onOpened: (connection, reconnected) => this.#hooks.onOpened(index, connection, reconnected),
      onLost: () => this.#hooks.onLost(index),
    });
  }

  #spec(index: number): TransportSpec {
    const settings = this.#settings;
    const transport = settings.transport;
    if (transport.kind === 'stdio') {
      return {
        kind: 'stdio',
        command: transport.command,
        args: transport.args,
        ...(transport.env ? { env: transport.env } : {}),
        ...(transport.cwd ? { cwd: transport.cwd } : {}),
        ...(settings.maxResponseBytes ? { maxMessageBytes: settings.maxResponseBytes } : {}),
      };
    }
    if (transport.kind === 'memory') return { kind: 'memory', transport: transport.transport };
    const kind = this.#transportKind === 'sse' ? 'sse' : 'streamable-http';
    const fetch = this.#fetch!.fetch;
    // Every pooled session would get its own copy of each broadcast notification on its own
    // standalone stream: only the first opens one.
    // A plugin that delegates to the SDK's OAuth machinery hands over its provider.
    const authProvider = settings.auth?.oauthProvider?.();
    return {
      kind,
      url: transport.url,
      headers: settings.headers,
      fetch: index === 0 || kind === 'sse' ? fetch : withoutStandaloneStream(fetch),
      requestSignals: this.#fetch!.requestSignals,
      ...(authProvider ? { authProvider } : {}),
    };
  }

  /** Pings idle sessions every `keepaliveIntervalMs`; one that does not answer is replaced. */
  startKeepalive(): void {
    const interval = this.#settings.keepaliveIntervalMs;
    if (interval <= 0 || this.#keepaliveTimer || this.#closed) return;
    this.#keepaliveTimer = setInterval(() => void this.#keepalive(interval), interval);
    this.#keepaliveTimer.unref();
  }

  async #keepalive(interval: number): Promise<void> {
    const now = performance.now();
    await Promise.all(
      this.#slots.map(async (slot) => {
        const connection = slot.current;
        if (!connection || slot.inFlight > 0 || now - slot.lastActivity < interval) return;
        try {
          await connection.ping({ timeoutMs: Math.min(this.#settings.timeoutMs, interval) });
          slot.lastActivity = performance.now();
        } catch {
          if (!this.#closed) await slot.reconnect(connection).catch(() => undefined);
        }
      }),
    );
  }

  /** Ends every session and stops stdio servers; lets go of every socket. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#keepaliveTimer);
    await Promise.all(this.#slots.map((slot) => slot.close()));
    await this.#fetch?.close();
  }
}
