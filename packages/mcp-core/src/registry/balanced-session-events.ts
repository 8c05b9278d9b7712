// The telemetry of a BalancedSession: the events of its replicas, relayed under the balanced
// service's name (the replica's index in the `connection` field), and one snapshot over them.
// Replicas are only listened to while someone listens here, so nothing is paid unobserved.
import type { McpSession } from '@tframex/mcp-api';
import {
  McpEventHub,
  type McpClientEvents,
  type McpConnectionSnapshot,
  type McpConnectionState,
  type McpEventListener,
  type McpEventSource,
  type McpTelemetrySnapshot,
} from '@tframex/mcp-telemetry-api';

/** Events that name an endpoint: the replica's index goes in `connection`. */
const ENDPOINT_EVENTS: ReadonlySet<keyof McpClientEvents> = new Set([
  'request:start',
  'request:end',
  'connection:state',
]);

const STATE_RANK: McpConnectionState[] = [
  'connected',
  'reconnecting',
  'connecting',
  'disconnected',
  'failed',
  'closed',
];

function isEventSource(session: McpSession): session is McpSession & McpEventSource {
  return typeof (session as Partial<McpEventSource>).on === 'function';
}

export class BalancedSessionEvents implements McpEventSource<McpClientEvents> {
  readonly #name: string;
  readonly #replicas: McpSession[];
  readonly #hub = new McpEventHub<McpClientEvents>();
  readonly #relays = new Map<keyof McpClientEvents, (() => void)[]>();

  constructor(name: string, replicas: McpSession[]) {
    this.#name = name;
    this.#replicas = replicas;
  }

  on<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): () => void {
    this.#hub.on(event, listener);
    this.#relay(event);
    return () => this.off(event, listener);
  }

  off<K extends keyof McpClientEvents>(
    event: K,
    listener: McpEventListener<McpClientEvents[K]>,
  ): void {
    this.#hub.off(event, listener);
    if (this.#hub.hasListeners(event)) return;
    for (const off of this.#relays.get(event) ?? []) off();
    this.#relays.delete(event);
  }

  #relay<K extends keyof McpClientEvents>(event: K): void {
    if (this.#relays.has(event)) return;
    const endpoint = ENDPOINT_EVENTS.has(event);
    this.#relays.set(
      event,
      this.#replicas.flatMap((replica, index) =>
        isEventSource(replica)
          ? [
              replica.on(event, (payload) =>
                this.#hub.emit(event, {
                  ...payload,
                  server: this.#name,
                  ...(endpoint ? { connection: index } : {}),
                }),
              ),
            ]
          : [],
      ),
    );
  }

  /** One server: the balanced service, its replicas as its connections. */
  snapshot(): McpTelemetrySnapshot {
    const connections: McpConnectionSnapshot[] = [];
    let queued = 0;
    let lastSuccessAt: number | undefined;
    let lastError: { at: number; kind?: string; message: string } | undefined;
    this.#replicas.forEach((replica, index) => {
      const server = isEventSource(replica) ? replica.snapshot?.().servers[0] : undefined;
      if (!server) {
        connections.push({ connection: index, state: 'disconnected', inFlight: 0 });
        return;
      }
      const { server: _alias, connections: _own, queued: waiting, circuit: _c, ...rest } = server;
      connections.push({
        ...rest,
        connection: index,
        state: server.state,
        inFlight: server.inFlight,
      });
      queued += waiting;
      if (server.lastSuccessAt !== undefined)
        lastSuccessAt = Math.max(lastSuccessAt ?? 0, server.lastSuccessAt);
      if (server.lastError && (!lastError || server.lastError.at > lastError.at))
        lastError = server.lastError;
    });
    const state =
      STATE_RANK.find((candidate) => connections.some((c) => c.state === candidate)) ??
      'disconnected';
    return {
      takenAt: Date.now(),
      servers: [
        {
          server: this.#name,
          state,
          connections,
          inFlight: connections.reduce((sum, connection) => sum + connection.inFlight, 0),
          queued,
          ...(lastSuccessAt !== undefined ? { lastSuccessAt } : {}),
          ...(lastError !== undefined ? { lastError } : {}),
        },
      ],
    };
  }
}
